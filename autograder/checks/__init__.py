"""One module per check, named after what it checks; each judges with a function
`judge(ctx) -> Check` (or several, one per check id) that autograder/registry.py names.

The checks only compare: the pipeline (grade.py) has already gathered what they read into
the Context (context.py). compare.py holds the numeric comparisons they share,
probe_failures.py what happens to the Part A checks when the probes did not deliver.
"""
from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ..registry import CheckRecord

__all__ = ['judge_of']


def judge_of(record: CheckRecord) -> Callable:
    """The function that judges a registered check ('module:function' in this package)."""
    module, function = record.judge.split(':')
    return getattr(import_module(f'{__name__}.{module}'), function)

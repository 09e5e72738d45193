"""Weighing a check's criteria by the assignment's rubric (`[rubric]` in assignment.toml).

A check judges each of its criteria (settings/criteria.py) to a fraction in [0, 1]; the
rubric says what each weighs and whether this edition requires it. The check scores the
weighted mean over its required criteria; an optional criterion that is not met costs
nothing and becomes a note, so a student still learns about it.
"""
from __future__ import annotations

from typing import Any

from ..i18n import _
from .context import Context

__all__ = ['weigh', 'optional_note', 'is_required']


def is_required(ctx: Context, check_id: str, key: str) -> bool:
    return ctx.settings.criteria(check_id)[key].required


def weigh(ctx: Context, check_id: str, outcomes: dict[str, float | bool]) -> tuple[float, dict[str, Any]]:
    """(the check's fraction, its `criteria` details): a criterion not in `outcomes` was not
    judged and counts as unmet when required."""
    criteria = ctx.settings.criteria(check_id)
    unknown = set(outcomes) - set(criteria)
    if unknown:
        raise KeyError(f'{check_id}: criteria {sorted(unknown)} are not in settings/criteria.py')
    required = [c for c in criteria.values() if c.required]
    total = sum(c.weight for c in required)
    fraction = (sum(c.weight * float(outcomes.get(c.key, 0.0)) for c in required) / total) if total else 1.0
    details = {key: {'met': None if key not in outcomes else round(float(outcomes[key]), 4),
                     'required': c.required, 'weight': c.weight} for key, c in criteria.items()}
    return fraction, details


def optional_note(problem: str) -> str:
    """A problem with a criterion this edition does not require: said (as a note of the
    check, which the message repeats), worth 0."""
    return _('{problem} (optional in this assignment: no points lost)').format(problem=problem)

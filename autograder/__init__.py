"""Autograder for the course's neural-network assignments (see docs/architecture.md).

The grader has a version of its own (CHANGELOG.md); results record it beside the version of
the reference module (vlearning) they were graded against.

In Jupyter, `%load_ext autograder` adds the magic `%autograder check` (the self-check of
autograder/notebook/self_check.py).
"""
__version__ = '0.10.0'

__all__ = ['__version__', 'load_ipython_extension']


def load_ipython_extension(ipython) -> None:
    """`%load_ext autograder`: register the line magic `%autograder check [--full] [--lang nl|en]`."""
    from .notebook.self_check import magic
    ipython.register_magic_function(magic, 'line', 'autograder')

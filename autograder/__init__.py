"""Autograder for the course's neural-network assignments (see docs/architecture.md).

The grader has a version of its own (CHANGELOG.md); results record it beside the version of
the reference module (vlearning) they were graded against.
"""
__version__ = '0.8.0'

__all__ = ['__version__']

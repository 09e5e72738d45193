"""Comparing what a student's code returned with what was expected, the way the checks need."""
from __future__ import annotations

import difflib
import math

__all__ = ['close', 'relative_error', 'similar_names', 'PRIME_MARKS']

PRIME_MARKS = ('’', "'", '`', ',', '′', 'ʼ')


def close(actual: float | None, expected: float, *, rel: float, abs_: float) -> bool:
    if actual is None:
        return False
    if math.isnan(expected):
        return math.isnan(actual)
    if math.isinf(expected) or math.isinf(actual) or math.isnan(actual):
        return actual == expected
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_)


def relative_error(actual: list[float | None], expected: list[float]) -> float:
    """‖a − e‖ / max(‖a‖, ‖e‖): the usual measure of a gradient check; inf when unusable."""
    if len(actual) != len(expected) or any(a is None or not math.isfinite(a) for a in actual):
        return math.inf
    diff = math.sqrt(sum((a - e) ** 2 for a, e in zip(actual, expected)))
    scale = max(math.sqrt(sum(a * a for a in actual)), math.sqrt(sum(e * e for e in expected)))
    if scale == 0.0:
        return 0.0
    return diff / scale


def similar_names(name: str, available: list[str]) -> list[str]:
    return difflib.get_close_matches(name, available, n=3, cutoff=0.6)

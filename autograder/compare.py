"""Reading the runner's raw values back, and comparing numbers the way the checks need."""
from __future__ import annotations

import difflib
import math
from typing import Any

__all__ = ['decode', 'describe', 'close', 'failure_reason', 'relative_error', 'flatten', 'similar_names',
           'error_text', 'PRIME_MARKS']

PRIME_MARKS = ('’', "'", '`', ',', '′', 'ʼ')


def decode(value: Any) -> float | None:
    """A float from an encoded runner value, or None when it is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dict) and 'float' in value:
        try:
            return float(value['float'])
        except (TypeError, ValueError):
            return None
    return None


def describe(value: Any) -> str:
    """How to show an encoded value to a person."""
    if isinstance(value, dict):
        if 'float' in value:
            kind = f" ({value['type']})" if 'type' in value else ''
            return f"{value['float']}{kind}"
        if 'repr' in value:
            return f"{value['repr']} ({value.get('type', '?')})"
        if 'error' in value:
            return error_text(value['error'])
    return repr(value)


def error_text(error: dict[str, Any] | None) -> str:
    if not error:
        return 'an error'
    message = error.get('message', '')
    return f"{error.get('type', 'Error')}: {message}" if message else error.get('type', 'Error')


def failure_reason(record: dict[str, Any] | None) -> str:
    """Why a probe gave no value: its error and the student's line it came from, or that the
    probe never reported (the check's message then says why the probe process ended).

    An error the grader's own harness raised (a call the student's signature does not take,
    a layer it could not reach) names what the grader tried, never the grader's files."""
    if not record:
        return 'not probed'
    error = record.get('error') or {}
    if error.get('harness'):
        text = error_text(error) if error.get('type') == 'HarnessError' else (
            f"{error_text(error)}, raised where the grader used your module as the course's API does")
        return text.removeprefix('HarnessError: ')
    where = error.get('where')
    return error_text(error) + (f' at {where[-1]}' if where else '')


def close(actual: float | None, expected: float, *, rel: float, abs_: float) -> bool:
    if actual is None:
        return False
    if math.isnan(expected):
        return math.isnan(actual)
    if math.isinf(expected) or math.isinf(actual) or math.isnan(actual):
        return actual == expected
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_)


def flatten(value: Any) -> list[float | None]:
    """Nested lists of encoded numbers → one flat list of floats (None where not a number)."""
    if isinstance(value, list):
        out: list[float | None] = []
        for item in value:
            out.extend(flatten(item))
        return out
    return [decode(value)]


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

"""Reading the runner's raw values back: numbers, texts, errors and why a probe failed."""
from __future__ import annotations

from typing import Any

from ..i18n import _, fill
from .vlgrader_probe.texts import HARNESS

__all__ = ['decode', 'describe', 'error_text', 'failure_reason', 'flatten']


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
        return _('an error')
    message = error.get('message', '')
    return f"{error.get('type', 'Error')}: {message}" if message else error.get('type', 'Error')


def failure_reason(record: dict[str, Any] | None) -> str:
    """Why a probe gave no value: its error and the student's line it came from, or that the
    probe never reported (the check's message then says why the probe process ended).

    An error the grader's own harness raised (a call the student's signature does not take,
    a layer it could not reach) names what the grader tried, never the grader's files."""
    if not record:
        return _('not probed')
    error = record.get('error') or {}
    if error.get('harness'):
        if error.get('type') == 'HarnessError':
            code, params = error.get('code'), error.get('params')
            if code in HARNESS and isinstance(params, dict):
                return fill(HARNESS[code], {k: str(v)[:300] for k, v in params.items()})
            return error_text(error).removeprefix('HarnessError: ')
        return _("{error}, raised where the grader used your module as the course's API does").format(
            error=error_text(error))
    where = [w for w in error.get('where') or [] if not str(w).startswith('<')]    # <frozen importlib…>: not theirs
    return _('{error} at {where}').format(error=error_text(error), where=where[-1]) if where else error_text(error)


def flatten(value: Any) -> list[float | None]:
    """Nested lists of encoded numbers → one flat list of floats (None where not a number)."""
    if isinstance(value, list):
        out: list[float | None] = []
        for item in value:
            out.extend(flatten(item))
        return out
    return [decode(value)]



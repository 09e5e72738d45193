"""What the student has not written yet: the functions and methods whose probes raised
NotImplementedError (the template's placeholder), for the to-do line of the summary.

Each failing Part A check gets `details['not_written']` (the names, `Layer.__init__` shown as
`Layer`, each once) and `details['waiting']` when every probe it relies on stopped at such a
placeholder: then it has nothing to say beyond "not written yet", and the summary folds it
into one line per part instead of repeating the same names for every check and probe point.
"""
from __future__ import annotations

from typing import Any

from .. import registry
from ..results import PASS, SKIPPED, Check
from .context import Context
from .locate import from_error

__all__ = ['mark', 'PLACEHOLDER']

PLACEHOLDER = 'NotImplementedError'


def _errors(record: dict[str, Any] | None) -> tuple[list[dict[str, Any]], bool]:
    """The errors of one probe record, and whether it delivered any value at all."""
    if not record:
        return [], False
    if record.get('error'):
        return [record['error']], False
    value = record.get('value')
    values = value.get('values') if isinstance(value, dict) else None
    if isinstance(values, list):
        errors = [v['error'] for v in values if isinstance(v, dict) and isinstance(v.get('error'), dict)]
        return errors, len(errors) < len(values)
    if isinstance(value, dict):          # a record of items, each tried on its own (layers_api)
        errors = [v['error'] for v in value.values() if isinstance(v, dict) and isinstance(v.get('error'), dict)]
        if errors:
            return errors, any(v is not None and not (isinstance(v, dict) and 'error' in v) for v in value.values())
    return [], True


def _name(ctx: Context, error: dict[str, Any]) -> str | None:
    place = ctx.place(error)
    if place is None:
        return None
    cls, _dot, method = place.name.rpartition('.')
    return cls if method == '__init__' and cls else place.name


def mark(ctx: Context, checks: list[Check]) -> None:
    """Add what is not written yet to the details of the failing Part A checks."""
    if ctx.probes is None or ctx.request is None:
        return
    per_task: dict[str, tuple[list[str], bool]] = {}       # task → (names not written, nothing else)
    for task in ctx.request['tasks']:
        errors, delivered = _errors(ctx.probes.result(task['id']))
        unwritten = [e for e in errors if e.get('type') == PLACEHOLDER and from_error(e) is not None]
        names = list(dict.fromkeys(n for n in (_name(ctx, e) for e in unwritten) if n))
        per_task[task['id']] = (names, bool(unwritten) and len(unwritten) == len(errors) and not delivered)
    for check in checks:
        if check.status in (PASS, SKIPPED) or registry.BY_ID.get(check.id) is None:
            continue
        record = registry.BY_ID[check.id]
        if record.step != registry.PART_A:
            continue
        relied = [t for t in per_task if t != 'names' and record.relies_on(t)]
        names = list(dict.fromkeys(n for t in relied for n in per_task[t][0]))
        if names:
            check.details = {**check.details, 'not_written': names,
                             'waiting': all(per_task[t][1] for t in relied)}

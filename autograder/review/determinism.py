"""Do two probe processes get the same Part A values? A module that answers randomly in some
processes gets other scores at a regrade of the same bytes; the grader runs the function
tables (a cheap subset: a fraction of a second) a second time and compares."""
from __future__ import annotations

import math
from typing import Any

__all__ = ['RERUN_KINDS', 'differences']

RERUN_KINDS = ('names', 'call')


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def _outcome(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return None
    return ('value', entry['value']) if 'value' in entry else ('error', (entry.get('error') or {}).get('type'))


def differences(request: dict[str, Any], first, second) -> list[dict[str, Any]]:
    """The calls whose value (or raised error type) differs between the two runs
    (probes.collect.ProbeRun); tasks that failed in either run as a whole are not compared."""
    found = []
    for task in request['tasks']:
        if task['kind'] != 'call':
            continue
        a, b = first.result(task['id']), second.result(task['id'])
        if not (a and b and a.get('ok') and b.get('ok')):
            continue
        values_a = (a.get('value') or {}).get('values') or []
        values_b = (b.get('value') or {}).get('values') or []
        for args, x, y in zip(task['args'], values_a, values_b):
            ox, oy = _outcome(x), _outcome(y)
            if ox is None or oy is None or (ox[0] == oy[0] and _same(ox[1], oy[1])):
                continue
            found.append({'function': task['function'], 'argument': ', '.join(repr(v) for v in args),
                          'first': repr(ox[1])[:80], 'second': repr(oy[1])[:80]})
    return found

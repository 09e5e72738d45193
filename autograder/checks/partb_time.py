"""Check `partb.time`: the graded run takes at most the time limit on the nominal machine.

The elapsed time is taken from the grader's own clock around the cells, from the start of
the first locked cell (`starttime = perf_counter()`) to the end of the second (never from
what the notebook prints), and normalised by this machine's speed:
  normalised minutes = minutes × (nominal s/1000 ÷ measured s/1000),
both being the reference's training throughput (bench/train_throughput.py's workload).
The model must be built and trained between the two locked cells, and those cells must
run without errors: a run that crashed early is fast, not compliant.
"""
from __future__ import annotations

import ast
from typing import Any

from ..cell_code import parse_cell
from ..results import Check

__all__ = ['check_partb_time', 'graded_cells_structure']


def graded_cells_structure(sources: list[str], model_variable: str) -> list[str]:
    """Problems with the cells between the locked cells: the model must be built and fitted there."""
    assigned = fitted = False
    for source in sources:
        tree = parse_cell(source)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                assigned |= any(isinstance(t, ast.Name) and t.id == model_variable for t in targets)
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ('fit', 'partial_fit')):
                fitted = True
    problems = []
    if not assigned:
        problems.append(f"'{model_variable}' is not built between the two locked cells")
    if not fitted:
        problems.append('no fit() call between the two locked cells')
    return problems


def check_partb_time(cells: list[dict[str, Any]], locked: tuple[int, int] | None, limit_minutes: float,
                     calibration: dict[str, Any] | None, nominal: float, structure: list[str],
                     max_points: float) -> Check:
    title = f'Deel B: the graded run takes at most {limit_minutes:g} minutes (normalised)'
    if locked is None:
        return Check.scored('partb.time', title, 0.0, max_points,
                            'The graded run cannot be timed: the two locked cells ("Verander deze cel niet") '
                            'were not found unchanged in the notebook (see the locked-cells check).')
    by_index = {c['index']: c for c in cells}
    start, end = by_index.get(locked[0]), by_index.get(locked[1])
    if not start or not end or start.get('start') is None or end.get('end') is None or end['status'] != 'ok':
        return Check.scored('partb.time', title, 0.0, max_points,
                            'The graded run did not reach the end of the second locked cell '
                            f'(cell {locked[1]}), so it cannot be timed.',
                            details={'locked_cells': list(locked)})
    broken = [c for c in cells if locked[0] < c['index'] < locked[1] and c['status'] not in ('ok', 'skipped')]
    if broken:
        cell = broken[0]
        what = (f"raised {cell['error']['ename']}" if cell.get('error') else cell['status'].replace('-', ' '))
        return Check.scored('partb.time', title, 0.0, max_points,
                            f"The graded run did not complete: cell {cell['index']} {what}, so its time "
                            'says nothing about the requirement.', details={'locked_cells': list(locked)})
    minutes = (end['end'] - start['start']) / 60.0
    factor = nominal / calibration['seconds_per_1000'] if calibration else 1.0
    normalised = minutes * factor
    details = {'minutes': minutes, 'normalised_minutes': normalised, 'limit_minutes': limit_minutes,
               'speed_factor': factor, 'nominal_seconds_per_1000': nominal,
               'measured_seconds_per_1000': calibration['seconds_per_1000'] if calibration else None,
               'locked_cells': list(locked), 'structure_problems': structure}
    speed = (f' ({minutes:.1f} minutes here; this machine is {factor:.2f}× the nominal machine\'s speed)'
             if calibration else ' (not normalised: no speed measurement)')
    if structure:
        return Check.scored('partb.time', title, 0.0, max_points,
                            'The graded run does not contain the graded work: ' + '; '.join(structure) +
                            f'. Its time was {normalised:.1f} normalised minutes{speed}.', details=details)
    ok = normalised <= limit_minutes
    message = (f'The graded run took {normalised:.1f} normalised minutes{speed}; the limit is '
               f'{limit_minutes:g}.' + ('' if ok else ' Make the model smaller, use fewer instances or epochs.'))
    return Check.scored('partb.time', title, 1.0 if ok else 0.0, max_points, message, details=details)

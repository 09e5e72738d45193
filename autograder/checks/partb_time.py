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

from ..notebook.cells import parse_cell
from ..results import Check
from .context import Context

__all__ = ['judge', 'graded_cells_structure']


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


def judge(ctx: Context) -> Check:
    cells, locked = ctx.execution['cells'], ctx.locked.graded_run
    limit_minutes, calibration = ctx.profile.time_limit_minutes, ctx.part_b.calibration
    nominal = ctx.settings.part_b.nominal_seconds_per_1000
    structure = []
    if locked:
        between = [c.source for c in ctx.notebook.cells[locked[0] + 1:locked[1]] if c.cell_type == 'code']
        structure = graded_cells_structure(between, ctx.settings.part_b.model_variable)
    if locked is None:
        return ctx.scored('partb.time', 0.0,
                            f'The graded run cannot be timed: the two locked cells ("{ctx.settings.locked_marker}") '
                            'were not found unchanged in the notebook (see the locked-cells check).')
    by_index = {c['index']: c for c in cells}
    start, end = by_index.get(locked[0]), by_index.get(locked[1])
    if not start or not end or start.get('start') is None or end.get('end') is None or end['status'] != 'ok':
        return ctx.scored('partb.time', 0.0,
                            'The graded run did not reach the end of the second locked cell '
                            f'(cell {locked[1]}), so it cannot be timed.',
                            details={'locked_cells': list(locked)})
    broken = [c for c in cells if locked[0] < c['index'] < locked[1] and c['status'] not in ('ok', 'skipped')]
    if broken:
        cell = broken[0]
        what = (f"raised {cell['error']['ename']}" if cell.get('error') else cell['status'].replace('-', ' '))
        return ctx.scored('partb.time', 0.0,
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
        return ctx.scored('partb.time', 0.0,
                            'The graded run does not contain the graded work: ' + '; '.join(structure) +
                            f'. Its time was {normalised:.1f} normalised minutes{speed}.', details=details)
    ok = normalised <= limit_minutes
    message = (f'The graded run took {normalised:.1f} normalised minutes{speed}; the limit is '
               f'{limit_minutes:g}.' + ('' if ok else ' Make the model smaller, use fewer instances or epochs.'))
    return ctx.scored('partb.time', 1.0 if ok else 0.0, message, details=details)

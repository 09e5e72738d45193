"""Check `partb.time`: the graded run takes at most the time limit on the nominal machine.

The elapsed time is taken from the grader's own clock around the cells, from the start of
the first locked cell (`starttime = perf_counter()`) to the end of the second (never from
what the notebook prints), and normalised by this machine's speed:
  normalised minutes = minutes × (nominal s/1000 ÷ measured s/1000),
both being the reference's training throughput (bench/train_throughput.py's workload).
The CPU time of the kernel's process tree over the same cells is normalised the same way by
the calibration's CPU time, and the smaller of the two is judged: CPU time does not grow when
the grader is busy (other gradings, other users), wall time does not grow with every core
a student's parallel training keeps busy. Both are reported. The calibration is measured right
before and right after the run (part_b/calibration.py, load_matched), so it shares the run's load
(bench/partb_time_load.py: 1.7× the wall minutes beside one busy process per core, judged
normalised minutes within 4 %).
The model must be built and trained between the two locked cells, and those cells must
run without errors: a run that crashed early is fast, not compliant.
"""
from __future__ import annotations

import ast

from ..notebook.cells import parse_cell
from ..i18n import _
from ..results import Check
from .report_failures import CELL_STATUS
from .context import Context
from .graded_work import untouched

__all__ = ['judge', 'graded_cells_structure', 'cpu_time']


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
        problems.append(_("'{variable}' is not built between the two locked cells").format(variable=model_variable))
    if not fitted:
        problems.append(_('no fit() call between the two locked cells'))
    return problems


def cpu_time(start: dict, end: dict, calibration: dict | None, nominal: float) -> tuple[float | None, float | None]:
    """(CPU minutes of the kernel's tree over the graded run, the same normalised by the
    calibration's CPU time), or (None, None) when either was not measured."""
    if start.get('cpu_start') is None or end.get('cpu_end') is None:
        return None, None
    cpu_minutes = max(0.0, end['cpu_end'] - start['cpu_start']) / 60.0
    measured = (calibration or {}).get('cpu_seconds_per_1000')
    if not measured:
        return cpu_minutes, None
    return cpu_minutes, cpu_minutes * nominal / measured


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
                          _('The graded run cannot be timed: the two locked cells ("{marker}") were not found '
                            'unchanged in the notebook (see the locked-cells check).').format(
                              marker=ctx.settings.locked_marker))
    not_done = untouched(ctx)          # an untouched Deel B: nothing of the student's to judge
    if not_done:
        return ctx.scored('partb.time', 0.0, not_done)
    by_index = {c['index']: c for c in cells}
    start, end = by_index.get(locked[0]), by_index.get(locked[1])
    if not start or not end or start.get('start') is None or end.get('end') is None or end['status'] != 'ok':
        return ctx.scored('partb.time', 0.0,
                          _('The graded run did not reach the end of the second locked cell (cell {index}), so it '
                            'cannot be timed.').format(index=locked[1]),
                          details={'locked_cells': list(locked)})
    broken = [c for c in cells if locked[0] < c['index'] < locked[1] and c['status'] not in ('ok', 'skipped')]
    if broken:
        cell = broken[0]
        what = (_('it raised {error}').format(error=cell['error']['ename']) if cell.get('error') else
                _(CELL_STATUS[cell['status']]) if cell['status'] in CELL_STATUS else cell['status'])
        return ctx.scored('partb.time', 0.0,
                          _('The graded run did not complete: in cell {index} {what}, so its time says nothing about '
                            'the requirement.').format(index=cell['index'], what=what),
                          details={'locked_cells': list(locked)})
    minutes = (end['end'] - start['start']) / 60.0
    factor = nominal / calibration['seconds_per_1000'] if calibration else 1.0
    wall = minutes * factor
    cpu_minutes, cpu = cpu_time(start, end, calibration, nominal)
    normalised = min(wall, cpu) if cpu is not None else wall
    details = {'minutes': minutes, 'normalised_minutes': normalised, 'limit_minutes': limit_minutes,
               'speed_factor': factor, 'nominal_seconds_per_1000': nominal,
               'measured_seconds_per_1000': calibration['seconds_per_1000'] if calibration else None,
               'wall_normalised_minutes': wall, 'cpu_minutes': cpu_minutes, 'cpu_normalised_minutes': cpu,
               'measured_cpu_seconds_per_1000': (calibration or {}).get('cpu_seconds_per_1000'),
               'judged_by': 'cpu' if cpu is not None and cpu < wall else 'wall',
               'locked_cells': list(locked), 'structure_problems': structure}
    speed = (_("{minutes} minutes here; this machine is {factor}× the nominal machine's speed").format(
        minutes=f'{minutes:.1f}', factor=f'{factor:.2f}') if calibration else
             _('not normalised: no speed measurement'))
    if cpu is not None and calibration:
        speed = _('{speed}; by CPU time {cpu} normalised minutes, by wall-clock time {wall}; the smaller '
                  'counts').format(speed=speed, cpu=f'{cpu:.1f}', wall=f'{wall:.1f}')
    if structure:
        return ctx.scored('partb.time', 0.0,
                          _('The graded run does not contain the graded work: {problems}. Its time was {normalised} '
                            'normalised minutes ({speed}).').format(problems='; '.join(structure),
                                                                    normalised=f'{normalised:.1f}', speed=speed),
                          details=details)
    ok = normalised <= limit_minutes
    message = (_('The graded run took {normalised} normalised minutes ({speed}); the limit is {limit}.') if ok else
               _('The graded run took {normalised} normalised minutes ({speed}); the limit is {limit}. Make the '
                 'model smaller, use fewer instances or epochs.')).format(
        normalised=f'{normalised:.1f}', speed=speed, limit=f'{limit_minutes:g}')
    return ctx.scored('partb.time', 1.0 if ok else 0.0, message, details=details)

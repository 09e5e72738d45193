"""Check `notebook.runs`: the notebook runs top to bottom in a fresh kernel without errors."""
from __future__ import annotations

from typing import Any

from ..i18n import _
from ..results import Check
from .context import Context

__all__ = ['judge']


def _timeout(cell: dict[str, Any]) -> str:
    """A cell ended by a time limit, naming the limit (older results name none)."""
    if cell.get('limit') == 'run':
        text = _('cell {index} was stopped at the time limit of the whole run, after {seconds} s').format(
            index=cell['index'], seconds=f"{cell['seconds']:.0f}")
    else:
        text = _('cell {index} was stopped at its time limit after {seconds} s').format(
            index=cell['index'], seconds=f"{cell['seconds']:.0f}")
        if cell.get('limit_seconds'):
            text += ' ' + _('(the cell time limit is {seconds} s)').format(seconds=f"{cell['limit_seconds']:.0f}")
    if cell.get('killed'):
        text += ' ' + _('and, as it ignored the interrupt, its kernel was stopped')
    return text


def judge(ctx: Context) -> Check:
    run = ctx.execution
    if run.get('error'):
        return ctx.scored('notebook.runs', 0.0, _('The notebook could not be run: {error}').format(error=run['error']))
    cells = run['cells']
    bad = [c for c in cells if c['status'] not in ('ok', 'skipped')]
    problems = []
    for cell in bad:
        if cell['status'] == 'error':
            error = cell['error'] or {}
            problems.append(_('cell {index} raised {error}').format(
                index=cell['index'], error=f"{error.get('ename')}: {error.get('evalue', '')[:200]}"))
        elif cell['status'] == 'timeout':
            problems.append(_timeout(cell))
        elif cell['status'] == 'kernel-died':
            problems.append(_('the kernel died in cell {index} (a crash, or a memory or time limit)').format(
                index=cell['index']))
    not_run = [c['index'] for c in cells if c['status'] == 'not-run']
    if not_run:
        killed = any(c.get('killed') for c in cells)
        reason = (_('the whole run exceeded its time limit') if run.get('timed_out')
                  else _('the kernel was stopped at the time limit') if killed
                  else _('the kernel had died') if run.get('kernel_died_in') is not None else _('the run stopped'))
        problems.append(_('{count} cell(s) from cell {index} on were not run: {reason}').format(
            count=len(not_run), index=not_run[0], reason=reason))
    ran = sum(c['status'] in ('ok', 'error', 'timeout') for c in cells)
    if not ran and not problems:     # all code turned into Markdown, say: nothing was shown to run
        problems.append(_('no code cell ran: the notebook has no code to run'))
    if ctx.locked is not None and not ctx.locked.details.get('locked_cells') and ctx.locked.details.get('expected'):
        problems.append(_('the locked cells of the graded run are not among its code cells, so the graded part '
                          'did not run'))
    if not problems:
        message = _('All {count} code cells ran without errors in {minutes} minutes.').format(
            count=ran, minutes=f"{run['seconds'] / 60:.1f}")
    else:
        message = _('Not every cell ran cleanly: {problems}.').format(
            problems='; '.join(problems[:8]) + (' …' if len(problems) > 8 else ''))
        if ctx.edition_hint:
            message = _('{message} {hint}').format(message=message, hint=ctx.edition_hint)
    return ctx.scored('notebook.runs', 0.0 if problems else 1.0, message,
                        details={'cells': len(cells), 'ran': ran, 'failing': [c['index'] for c in bad],
                                 'seconds': run['seconds']})

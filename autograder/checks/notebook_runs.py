"""Check `notebook.runs`: the notebook runs top to bottom in a fresh kernel without errors."""
from __future__ import annotations


from ..results import Check
from .context import Context

__all__ = ['judge']


def judge(ctx: Context) -> Check:
    run = ctx.execution
    if run.get('error'):
        return ctx.scored('notebook.runs', 0.0,
                            f"The notebook could not be run: {run['error']}")
    cells = run['cells']
    bad = [c for c in cells if c['status'] not in ('ok', 'skipped')]
    problems = []
    for cell in bad:
        if cell['status'] == 'error':
            error = cell['error'] or {}
            problems.append(f"cell {cell['index']} raised {error.get('ename')}: {error.get('evalue', '')[:200]}")
        elif cell['status'] == 'timeout':
            problems.append(f"cell {cell['index']} was stopped at its time limit after {cell['seconds']:.0f} s")
        elif cell['status'] == 'kernel-died':
            problems.append(f"the kernel died in cell {cell['index']} (a crash, or a memory or time limit)")
    not_run = [c['index'] for c in cells if c['status'] == 'not-run']
    if not_run:
        reason = ('the whole run exceeded its time limit' if run.get('timed_out')
                  else 'the kernel had died' if run.get('kernel_died_in') is not None else 'the run stopped')
        problems.append(f'{len(not_run)} cell(s) from cell {not_run[0]} on were not run: {reason}')
    ran = sum(c['status'] in ('ok', 'error', 'timeout') for c in cells)
    if not problems:
        message = f"All {ran} code cells ran without errors in {run['seconds'] / 60:.1f} minutes."
    else:
        message = 'Not every cell ran cleanly: ' + '; '.join(problems[:8]) + (' …' if len(problems) > 8 else '') + '.'
        if ctx.edition_hint:
            message += ' ' + ctx.edition_hint
    return ctx.scored('notebook.runs', 0.0 if problems else 1.0, message,
                        details={'cells': len(cells), 'ran': ran, 'failing': [c['index'] for c in bad],
                                 'seconds': run['seconds']})

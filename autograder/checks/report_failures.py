"""What becomes of the Part B checks that read the grader cell's report when that report was
tampered with, or never came: failed with that reason, or told why it could not come."""
from __future__ import annotations

from ..part_b.cell_report import REPORT_CHECKS
from ..results import PASS, Check
from .context import Context

__all__ = ['frame']


def frame(ctx: Context, check: Check) -> Check:
    if check.id not in REPORT_CHECKS:
        return check
    part_b = ctx.part_b
    notes = part_b.tampering.get(check.id)
    if notes:
        return ctx.scored(check.id, 0.0,
                          "Not graded: the grader's report from your kernel was tampered with (" + '; '.join(notes[:3]) +
                          "). The grader cell's output must come from the grader's code alone.",
                          details={'tampering': notes[:20]})
    why = _why_no_report(part_b.grader_cell) if part_b.report is None else ''
    if why and check.status != PASS:
        check.message += ' ' + why
    return check


def _why_no_report(grader_cell: dict | None) -> str:
    if grader_cell is None:
        return "The grader's cell did not run: the kernel had died or the run had timed out."
    if grader_cell.get('status') != 'ok':
        error = grader_cell.get('error') or {}
        what = (f"it raised {error.get('ename')}: {str(error.get('evalue', ''))[:200]}" if error
                else str(grader_cell.get('status', '')).replace('-', ' '))
        return f"The grader's cell could not run in your kernel: {what}."
    return ''

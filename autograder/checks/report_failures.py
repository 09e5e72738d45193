"""What becomes of the Part B checks that read the grader cell's report when that report was
tampered with, or never came: failed with that reason, or told why it could not come."""
from __future__ import annotations

from ..i18n import N_, _
from ..part_b.cell_report import REPORT_CHECKS
from ..results import PASS, Check
from .context import Context

__all__ = ['frame']

CELL_STATUS = {'timeout': N_('it was stopped at its time limit'), 'kernel-died': N_('the kernel died'),
               'not-run': N_('it did not run')}


def frame(ctx: Context, check: Check) -> Check:
    if check.id not in REPORT_CHECKS:
        return check
    part_b = ctx.part_b
    notes = part_b.tampering.get(check.id)
    if notes:
        return ctx.scored(check.id, 0.0,
                          _("Not graded: the grader's report from your kernel was tampered with ({notes}). The grader "
                            "cell's output must come from the grader's code alone.").format(notes='; '.join(notes[:3])),
                          details={'tampering': notes[:20]})
    why = _why_no_report(part_b.grader_cell) if part_b.report is None else ''
    if why and check.status != PASS:
        check.message = _('{message} {why}').format(message=check.message, why=why)
    return check


def _why_no_report(grader_cell: dict | None) -> str:
    if grader_cell is None:
        return _("The grader's cell did not run: the kernel had died or the run had timed out.")
    if grader_cell.get('status') != 'ok':
        error = grader_cell.get('error') or {}
        if error:
            return _("The grader's cell could not run in your kernel: it raised {error}.").format(
                error=f"{error.get('ename')}: {str(error.get('evalue', ''))[:200]}")
        status = str(grader_cell.get('status', ''))
        return _("The grader's cell could not run in your kernel: {status}.").format(
            status=_(CELL_STATUS[status]) if status in CELL_STATUS else status.replace('-', ' '))
    return ''

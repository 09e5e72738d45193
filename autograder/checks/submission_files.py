"""Check `submission.files`: the hand-in holds the module, the notebook and its HTML export
under the names the assignment asks for. Files found under another name or one folder
down still count for half; intake's findings say what was assumed."""
from __future__ import annotations

from ..results import Check
from .context import Context
from ..i18n import N_, _

__all__ = ['judge']

RENAMED = {
    'module': ('module-renamed', 'module-nested', 'package-renamed', 'package-init-missing', 'module-ambiguous'),
    'notebook': ('notebook-renamed', 'notebook-nested', 'notebook-ambiguous'),
    'html': ('html-renamed', 'html-nested', 'html-ambiguous'),
}


MISSING = {'module': N_('no module ({expected})'), 'notebook': N_('no notebook ({expected})'),
           'html': N_('no HTML export ({expected})')}
MISPLACED = {'module': N_('the module is not named or placed as asked ({expected})'),
             'notebook': N_('the notebook is not named or placed as asked ({expected})'),
             'html': N_('the HTML export is not named or placed as asked ({expected})')}


def judge(ctx: Context) -> Check:
    workspace, settings = ctx.workspace, ctx.settings
    codes = {f.code for f in workspace.findings}
    present = {'module': workspace.module is not None, 'notebook': workspace.notebook is not None,
               'html': workspace.html is not None}
    expected = {'module': _('{module} (or a {package}/ package)').format(module=settings.module_file,
                                                                         package=settings.package_name),
                'notebook': settings.notebook, 'html': settings.html_export}
    score, problems = 0.0, []
    for item, found in present.items():
        if not found:
            problems.append(_(MISSING[item]).format(expected=expected[item]))
        elif codes & set(RENAMED[item]):
            score += 0.5
            problems.append(_(MISPLACED[item]).format(expected=expected[item]))
        else:
            score += 1.0
    findings = [{'level': f.level, 'code': f.code, 'message': f.message} for f in workspace.findings]
    notes = [f.message for f in workspace.findings if f.level in ('warning', 'error')]
    message = (_('All three files are there, named as the assignment asks.') if not problems else
               _('Hand-in: {problems}.').format(problems='; '.join(problems)) + (' ' + ' '.join(notes[:4]) if notes else ''))
    return ctx.scored('submission.files', score / 3, message,
                        details={'findings': findings, 'module_kind': workspace.module_kind,
                                 'files': {k: str(getattr(workspace, k).relative_to(workspace.root))
                                           if getattr(workspace, k) else None for k in ('module', 'notebook', 'html')}})

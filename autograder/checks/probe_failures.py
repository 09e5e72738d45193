"""What becomes of the Part A checks when the probes did not deliver what they judge.

The probe records are claims of a process that ran student code (probes/integrity.py has
checked their form and consistency). So, before and after each Part A check is judged:
- a module that could not be imported, or an import record tampered with, fails every
  Part A check for that one reason (`unavailable`);
- a check whose probes were tampered with (the protocol broken: probes/integrity.py) fails
  with that reason, whatever its records say, and probes that never reported are named
  (`frame`);
- values of a probe that contradict each other (a bug, e.g. predictions that do not follow
  from the reported bias and weights) are judged as they are; the check names the
  inconsistency in a note, without a penalty of its own;
- a check whose judge raised on the records is an error to ask the instructor about
  (`grader_fault`), never a crash of the grader;
- how the runner adapted to the module (a keyword-only alpha) is added as a note.
"""
from __future__ import annotations

import traceback
from typing import Any

from .. import registry
from ..i18n import N_, _, fill
from ..probes.values import failure_reason
from ..probes.vlgrader_probe.texts import NOTES
from ..results import ERROR, Check
from .context import Context
from .locate import Fix, Place, with_fixes

__all__ = ['unavailable', 'frame', 'grader_fault', 'probe_notes', 'TAMPERED']

TAMPERED = N_('the probe output was tampered with')


def unavailable(ctx: Context) -> list[Check] | None:
    """Every Part A check, failed for one reason, when nothing can be judged; else None."""
    ids = registry.ids_of(registry.PART_A)
    ws, run = ctx.workspace, ctx.probes
    if ws.module is None:
        message = _('Could not be checked: the submission has no module ({module} or a {package}/ package).').format(
            module=ctx.settings.module_file, package=ctx.settings.package_name)
        return [ctx.scored(check_id, 0.0, message) for check_id in ids]
    if 'import' in run.tampered or '*' in run.tampered:
        notes = run.tampered.get('*', []) + run.tampered.get('import', [])
        return [_tampered(ctx, check_id, notes) for check_id in ids]
    record = run.result('import')
    if record is not None and record.get('ok'):
        return None
    if ctx.locator.unreadable:
        return _unreadable(ctx, ids, record)
    fixes = []
    if record is None:
        reason = (_('the probe process ended before it could import the module (exit code {code}); it was '
                    'stopped at the time limit') if run.returncode and run.timed_out else
                  _('the probe process ended before it could import the module (exit code {code})')
                  if run.returncode else
                  _('the probe process ended before it could import the module; it was stopped at the time limit')
                  if run.timed_out else
                  _('the probe process ended before it could import the module')).format(code=run.returncode)
    else:
        reason = _('importing it raised {reason}').format(reason=failure_reason(record))
        place = ctx.place(record.get('error'))
        if place and '/' in place.file:          # a package: its files import each other relatively
            fixes.append(Fix(place, _('the package must import without errors: import it on its own '
                                      '(python -c "import {package}") to see the whole traceback').format(
                package=place.file.split('/')[0])))
        elif place:
            fixes.append(Fix(place, _('the module must import without errors: run it on its own '
                                      '(python {file}) to see the whole traceback').format(file=place.file)))
    message = with_fixes(_('Could not be checked: the module cannot be imported — {reason}.').format(reason=reason),
                         fixes)
    error = dict((record or {}).get('error') or {}) or None
    trace = error.pop('traceback', None) if error else None     # names the grader's files: the instructor's
    return [ctx.scored(check_id, 0.0, message, details={'import_error': error, 'fix': [f.as_dict() for f in fixes]},
                       hidden={'traceback': trace} if trace else {}) for check_id in ids]


def _unreadable(ctx: Context, ids: tuple[str, ...], record: dict[str, Any] | None) -> list[Check]:
    """Python cannot read the module (a SyntaxError or IndentationError, found by reading it
    as Python does): said once, with the student's line, by the first check; the others
    refer to it (no location of the import machinery, no repeated advice)."""
    first = ctx.locator.unreadable[0]
    error = {k: v for k, v in ((record or {}).get('error') or {}).items() if k not in ('traceback', 'where')} or None
    said = ctx.scored(ids[0], 0.0, _('Could not be checked: Python cannot read the module — {where}. Nothing of '
                                     'Deel A can be checked until it can.').format(where=first.text()),
                      details={'unreadable': [u.__dict__ for u in ctx.locator.unreadable], 'import_error': error,
                               'fix': [Fix(Place(first.file, first.line, first.kind), first.message).as_dict()]})
    others = [ctx.scored(check_id, 0.0, _('Could not be checked: Python cannot read the module (see {check}).').format(
        check=ctx.title(ids[0])), details={'blocked_by': ids[0]}) for check_id in ids[1:]]
    return [said, *others]


def grader_fault(ctx: Context, check_id: str, error: Exception) -> Check:
    """The integrity checks passed the records, yet judging them raised: most likely a fault of
    the grader's (or a forgery the integrity checks did not foresee)."""
    return Check(check_id, ctx.title(check_id), ERROR, 0.0, ctx.points(check_id),
                 _('Not graded: the grader failed on the probe results of this check ({error}); ask your '
                   'instructor to look at the instructor report.').format(
                     error=f'{type(error).__name__}: {str(error)[:200]}'),
                 hidden={'traceback': traceback.format_exc()[-4000:]})


def frame(ctx: Context, check: Check) -> Check:
    """Tampering with a check's probes fails it; probes that never reported say why; the
    runner's notes on how it adapted to the module are added (no penalty)."""
    run, record = ctx.probes, registry.record(check.id)
    notes = [note for task_id, task_notes in run.tampered.items() if record.relies_on(task_id)
             for note in task_notes]
    if notes:
        return _tampered(ctx, check.id, notes)
    ids = [t['id'] for t in ctx.request['tasks'] if record.relies_on(t['id'])]
    if run.ended_early:
        missing = [t for t in ids if run.result(t) is None]
        if missing:
            if check.points == 0:
                check.message = _('Could not be checked: {reason}; {missing} of the {total} probes of this check '
                                  'never reported.').format(reason=run.ended_early, missing=len(missing), total=len(ids))
            else:
                check.message = _('{message} ({missing} of the {total} probes of this check never reported: '
                                  '{reason}.)').format(message=check.message, missing=len(missing), total=len(ids),
                                                       reason=run.ended_early)
            check.details = {**check.details, 'unreported': missing[:50]}
    adapted = list(check.details.get('notes', []))
    for task_id in ids:
        adapted += [n for n in probe_notes(run.result(task_id)) if n not in adapted]
    inconsistent = [n for task_id in ids for n in run.inconsistent.get(task_id, [])]
    if inconsistent:
        check.details = {**check.details, 'inconsistencies': inconsistent[:20]}
        adapted += [n for n in inconsistent if n not in adapted]
    if adapted:
        check.details = {**check.details, 'notes': adapted}
        check.message = _('{message} Note: {notes}.').format(message=check.message, notes='; '.join(adapted[:3]))
    return check


def probe_notes(record: dict[str, Any] | None) -> list[str]:
    """What the runner had to adapt to in one task (e.g. a keyword-only alpha), in the current
    language: the runner sends a code of its NOTES and the fields that fill it."""
    notes = (record or {}).get('notes')
    if not isinstance(notes, list):
        return []
    texts = []
    for note in notes[:10]:
        if isinstance(note, dict) and note.get('code') in NOTES and isinstance(note.get('params'), dict):
            texts.append(fill(NOTES[note['code']], {k: str(v)[:300] for k, v in note['params'].items()})[:500])
        elif isinstance(note, str):
            texts.append(note[:500])
    return texts


def _tampered(ctx: Context, check_id: str, notes: list[str]) -> Check:
    shown = '; '.join(notes[:3]) + (' …' if len(notes) > 3 else '')
    return ctx.scored(check_id, 0.0, _("Not graded: the probe output was tampered with ({notes}). Results come only "
                                       "from the grader's probes; code that interferes with them loses the checks "
                                       'concerned.').format(notes=shown),
                      details={'tampering': notes[:20]})

"""Part A: probe the student's module in a separate process, then judge the raw values."""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from . import expected as expected_values
from .checks import TITLES
from .checks.derivative import check_derivative
from .checks.function_tables import check_function_tables
from .checks.gradients import check_gradients
from .checks.layers_api import check_layers_api
from .checks.neurons import check_neurons
from .checks.training import check_training
from .checks.updates import check_updates
from .compare import failure_reason
from .probes.integrity import validate_records
from .probes.process import ProbeRun, run_probes
from .probes.tasks import build_tasks
from .results import ERROR, Check
from .settings import PART_A_CHECKS, Settings
from .workspace_setup import install_course_modules

__all__ = ['probe_module', 'judge_part_a']


def probe_module(settings: Settings, workspace: Path, module_kind: str, **run_options) -> tuple[dict[str, Any], ProbeRun]:
    """Probe the module in `workspace` (a folder the sandbox user can reach: see
    autograder.isolation.Isolation.workspace), with the course's modules installed beside it
    as for the notebook run; run_options go to run_probes."""
    install_course_modules(workspace, module_kind, settings.package_name, settings.course_modules)
    request = build_tasks(settings)
    return request, run_probes(workspace, module_kind, settings.package_name, request, **run_options)


def _not_importable(settings: Settings, run: ProbeRun) -> list[Check] | None:
    """When the module cannot be imported every Part A check fails for that one reason."""
    record = run.result('import')
    if record is not None and record.get('ok'):
        return None
    if record is None:
        reason = ('the probe process ended before it could import the module'
                  + (f' (exit code {run.returncode})' if run.returncode else '')
                  + ('; it was stopped at the time limit' if run.timed_out else ''))
    else:
        reason = f'importing it raised {failure_reason(record)}'
    message = f'Could not be checked: the module cannot be imported — {reason}.'
    error = dict((record or {}).get('error') or {}) or None
    trace = error.pop('traceback', None) if error else None     # names the grader's files: the instructor's
    return [Check.scored(check_id, TITLES[check_id], 0.0, settings.points[check_id], message,
                         details={'import_error': error}, hidden={'traceback': trace} if trace else {})
            for check_id in PART_A_CHECKS]


# Which probe tasks each check relies on: task ids, or prefixes ending in ':'.
CHECK_TASKS = {
    'activations.table': ('names', 'activation:'), 'activations.hidden': ('names', 'activation:'),
    'derivative': ('derivative',),
    'losses.table': ('names', 'loss:'), 'losses.hidden': ('names', 'loss:'),
    'neuron.perceptron': ('neuron:perceptron',), 'neuron.svm': ('neuron:svm',),
    'neuron.logistic': ('neuron:logistic',), 'neuron.linear-regression': ('neuron:linear-regression',),
    'layers.api': ('names', 'layers_api'), 'layers.gradients': ('gradient:',),
    'layers.updates': ('update:',), 'layers.training': ('training',),
}
assert set(CHECK_TASKS) == set(PART_A_CHECKS)
TAMPERED = 'the probe output was tampered with'


def _relies_on(check_id: str, task_id: str) -> bool:
    return task_id in ('import', '*') or any(
        task_id == p or (p.endswith(':') and task_id.startswith(p)) for p in CHECK_TASKS[check_id])


def judge_part_a(settings: Settings, request: dict[str, Any], run: ProbeRun) -> list[Check]:
    """Every Part A check from one probe run (comparisons happen here, in the grader).

    The records are claims of a process that ran student code: their form and consistency
    are checked first (probes/integrity.py); a check whose probes were tampered with fails
    with that reason, whatever the records say; a check never crashes the grader."""
    validate_records(request, run, settings.history_aliases)
    if 'import' in run.tampered or '*' in run.tampered:
        notes = run.tampered.get('*', []) + run.tampered.get('import', [])
        return [_tampered(settings, check_id, notes) for check_id in PART_A_CHECKS]
    failed = _not_importable(settings, run)
    if failed is not None:
        return failed
    expected = expected_values.load(settings)
    tasks = request['tasks']
    points = settings.points
    by_id = {t['id']: t for t in tasks}
    checks: list[Check] = []

    def add(check_ids: tuple[str, ...], build) -> None:
        try:
            built = build()
            checks.extend(built if isinstance(built, list) else [built])
        except Exception as error:     # the integrity checks passed the records: most likely a grader fault
            for check_id in check_ids:
                checks.append(Check(
                    check_id, TITLES[check_id], ERROR, 0.0, points[check_id],
                    f'Not graded: the grader failed on the probe results of this check ({type(error).__name__}: '
                    f'{str(error)[:200]}). Either {TAMPERED} or is not in the runner\'s form, or the grader '
                    f'has a fault: ask your instructor to look at the instructor report.',
                    hidden={'traceback': traceback.format_exc()[-4000:]}))

    add(('activations.table', 'activations.hidden'), lambda: check_function_tables(
        'activations', settings.activations, expected, run, points['activations.table'], points['activations.hidden']))
    add(('derivative',), lambda: check_derivative(run, settings.derivative_points, points['derivative']))
    add(('losses.table', 'losses.hidden'), lambda: check_function_tables(
        'losses', settings.losses, expected, run, points['losses.table'], points['losses.hidden']))
    add(('neuron.perceptron', 'neuron.svm', 'neuron.logistic', 'neuron.linear-regression'),
        lambda: check_neurons(run, tasks, points))
    add(('layers.api',), lambda: check_layers_api(run, by_id['layers_api'], points['layers.api']))
    add(('layers.gradients',), lambda: check_gradients(run, tasks, points['layers.gradients']))
    add(('layers.updates',), lambda: check_updates(run, tasks, points['layers.updates']))
    add(('layers.training',), lambda: check_training(run, by_id['training'], points['layers.training'],
                                                    settings.history_aliases))
    return [_with_notes(_integrity(settings, check, request, run), request, run) for check in checks]


def probe_notes(record: dict[str, Any] | None) -> list[str]:
    """What the runner had to adapt to in one task (e.g. a keyword-only alpha): texts only."""
    notes = (record or {}).get('notes')
    if not isinstance(notes, list):
        return []
    return [note[:500] for note in notes[:10] if isinstance(note, str)]


def _with_notes(check: Check, request: dict[str, Any], run: ProbeRun) -> Check:
    """Add the notes of the check's probes: how the grader adapted to the module (no penalty)."""
    notes = list(check.details.get('notes', []))
    for task in request['tasks']:
        if _relies_on(check.id, task['id']):
            notes += [n for n in probe_notes(run.result(task['id'])) if n not in notes]
    if notes:
        check.details = {**check.details, 'notes': notes}
        check.message += ' Note: ' + '; '.join(notes[:3]) + '.'
    return check


def _tampered(settings: Settings, check_id: str, notes: list[str]) -> Check:
    shown = '; '.join(notes[:3]) + (' …' if len(notes) > 3 else '')
    return Check.scored(check_id, TITLES[check_id], 0.0, settings.points[check_id],
                        f'Not graded: {TAMPERED} ({shown}). Results come only from the grader\'s probes; '
                        'code that interferes with them loses the checks concerned.',
                        details={'tampering': notes[:20]})


def _integrity(settings: Settings, check: Check, request: dict[str, Any], run: ProbeRun) -> Check:
    """Tampering with a check's probes fails it; probes that never reported say why."""
    notes = [note for task_id, task_notes in run.tampered.items() if _relies_on(check.id, task_id)
             for note in task_notes]
    if notes:
        return _tampered(settings, check.id, notes)
    if run.ended_early:
        ids = [t['id'] for t in request['tasks'] if _relies_on(check.id, t['id'])]
        missing = [t for t in ids if run.result(t) is None]
        if missing:
            if check.points == 0:
                check.message = (f'Could not be checked: {run.ended_early}; {len(missing)} of the '
                                 f'{len(ids)} probes of this check never reported.')
            else:
                check.message += (f' ({len(missing)} of the {len(ids)} probes of this check never reported: '
                                  f'{run.ended_early}.)')
            check.details = {**check.details, 'unreported': missing[:50]}
    return check

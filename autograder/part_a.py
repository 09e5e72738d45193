"""Part A: probe the student's module in a separate process, then judge the raw values."""
from __future__ import annotations

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
from .compare import error_text
from .probes.process import ProbeRun, run_probes
from .probes.tasks import build_tasks
from .results import Check
from .settings import Settings

__all__ = ['probe_module', 'judge_part_a']


def probe_module(settings: Settings, workspace: Path, module_kind: str, **run_options) -> tuple[dict[str, Any], ProbeRun]:
    """Probe the module in `workspace` (a folder the sandbox user can reach: see
    autograder.isolation.Isolation.workspace); run_options go to run_probes."""
    request = build_tasks(settings)
    return request, run_probes(workspace, module_kind, settings.package_name, request, **run_options)


PART_A_CHECKS = ('activations.table', 'activations.hidden', 'derivative', 'losses.table', 'losses.hidden',
                 'neuron.perceptron', 'neuron.svm', 'neuron.logistic', 'neuron.linear-regression',
                 'layers.api', 'layers.gradients', 'layers.updates', 'layers.training')


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
        error = record.get('error', {})
        where = f" at {error['where'][-1]}" if error.get('where') else ''
        reason = f'importing it raised {error_text(error)}{where}'
    message = f'Could not be checked: the module cannot be imported — {reason}.'
    return [Check.scored(check_id, TITLES[check_id], 0.0, settings.points[check_id], message,
                         details={'import_error': record.get('error') if record else None})
            for check_id in PART_A_CHECKS]


def judge_part_a(settings: Settings, request: dict[str, Any], run: ProbeRun) -> list[Check]:
    """Every Part A check from one probe run (comparisons happen here, in the grader)."""
    failed = _not_importable(settings, run)
    if failed is not None:
        return failed
    expected = expected_values.load(settings)
    tasks = request['tasks']
    points = settings.points
    by_id = {t['id']: t for t in tasks}
    checks = []
    checks += check_function_tables('activations', settings.activations, expected, run,
                                    points['activations.table'], points['activations.hidden'])
    checks.append(check_derivative(run, settings.derivative_points, points['derivative']))
    checks += check_function_tables('losses', settings.losses, expected, run,
                                    points['losses.table'], points['losses.hidden'])
    checks += check_neurons(run, tasks, points)
    checks.append(check_layers_api(run, by_id['layers_api'], points['layers.api']))
    checks.append(check_gradients(run, tasks, points['layers.gradients']))
    checks.append(check_updates(run, tasks, points['layers.updates']))
    checks.append(check_training(run, by_id['training'], points['layers.training']))
    return checks

"""Grade one submission: submission → workspace → static checks → probes → execution →
Part B measurements → results. Each step is a small function; each check its own module.

Every step records what it found as checks, so a submission that breaks one step still
gets a complete result: a check that could not be reached says why.
"""
from __future__ import annotations

import secrets
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import nbformat

from . import __version__
from .checks import TITLES
from .checks.locked_cells import check_locked_cells
from .checks.module_imports import check_module_imports
from .checks.notebook_format import read_notebook
from .checks.notebook_runs import check_notebook_runs
from .checks.partb_accuracy import check_partb_accuracy
from .checks.partb_activation import check_partb_activation
from .checks.partb_overfitting import check_partb_overfitting
from .checks.partb_time import check_partb_time, graded_cells_structure
from .checks.submission_files import check_submission_files
from .execution import GraderCell, parameters_cell, run_notebook
from .intake import IntakeError, SubmissionSpec, Workspace, intake
from .isolation import Isolation
from .part_a import judge_part_a, probe_module
from .part_b import kernel_cell
from .part_b.calibration import seconds_per_1000
from .part_b.hidden_set import split_data_file
from .part_b.report import REPORT_CHECKS, read_report
from .results import ERROR, SKIPPED, Check, Results, gradescope, write_json_atomic
from .settings import CHECK_IDS, PART_A_CHECKS, PART_B_CHECKS, Settings
from .sandbox.host import hand_over
from .workspace_setup import install_course_files, notebook_imports

__all__ = ['GradeOptions', 'grade']


@dataclass
class GradeOptions:
    profile: str = 'quick'
    mode: str = 'grade'                  # 'grade': everything; 'check': static checks and probes only
    data_file: Path | None = None        # the course's data file; default: the embedded stand-in
    progress: bool = True
    keep_workspace: bool = True
    isolation: Isolation | None = None   # how student code runs; None: the sandbox when available
    student: str | None = None           # overrides what intake finds


@dataclass
class _State:
    results: Results
    out: Path
    workspace: Workspace | None = None
    notebook: Any = None
    locked: tuple[int, int] | None = None
    part_a: dict[str, Check] = field(default_factory=dict)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec='seconds')


@contextmanager
def _step(state: _State, name: str):
    """Time a step into results.timings."""
    start = time.monotonic()
    try:
        yield
    finally:
        state.results.timings[name] = round(time.monotonic() - start, 3)


def grade(source: Path, settings: Settings, out: Path, options: GradeOptions | None = None) -> dict[str, Any]:
    """Grade `source` into `out` (grading.json, results.json, executed.ipynb, workspace/)."""
    options = options or GradeOptions()
    if options.isolation is None:        # decided once per grading, without touching the caller's options
        options = replace(options, isolation=Isolation())
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    results = Results(settings, options.profile, submission={'source': Path(source).name}, mode=options.mode)
    results.started = _now()
    results.environment = {'grader_version': __version__, 'python': sys.version.split()[0],
                           'sandboxed': options.isolation.sandboxed,
                           'isolation': options.isolation.describe()}
    state = _State(results, out)
    started = time.monotonic()
    with _step(state, 'intake'):
        ok = _intake(state, Path(source), settings, options)
    if ok:
        with _step(state, 'static'):
            _static_checks(state, settings)
        with _step(state, 'probes'):
            _part_a(state, settings, options)
        if options.mode == 'grade':
            _part_b(state, settings, options)
        else:
            for check_id in PART_B_CHECKS:
                results.add(Check(check_id, TITLES[check_id], SKIPPED, 0.0, settings.points[check_id],
                                  'Not run by `autograder check`: run `autograder check --full` or '
                                  '`autograder grade` to execute the notebook and Part B.'))
    results.timings['total'] = round(time.monotonic() - started, 3)
    results.complete()
    results.finished = _now()
    document = results.to_dict()
    write_json_atomic(out / 'grading.json', document)
    write_json_atomic(out / 'results.json', gradescope(document))
    if state.workspace and not options.keep_workspace:
        shutil.rmtree(state.workspace.root, ignore_errors=True)
    return document


# --- steps -------------------------------------------------------------------------------
def _intake(state: _State, source: Path, settings: Settings, options: GradeOptions) -> bool:
    spec = SubmissionSpec.from_settings(settings)
    root = state.out / 'workspace'
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    try:
        workspace = intake(source, root, spec)
    except (IntakeError, OSError) as error:
        message = f'The submission could not be accepted: {error}'
        state.results.submission.update(rejected=str(error))
        for check_id in CHECK_IDS:
            state.results.add(Check(check_id, TITLES[check_id], ERROR, 0.0, settings.points[check_id], message))
        return False
    state.workspace = workspace
    state.results.submission.update(
        checksum=workspace.checksum, student=options.student or workspace.student, attempt=workspace.attempt,
        module_kind=workspace.module_kind,
        findings=[{'level': f.level, 'code': f.code, 'message': f.message} for f in workspace.findings])
    return True


def _static_checks(state: _State, settings: Settings) -> None:
    ws, points = state.workspace, settings.points
    results = state.results
    results.add(check_submission_files(ws, settings, points['submission.files']))
    results.add(check_module_imports(ws.module, ws.module_kind, ws.root, package_name=settings.package_name,
                                     optional_allowed=settings.optional_imports,
                                     course_modules=settings.course_modules,
                                     max_points=points['static.imports']))
    shown = ws.notebook.relative_to(ws.root).as_posix() if ws.notebook else ''
    check, state.notebook = read_notebook(ws.notebook, shown, points['static.notebook-format'])
    results.add(check)
    master = nbformat.read(settings.master_path, as_version=4)
    check, state.locked = check_locked_cells(state.notebook, master, settings.locked_marker,
                                             points['static.locked-cells'])
    results.add(check)


def _part_a(state: _State, settings: Settings, options: GradeOptions) -> None:
    ws = state.workspace
    if ws.module is None:
        for check_id in PART_A_CHECKS:
            state.results.add(Check.scored(check_id, TITLES[check_id], 0.0, settings.points[check_id],
                                           'Could not be checked: the submission has no module '
                                           f'({settings.module_file} or a {settings.package_name}/ package).'))
        return
    # The probes get their own copy of the module: nothing they do touches the notebook's workspace.
    isolation = options.isolation
    probe_root = isolation.workspace()
    try:
        target = probe_root / ws.module.name
        if ws.module.is_dir():
            shutil.copytree(ws.module, target, symlinks=False)
        else:
            shutil.copy2(ws.module, target)
        request, run = probe_module(settings, probe_root, ws.module_kind,
                                    limits=isolation.probe_limits(settings), sandbox=isolation.sandbox)
    finally:
        shutil.rmtree(probe_root, ignore_errors=True)
    checks = judge_part_a(settings, request, run)
    state.part_a = {c.id: c for c in checks}
    state.results.add(*checks)
    state.results.environment['probes'] = {
        'seconds': round(run.seconds, 3), 'finished': run.finished, 'returncode': run.returncode,
        'timed_out': run.timed_out, 'problems': run.problems[:20], 'stderr_tail': run.stderr[-3000:],
        'sandboxed': run.sandboxed, 'sandbox_note': run.sandbox_note}


def _part_b(state: _State, settings: Settings, options: GradeOptions) -> None:
    results, ws, points = state.results, state.workspace, settings.points
    profile = settings.profile(options.profile)
    part_b = settings.part_b
    if state.notebook is None:
        for check_id in PART_B_CHECKS:
            results.add(Check.scored(check_id, TITLES[check_id], 0.0, points[check_id],
                                     'Could not be run: there is no readable notebook (see the notebook check).'))
        return
    isolation = options.isolation
    with _step(state, 'prepare'):
        # The notebook runs in a sandbox-owned copy; the intake workspace stays as handed in.
        root = isolation.workspace(ws.root)
        notes = install_course_files(root, ws.module_kind or 'flat', settings.package_name,
                                     notebook_imports(state.notebook), settings.course_modules)
        source = options.data_file or _default_data_file()
        hidden = split_data_file(source, root / part_b.data_file, classes=part_b.classes,
                                 data_groups=profile.data_groups, hidden_groups=profile.hidden_groups,
                                 seed=part_b.hidden_seed).shuffled(secrets.SystemRandom())
        nb = state.notebook
        parameters = parameters_cell(nb, profile.parameters, f'profile {profile.name}') if profile.parameters else None
        locked = state.locked
        cell = GraderCell('part_b', kernel_cell.source(hidden, model=part_b.model_variable,
                                                       history=part_b.history_variable,
                                                       test=part_b.test_variables,
                                                       links=['next', *settings.attribute_aliases.get('next', [])]),
                          after=locked[1] if locked else -1,
                          timeout=min(600.0, profile.cell_timeout_minutes * 60))
        results.environment['data'] = {
            'source': 'course file' if options.data_file else 'embedded stand-in', 'file': str(source.name),
            'visible_groups': profile.data_groups, 'hidden_groups': profile.hidden_groups,
            'hidden_instances': len(hidden)}
        results.environment['workspace_notes'] = notes
        hand_over(root)
    with _step(state, 'calibration'):
        calibration = seconds_per_1000(isolation.kernel_python)
        results.environment['calibration'] = calibration
    with _step(state, 'execution'):
        try:
            limits = isolation.kernel_limits(settings, profile)
            run = run_notebook(nb, root, km_factory=lambda: isolation.kernel_manager(root, settings, profile),
                               cell_timeout=profile.cell_timeout_minutes * 60,
                               run_timeout=profile.run_timeout_minutes * 60,
                               grader_cells=[c for c in (parameters, cell) if c is not None],
                               progress=options.progress, output_bytes=limits.output_bytes)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        nbformat.write(nb, state.out / 'executed.ipynb')
    run_dict = run.to_dict()
    grader_run = run_dict.get('grader', {}).get('part_b')
    report, tampering = read_report(grader_run)
    results.notebook = {
        'cells': run_dict['cells'], 'seconds': run.seconds, 'startup_seconds': run.startup_seconds,
        'kernel_died_in': run.kernel_died_in, 'timed_out': run.timed_out, 'error': run.error,
        'kernel_exit': run.kernel_exit, 'sandboxed': run.sandboxed,
        'injected_parameters': profile.parameters if parameters is not None else None,
        'grader_cell': {k: v for k, v in (grader_run or {}).items() if k != 'outputs'},
    }
    hidden_ok: dict[str, bool] = {}
    hidden_check = state.part_a.get('activations.hidden')
    if hidden_check is not None:
        hidden_ok = {row['function']: row['ok'] for row in hidden_check.details.get('functions', [])}
    results.add(check_notebook_runs(run_dict, points['notebook.runs']))
    results.add(check_partb_activation(report, part_b.required_activations, points['partb.activation'], hidden_ok))
    structure = []
    if locked:
        between = [c.source for c in nb.cells[locked[0] + 1:locked[1]] if c.cell_type == 'code']
        structure = graded_cells_structure(between, part_b.model_variable)
    results.add(check_partb_time(run_dict['cells'], locked, profile.time_limit_minutes, calibration,
                                 part_b.nominal_seconds_per_1000, structure, points['partb.time']))
    results.add(check_partb_accuracy(report, hidden.labels, part_b.classes, part_b.letters,
                                     profile.min_accuracy, profile.target_accuracy, points['partb.accuracy']))
    results.add(check_partb_overfitting(report, part_b.history_variable, part_b.overfitting_rise,
                                        part_b.overfitting_gap, points['partb.overfitting'],
                                        settings.history_aliases))
    _report_integrity(results, settings, grader_run, report, tampering)


def _report_integrity(results: Results, settings: Settings, grader_run: dict[str, Any] | None,
                      report: dict[str, Any] | None, tampering: dict[str, list[str]]) -> None:
    """The checks that read the grader cell's report: failed when it was tampered with, and
    told why when the grader cell could not report at all."""
    why = ''
    if report is None:
        if grader_run is None:
            why = "The grader's cell did not run: the kernel had died or the run had timed out."
        elif grader_run.get('status') != 'ok':
            error = grader_run.get('error') or {}
            what = (f"it raised {error.get('ename')}: {str(error.get('evalue', ''))[:200]}" if error
                    else str(grader_run.get('status', '')).replace('-', ' '))
            why = f"The grader's cell could not run in your kernel: {what}."
    for index, check in enumerate(results.checks):
        if check.id not in REPORT_CHECKS:
            continue
        notes = tampering.get(check.id)
        if notes:
            results.checks[index] = Check.scored(
                check.id, check.title, 0.0, settings.points[check.id],
                "Not graded: the grader's report from your kernel was tampered with (" + '; '.join(notes[:3]) +
                "). The grader cell's output must come from the grader's code alone.",
                details={'tampering': notes[:20]})
            results.checks[index].hard_requirement = check.hard_requirement
        elif why and check.status != 'pass':
            check.message += ' ' + why


def _default_data_file() -> Path:
    from vlearning.data.standin import ensure_standin
    return ensure_standin()

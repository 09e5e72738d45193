"""The notebook run that Part B is graded on: prepare its workspace, measure this machine's
speed, run the notebook with the grader's cells, and read the grader cell's report.

The notebook runs in a sandbox-owned copy of the workspace (the intake workspace stays as
handed in) with the course's modules installed, and a data file with the hidden groups
withheld; the hidden images go to the kernel right after the last locked cell, in a secret
order, while their labels stay here.
"""
from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..settings.course_secret import CourseSecret, derive_seed, public_test_secret

__all__ = ['PartBRun', 'run_graded_notebook']


@dataclass
class PartBRun:
    """What the graded notebook run left for the checks."""
    execution: dict[str, Any] | None = None       # notebook.execution.NotebookRun as a dict
    report: dict[str, Any] | None = None          # the grader cell's report, cleaned (report.py)
    tampering: dict[str, list[str]] = field(default_factory=dict)   # check id → notes
    grader_cell: dict[str, Any] | None = None     # how the grader cell ran
    labels: list[int] = field(default_factory=list)   # the hidden set's labels (never in the kernel)
    calibration: dict[str, Any] | None = None     # this machine's speed
    notebook: dict[str, Any] = field(default_factory=dict)       # the run, for the results document
    environment: dict[str, Any] = field(default_factory=dict)    # the data and workspace, for the results


def run_graded_notebook(nb, workspace, locked: tuple[int, int] | None, settings, profile, isolation, *,
                        data_file: Path | None, out: Path, progress: bool, timings: dict[str, float],
                        secret: CourseSecret | None = None, hidden_data: Path | None = None) -> PartBRun:
    """Run `nb` (executed in place, written to out/executed.ipynb) from a copy of `workspace`
    (the intake Workspace); `locked`: the graded run's locked cells, if intact. The hidden
    groups are chosen by the course `secret` (None: the public test secret), from
    `hidden_data` when given (a file students never had), else from the data file."""
    import time
    # here, not at the top: the self-check imports this module (PartBRun) and never runs a notebook
    import nbformat

    from ..notebook.execution import GraderCell, parameters_cell, run_notebook, sandboxed_kernel
    from ..notebook.workspace import install_course_files, notebook_imports
    from ..sandbox.host import hand_over
    from . import kernel_cell
    from .calibration import load_matched, measure
    from .cell_report import read_report
    from .hidden_set import split_data_file
    part_b, result = settings.part_b, PartBRun()
    started = time.monotonic()
    root = isolation.workspace(workspace.root)
    try:
        notes = install_course_files(root, workspace.module_kind or 'flat', settings.package_name,
                                     notebook_imports(nb), settings.course_modules)
        source = data_file or _default_data_file(part_b.standin)
        seed = derive_seed(secret or public_test_secret(), settings.id, f'hidden-groups/{part_b.hidden_seed}')
        hidden = split_data_file(source, root / part_b.data_file, classes=part_b.classes,
                                 data_groups=profile.data_groups, hidden_groups=profile.hidden_groups,
                                 seed=seed, hidden_source=hidden_data).shuffled(secrets.SystemRandom())
        result.labels = hidden.labels
        parameters = parameters_cell(nb, profile.parameters, f'profile {profile.name}') if profile.parameters else None
        cell = GraderCell('part_b', kernel_cell.source(hidden, model=part_b.model_variable,
                                                       history=part_b.history_variable,
                                                       test=part_b.test_variables,
                                                       links=['next', *settings.attribute_aliases.get('next', [])],
                                                       parameters=list(part_b.required_parameters)),
                          after=locked[1] if locked else -1,
                          timeout=min(600.0, profile.cell_timeout_minutes * 60))
        watch = (GraderCell('watch', kernel_cell.watch_source([Path(part_b.data_file).name]), after=locked[0],
                            timeout=30.0) if locked else None)
        result.environment = {
            'data': {'source': 'course file' if data_file else 'embedded stand-in', 'file': str(source.name),
                     'visible_groups': profile.data_groups, 'hidden_groups': profile.hidden_groups,
                     'hidden_instances': len(hidden),
                     # a separate file nobody handed out, or the groups of a file students have
                     'hidden_source': 'separate file' if hidden_data else 'data file',
                     'hidden_file': hidden_data.name if hidden_data else None},
            'workspace_notes': notes}
        hand_over(root)
        timings['prepare'] = round(time.monotonic() - started, 3)
        started = time.monotonic()
        before = measure(isolation.kernel_python)
        timings['calibration'] = round(time.monotonic() - started, 3)
        started = time.monotonic()
        limits = isolation.kernel_limits(settings, profile)
        run = run_notebook(nb, root, km_factory=lambda: sandboxed_kernel(isolation, root, limits),
                           cell_timeout=profile.cell_timeout_minutes * 60,
                           run_timeout=profile.run_timeout_minutes * 60,
                           grader_cells=[c for c in (parameters, watch, cell) if c is not None],
                           progress=progress, output_bytes=limits.output_bytes)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    timings['execution'] = round(time.monotonic() - started, 3)
    started = time.monotonic()
    result.calibration = load_matched(before, measure(isolation.kernel_python))
    result.environment['calibration'] = result.calibration
    timings['calibration'] = round(timings['calibration'] + time.monotonic() - started, 3)
    nbformat.write(nb, out / 'executed.ipynb')
    result.execution = run.to_dict()
    result.grader_cell = result.execution.get('grader', {}).get('part_b')
    result.report, result.tampering = read_report(result.grader_cell)
    result.notebook = {
        'cells': result.execution['cells'], 'seconds': run.seconds, 'startup_seconds': run.startup_seconds,
        'kernel_died_in': run.kernel_died_in, 'timed_out': run.timed_out, 'error': run.error,
        'kernel_exit': run.kernel_exit, 'sandboxed': run.sandboxed,
        'injected_parameters': profile.parameters if parameters is not None else None,
        'grader_cell': {k: v for k, v in (result.grader_cell or {}).items() if k != 'outputs'},
    }
    return result


def _default_data_file(standin: str) -> Path:
    """The embedded stand-in of the assignment's data file (settings: part_b.standin)."""
    import importlib
    return importlib.import_module(standin).ensure_standin()

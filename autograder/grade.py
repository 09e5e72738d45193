"""Grade one submission: the pipeline as a list of steps, each a small function.

    intake → static checks → probes → Part A checks → notebook run → Part B checks → results

Every step reads and extends one Context (checks/context.py); a checks step judges the
registry's records of its step (registry.py), in order, and frames them (probes or the grader
cell's report missing or tampered with). Every step records what it found, so a submission
that breaks one step still gets a complete result: a check that could not be reached says why.
nbgrader's list of preprocessors is the model.
"""
from __future__ import annotations

import shutil
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import __version__, kit, registry
from .authoring import expected as expected_values
from .checks import judge_of, locked_cells, not_written, notebook_format, probe_failures, report_failures
from .checks.context import Context
from .results.gradescope_json import gradescope_results
from .i18n import _, join_and, language, resolve
from .intake import Finding, IntakeError, SubmissionSpec, Workspace, intake
from .notebook import fast_read
from .intake.module_copy import copy_module_folder
from .notebook.edition import other_edition
from .notebook.workspace import install_course_modules
from .part_b.graded_run import run_graded_notebook
from .probes.collect import ProbeRun, run_probes
from .probes.integrity import validate_records
from .probes.request import build_tasks
from .results import ERROR, SKIPPED, Check, Results, write_json_atomic
from .review import review_flags
from .review.determinism import RERUN_KINDS, differences
from .sandbox.isolation import Isolation
from .settings import Settings
from .settings.course_secret import CourseSecret, find_secret, public_test_secret

__all__ = ['GradeOptions', 'grade', 'STEPS', 'probe_module', 'judge_part_a']


@dataclass
class GradeOptions:
    profile: str = 'quick'
    mode: str = 'grade'                  # 'grade': everything; 'check': static checks and probes only
    data_file: Path | None = None        # the course's data file; default: the embedded stand-in
    progress: bool = True
    keep_workspace: bool = True
    isolation: Isolation | None = None   # how student code runs; None: the sandbox when available
    student: str | None = None           # overrides what intake finds
    language: str | None = None          # of the messages: see i18n.resolve (default: the assignment's)
    part: str | None = None              # 'check' one part only (registry.parts()): its probes, its checks
    on_step: Callable[[str], None] | None = None    # told the name of each step as it starts (batch progress)
    secret: CourseSecret | None = None   # the course secret; None: find_secret(), else the public test secret
    hidden_data: Path | None = None      # a data file students never had: the hidden groups come from it


@dataclass
class Session:
    """One grading: its options, where it writes, the context the checks read, the results."""
    source: Path
    out: Path
    options: GradeOptions
    ctx: Context
    results: Results
    refused: bool = False                # intake refused the submission: nothing else runs

    def add(self, check: Check) -> None:
        self.ctx.checks[check.id] = check
        self.results.add(check)


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Session], None]
    modes: tuple[str, ...] = ('grade', 'check')


# --- the steps ---------------------------------------------------------------------------------
def receive(session: Session) -> None:
    """The submission becomes a workspace (a copy; the original is only read)."""
    ctx, results = session.ctx, session.results
    root = session.out / 'workspace'
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    try:
        ws = intake(session.source, root, SubmissionSpec.from_settings(ctx.settings))
    except (IntakeError, OSError) as error:
        _refuse(session, str(error))
        return
    ctx.workspace = ws
    results.submission.update(
        checksum=ws.checksum, student=session.options.student or ws.student, attempt=ws.attempt,
        module_kind=ws.module_kind,
        findings=[{'level': f.level, 'code': f.code, 'message': f.message} for f in ws.findings])
    if ws.module is None and ws.notebook is None:      # e.g. only Blackboard's receipt
        _refuse(session, _nothing_to_grade(ws, ctx.settings))


def _nothing_to_grade(ws: Workspace, settings: Settings) -> str:
    files = sorted(p.relative_to(ws.root).as_posix() for p in ws.root.rglob('*') if p.is_file())
    shown = join_and([f"'{f}'" for f in files[:5]] + ([_('{count} more').format(count=len(files) - 5)]
                                                     if len(files) > 5 else []))
    return (_("Nothing to grade: the hand-in holds neither the module ('{module}') nor the notebook ('{notebook}'); "
              'it holds only {files}.') if files else
            _("Nothing to grade: the hand-in holds neither the module ('{module}') nor the notebook ('{notebook}'); "
              'it is empty.')).format(module=settings.module_file, notebook=settings.notebook, files=shown)


def _refuse(session: Session, reason: str) -> None:
    """The submission is rejected: every check says why, and nothing else runs."""
    ctx = session.ctx
    session.results.submission.update(rejected=reason)
    for check_id in registry.CHECK_IDS:
        session.add(Check(check_id, ctx.title(check_id), ERROR, 0.0, ctx.points(check_id),
                          _('The submission could not be accepted: {error}').format(error=reason)))
    session.refused = True


def static(session: Session) -> None:
    """Read the notebook, find its locked cells, judge the static checks."""
    ctx, ws = session.ctx, session.ctx.workspace
    if session.options.part:             # one part of Deel A only: the hand-in is not its business
        _judge(session, registry.STATIC)
        return
    shown = ws.notebook.relative_to(ws.root).as_posix() if ws.notebook else ''
    ctx.reading = notebook_format.read(ws.notebook, shown)
    ctx.notebook = ctx.reading.notebook
    master = fast_read.read(ctx.settings.master_path)
    ctx.locked = locked_cells.match(ctx.notebook, master, ctx.settings.locked_marker)
    ctx.edition_hint = other_edition(ctx.notebook, shown, ctx.settings) if ctx.notebook is not None else None
    if ctx.edition_hint:
        finding = Finding('warning', 'other-edition', ctx.edition_hint)
        ws.findings.append(finding)
        session.results.submission.setdefault('findings', []).append(
            {'level': finding.level, 'code': finding.code, 'message': finding.message})
    _judge(session, registry.STATIC)


def probe(session: Session) -> None:
    """Probe a copy of the module in a separate (sandboxed) process; the records are checked."""
    ctx = session.ctx
    if ctx.workspace.module is None:
        return
    ctx.request, ctx.probes = _probe_copy(session)
    run = ctx.probes
    session.results.environment['probes'] = {
        'seconds': round(run.seconds, 3), 'finished': run.finished, 'returncode': run.returncode,
        'timed_out': run.timed_out, 'problems': run.problems[:20], 'stderr_tail': run.stderr[-3000:],
        'sandboxed': run.sandboxed, 'sandbox_note': run.sandbox_note,
        'files_left_out': session.results.environment.pop('probe_files_left_out', [])}


def _probe_copy(session: Session, kinds: tuple[str, ...] | None = None) -> tuple[dict[str, Any], ProbeRun]:
    """Probe a fresh copy of the module (the probes' own: nothing they do touches the notebook's)."""
    ctx, ws, isolation = session.ctx, session.ctx.workspace, session.options.isolation
    root = isolation.workspace()
    try:
        left_out = copy_module_folder(ws.module, root)    # with its sibling files, as the student's import sees it
        session.results.environment['probe_files_left_out'] = left_out
        return probe_module(ctx.settings, root, ws.module_kind, secret=session.options.secret, kinds=kinds,
                            limits=isolation.probe_limits(ctx.settings), sandbox=isolation.sandbox,
                            part=session.options.part)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def determinism(session: Session) -> None:
    """Run the function tables in a second probe process and compare (a review flag only)."""
    ctx = session.ctx
    if ctx.workspace.module is None or ctx.probes is None or not ctx.probes.finished:
        return
    again = _probe_copy(session, RERUN_KINDS)[1]
    ctx.memo['nondeterministic'] = differences(ctx.request, ctx.probes, again)


def review(session: Session) -> None:
    """The review flags: evidence for the instructor, never a score (review/flags.py)."""
    session.results.review = review_flags(session.ctx)


def part_a(session: Session) -> None:
    """Judge the probes' raw values (the comparisons happen here, in the grader)."""
    ctx = session.ctx
    if ctx.probes is not None:
        validate_records(ctx.request, ctx.probes, ctx.settings.history_aliases)
    failed = probe_failures.unavailable(ctx)
    if failed is not None:
        for check in failed:
            session.add(_out_of_focus(session, check.id) or check)
        return
    _judge(session, registry.PART_A, frame=probe_failures.frame, fault=probe_failures.grader_fault)
    not_written.mark(ctx, list(ctx.checks.values()))


def notebook(session: Session) -> None:
    """Run the notebook top to bottom in a fresh sandboxed kernel, with the grader's cells."""
    ctx, options = session.ctx, session.options
    if ctx.notebook is None:
        return
    import nbformat
    ctx.notebook = nbformat.from_dict(ctx.notebook)     # nbclient's own notebook type (fast_read reads dicts)
    ctx.part_b = run_graded_notebook(ctx.notebook, ctx.workspace, ctx.locked.graded_run, ctx.settings, ctx.profile,
                                     options.isolation, data_file=options.data_file, out=session.out,
                                     progress=options.progress, timings=session.results.timings,
                                     secret=options.secret, hidden_data=options.hidden_data)
    session.results.notebook = ctx.part_b.notebook
    session.results.environment.update(ctx.part_b.environment)


def part_b(session: Session) -> None:
    """Judge the notebook run and what the grader cell reported."""
    ctx = session.ctx
    if ctx.notebook is None:
        for check_id in registry.PART_B_CHECKS:
            session.add(ctx.scored(check_id, 0.0,
                                   _('Could not be run: there is no readable notebook (see the notebook check).')))
        return
    _judge(session, registry.PART_B, frame=report_failures.frame)


STEPS = (
    Step('intake', receive),
    Step('static', static),
    Step('probes', probe),
    Step('part_a', part_a),
    Step('notebook', notebook, modes=('grade',)),
    Step('part_b', part_b, modes=('grade',)),
    Step('determinism', determinism, modes=('grade',)),
    Step('review', review, modes=('grade',)),
)


def _judge(session: Session, step: str, *, frame: Callable[[Context, Check], Check] | None = None,
           fault: Callable[[Context, str, Exception], Check] | None = None) -> None:
    """Judge every registered check of `step`; a judge that raises is the grader's fault."""
    ctx = session.ctx
    for record in registry.CHECKS:
        if record.step != step:
            continue
        skipped = _out_of_focus(session, record.id)
        if skipped:
            session.add(skipped)
            continue
        if kit.INSTALLED and record.id in kit.LEFT_OUT:
            session.add(Check(record.id, ctx.title(record.id), SKIPPED, 0.0, ctx.points(record.id),
                              _('Only the real grading runs this check: it compares with the answer key, which '
                                'this self-check does not have.'), details={'left_out': True}))
            continue
        try:
            check = judge_of(record)(ctx)
        except Exception as error:
            check = (fault or _grader_fault)(ctx, record.id, error)
        session.add(frame(ctx, check) if frame else check)


def _out_of_focus(session: Session, check_id: str) -> Check | None:
    """With `part`: a check of another part, not run this time."""
    part, ctx = session.options.part, session.ctx
    if not part or registry.part_of(check_id) == part:
        return None
    return Check(check_id, ctx.title(check_id), SKIPPED, 0.0, ctx.points(check_id),
                 _('Not run this time: only {part} was checked.').format(part=part))


def _grader_fault(ctx: Context, check_id: str, error: Exception) -> Check:
    return Check(check_id, ctx.title(check_id), ERROR, 0.0, ctx.points(check_id),
                 _('Not graded: the grader failed on this check ({error}); ask your instructor to look at the '
                   'instructor report.').format(error=f'{type(error).__name__}: {str(error)[:200]}'),
                 hidden={'traceback': traceback.format_exc()[-4000:]})


# --- the whole pipeline ------------------------------------------------------------------------
def grade(source: Path, settings: Settings, out: Path, options: GradeOptions | None = None) -> dict[str, Any]:
    """Grade `source` into `out` (grading.json, results.json, executed.ipynb, workspace/), with
    every message in the options' language (i18n.resolve: else $AUTOGRADER_LANG, else the
    assignment's)."""
    options = options or GradeOptions()
    with language(resolve(options.language, settings)):
        return _grade(source, settings, out, options)


def _grade(source: Path, settings: Settings, out: Path, options: GradeOptions) -> dict[str, Any]:
    if options.secret is None:           # the instructor's, else the public test secret (said in the results)
        options = replace(options, secret=find_secret() or public_test_secret())
    expected = expected_values.load(settings, options.secret)     # a stale or missing file stops here
    if options.isolation is None:        # decided once per grading, without touching the caller's options
        options = replace(options, isolation=Isolation())
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    results = Results(settings, options.profile, submission={'source': Path(source).name}, mode=options.mode)
    results.started = _now()
    results.environment = {'grader_version': __version__, 'reference_version': kit.reference_version(),
                           'python': sys.version.split()[0],
                           'sandboxed': options.isolation.sandboxed,
                           'isolation': options.isolation.describe(),
                           'secret': options.secret.describe()}
    ctx = Context(settings, settings.profile(options.profile), mode=options.mode, expected=expected)
    session = Session(Path(source), out, options, ctx, results)
    started = time.monotonic()
    for step in STEPS:
        if session.refused:
            break
        if options.mode not in step.modes:
            continue
        begun = time.monotonic()
        if options.on_step is not None:
            options.on_step(step.name)
        step.run(session)
        results.timings.setdefault(step.name, round(time.monotonic() - begun, 3))
    if options.mode != 'grade' and not session.refused:
        for check_id in registry.PART_B_CHECKS:
            session.add(Check(check_id, ctx.title(check_id), SKIPPED, 0.0, ctx.points(check_id),
                              _('Only the real grading runs the notebook and Part B; run it yourself in Jupyter '
                                '(Restart & Run All) before handing in.') if kit.INSTALLED else
                              _('Not run by `autograder check`: run `autograder check --full` or '
                                '`autograder grade` to execute the notebook and Part B.')))
    results.timings['total'] = round(time.monotonic() - started, 3)
    results.complete()
    results.finished = _now()
    document = results.to_dict()
    write_json_atomic(out / 'grading.json', document)
    write_json_atomic(out / 'results.json', gradescope_results(document))
    if ctx.workspace and not options.keep_workspace:
        shutil.rmtree(ctx.workspace.root, ignore_errors=True)
    return document


# --- Part A on its own, for tests and benchmarks -----------------------------------------------
def probe_module(settings: Settings, workspace: Path, module_kind: str, *, secret: CourseSecret | None = None,
                 kinds: tuple[str, ...] | None = None, **run_options) -> tuple[dict[str, Any], ProbeRun]:
    """Probe the module in `workspace` (a folder the sandbox user can reach: see
    Isolation.workspace), with the course's modules installed beside it as for the notebook
    run; only the tasks of `kinds` (or of one `part`) when given; run_options go to
    probes.collect.run_probes."""
    part = run_options.pop('part', None)
    install_course_modules(workspace, module_kind, settings.package_name, settings.course_modules)
    request = build_tasks(settings, secret)
    if kinds is not None:
        request['tasks'] = [t for t in request['tasks'] if t['kind'] in kinds]
    if part:                  # only what the part's checks rely on: fewer probes, sooner done
        records = [r for r in registry.CHECKS if registry.part_of(r.id) == part]
        request['tasks'] = [t for t in request['tasks'] if any(r.relies_on(t['id']) for r in records)]
    return request, run_probes(workspace, module_kind, settings.package_name, request, **run_options)


def judge_part_a(settings: Settings, request: dict[str, Any], run: ProbeRun, *, profile: str = 'quick',
                 secret: CourseSecret | None = None) -> list[Check]:
    """The Part A checks of one probe run (asked with `secret`, default the test secret),
    judged and framed exactly as `grade` does."""
    results = Results(settings, profile, submission={})
    ctx = Context(settings, settings.profile(profile), request=request, probes=run,
                  expected=expected_values.load(settings, secret),
                  workspace=Workspace(Path('.'), Path('.'), '', Path('model.py'), 'flat', None, None, None, None, []))
    session = Session(Path('.'), Path('.'), GradeOptions(profile=profile), ctx, results)
    part_a(session)
    return list(ctx.checks.values())


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec='seconds')

"""One batch: INPUT → attempts → gradings (local processes or a Dask cluster) → gradebook →
exports, dashboard, similarity report, summary. See docs/batch.md.

    summary = run_batch(Path('bulk.zip'), Path('out'), BatchOptions(profile='full', jobs=8))

Output folder:
  gradebook.sqlite            the gradebook (autograder.batch.gradebook)
  submissions/<student>/<attempt|single>/   grading.json, results.json (Gradescope), reports,
                              executed.ipynb, worker.log
  grades.csv, blackboard-grades.csv, dashboard.html, similarity.json, similarity.html,
  summary.json, status.json (what runs now: autograder.batch.progress)
  inbox/                      staged attempts (Blackboard) and the unpacked bulk zip
  .work/                      gradings in progress (emptied at the start of every run)
"""
from __future__ import annotations

import difflib
import fcntl
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .. import __version__
from ..i18n import N_, language, resolve
from ..report.formatting import first_line
from ..results.gradescope_json import gradescope_results
from ..results import write_json_atomic, write_text_atomic
from ..results.practice import is_practice, practice_label
from ..sandbox.syntax_tree import MAX_SOURCE_BYTES
from ..settings import Settings, load_settings
from ..settings.course_secret import public_test_secret
from .exports import PracticeGradebook, Row, summary_lines, write_blackboard_csv, write_grades_csv
from .gradebook import FAILED, GRADED, Gradebook, Record, now
from .inbox import Attempt, Inbox, read_inbox, safe_name
from .local_pool import LocalRunner, Outcome, RunnerError, Task
from .progress import STATUS_NAME, STEP_NAME, BatchProgress
from .grading_job import WorkerJob

__all__ = ['BatchOptions', 'BatchError', 'run_batch', 'settings_fingerprint', 'default_timeout',
           'submission_folder', 'module_text']


class BatchError(RuntimeError):
    """The batch cannot start (another batch holds the folder, the cluster is unreachable...)."""


@dataclass
class BatchOptions:
    assignment: str = 'eindopdracht-v2324.2'
    profile: str = 'full'                 # the assignment's requirement; 'quick' is for practice
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    attempts: str = 'latest'              # 'latest' | 'first' | 'all'
    regrade: bool = False
    data_file: Path | None = None
    sandbox: bool = True
    timeout: float | None = None          # seconds per submission; default from the profile
    scheduler: str | None = None          # Dask scheduler address: grade on that cluster
    security: Any = None                  # distributed.security.Security for tls:// schedulers
    connect_timeout: float = 30.0         # seconds to reach the scheduler
    progress: bool = True
    similarity: bool = True
    blackboard_column: str | None = None  # default: a new column named after the assignment
    blackboard_practice: bool = False     # write the Blackboard upload file for practice (quick) grades too
    student: str | None = None            # grade only this student's attempts (the exports keep everyone)
    worker_prefix: list[str] | None = None    # replaces `python -m autograder.batch.grading_job` (tests)
    language: str | None = None           # of messages and reports (i18n.resolve: else $AUTOGRADER_LANG, else the assignment's)
    secret: Any = None                    # settings.course_secret.CourseSecret; None: the public test secret
    hidden_data: Path | None = None       # the hidden groups' file, one students never had (--hidden-data)


def settings_fingerprint(settings: Settings, data_file: Path | None, lang: str = 'en', *,
                         secret: str | None = None, hidden_data: Path | None = None) -> str:
    """sha256 over what decides a result besides the submission: the settings, the expected
    values, the master notebook, the data file (or 'stand-in'), the messages' language, the
    course secret's fingerprint and the hidden data file."""
    digest = hashlib.sha256()
    if lang != 'en':             # English fingerprints stay those of the graders before languages
        digest.update(f'language\t{lang}\n'.encode())
    for path in (settings.folder / 'assignment.toml', settings.expected_file, settings.master_path):
        digest.update(f'{path.name}\t{hashlib.sha256(path.read_bytes()).hexdigest()}\n'.encode())
    data = hashlib.sha256(Path(data_file).read_bytes()).hexdigest() if data_file else 'embedded stand-in'
    digest.update(f'data\t{data}\n'.encode())
    if secret:
        digest.update(f'secret\t{secret}\n'.encode())
    if hidden_data:
        digest.update(f'hidden\t{hashlib.sha256(Path(hidden_data).read_bytes()).hexdigest()}\n'.encode())
    return digest.hexdigest()


def default_timeout(settings: Settings, profile: str) -> float:
    """Generous: the notebook's own wall-clock limit, the probes' limit, and 10 minutes for
    intake, calibration, starting the kernel and the reports."""
    chosen = settings.profile(profile)
    return chosen.run_timeout_minutes * 60 + float(settings.sandbox.get('probe_seconds', 120)) + 600


def output_folder(out: Path, book: Gradebook, assignment: str) -> Path:
    """Where a batch writes its submissions and exports. A folder graded for one assignment
    keeps them at its top level; another assignment's batch in the same folder (the same
    gradebook, e.g. both editions of a term) writes its own under assignments/<id>/, so that
    no student's folder or export of one edition ever replaces the other's."""
    for batch in book.batches():
        try:
            first = json.loads(batch.get('command') or '{}').get('assignment')
        except ValueError:
            continue
        if first:
            return out if first == assignment else out / 'assignments' / assignment
    return out


def submission_folder(out: Path, attempt: Attempt) -> Path:
    return Path(out) / 'submissions' / safe_name(attempt.student) / (safe_name(attempt.attempt) if attempt.attempt else 'single')


class _Lock:
    """One batch per output folder at a time (released by the kernel when the process dies)."""

    def __init__(self, out: Path):
        self.path = out / '.batch.lock'
        self.handle = None

    def __enter__(self):
        self.handle = open(self.path, 'a+')
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            self.handle.close()
            raise BatchError(f"another batch is running on '{self.path.parent}' (it holds {self.path.name})") from error
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
        return False


def run_batch(source: Path, out: Path, options: BatchOptions | None = None, *,
              log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Grade every attempt of `source` that the gradebook in `out` lacks; write the exports."""
    options = options or BatchOptions()
    log = log or (lambda text: print(text, file=sys.stderr))
    source, out = Path(source), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    settings = load_settings(options.assignment)
    settings.profile(options.profile)          # an unknown profile fails here, before anything runs
    with _Lock(out):
        return _Batch(source, out, options, settings, log).run()


def write_private(path: Path, content: bytes) -> Path:
    """A file only its owner can read (the course secret for the workers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'wb') as handle:
        handle.write(content)
    return path


class _Batch:
    def __init__(self, source: Path, out: Path, options: BatchOptions, settings: Settings, log):
        self.source, self.out, self.options, self.settings, self.log = source, out, options, settings, log
        self.data_file = Path(options.data_file).resolve() if options.data_file else None
        self.language = resolve(options.language, settings)
        self.secret = options.secret or public_test_secret()
        self.hidden_data = Path(options.hidden_data).resolve() if options.hidden_data else None
        self.fingerprint = settings_fingerprint(settings, self.data_file, self.language,
                                                secret=self.secret.fingerprint, hidden_data=self.hidden_data)
        self.timeout = float(options.timeout or default_timeout(settings, options.profile))
        self.counts = {'graded': 0, 'failed': 0, 'skipped': 0, 'rejected': 0}
        self.failures: list[dict[str, str]] = []
        self.warnings: list[str] = []

    # ----------------------------------------------------------------------------- run
    def run(self) -> dict[str, Any]:
        started = time.monotonic()
        work = self.out / '.work'
        shutil.rmtree(work, ignore_errors=True)
        with Gradebook(self.out / 'gradebook.sqlite') as book:
            self.book = book
            self.files = output_folder(self.out, book, self.settings.id)
            self.files.mkdir(parents=True, exist_ok=True)
            inbox = read_inbox(self.source, self.files / 'inbox', policy=self.options.attempts)
            self.batch_id = book.begin_batch(self._command())
            todo = self._plan(inbox)
            runner = self._runner()
            self.log(f'{len(inbox.attempts)} attempt(s) of {len({a.student for a in inbox.attempts})} student(s); '
                     f'{len(todo)} to grade on {runner.description}, {self.counts["skipped"]} unchanged.')
            with BatchProgress(self.files / STATUS_NAME, self.counts, enabled=self.options.progress,
                               facts={'assignment': self.settings.id, 'profile': self.options.profile,
                                      'runner': runner.description, 'pid': os.getpid()}) as progress:
                self.progress = progress
                if todo and isinstance(runner, LocalRunner):
                    self._warm_calibration()
                grading_started = time.monotonic()
                if todo:
                    secret_file = None if self.secret.is_test else write_private(work / 'secret', self.secret.key)
                    tasks = [Task(a, WorkerJob(a.source.resolve(), work / f'{i:05d}-{safe_name(a.student)}',
                                               str(self.settings.folder), self.options.profile, self.data_file,
                                               self.options.sandbox, a.student, self.language, secret_file,
                                               self.secret.is_test, self.hidden_data), i)
                             for i, a in enumerate(todo)]
                    self._grade(runner, tasks)
                grading_seconds = time.monotonic() - grading_started
                summary = self._finish(inbox, time.monotonic() - started, grading_seconds, runner.description)
                book.finish_batch(self.batch_id, {k: summary[k] for k in ('counts', 'seconds', 'attempts')})
                progress.finished()
        shutil.rmtree(work, ignore_errors=True)
        return summary

    def _command(self) -> dict[str, Any]:
        o = self.options
        return {'input': str(self.source.resolve()), 'assignment': self.settings.id, 'profile': o.profile,
                'jobs': o.jobs, 'attempts': o.attempts, 'regrade': o.regrade, 'scheduler': o.scheduler,
                'data': str(self.data_file) if self.data_file else None, 'sandbox': o.sandbox,
                'hidden_data': str(self.hidden_data) if self.hidden_data else None,
                'secret': self.secret.describe(),
                'timeout': self.timeout, 'grader_version': __version__, 'pid': os.getpid(), 'student': o.student}

    def _plan(self, inbox: Inbox) -> list[Attempt]:
        todo = []
        attempts = inbox.attempts
        if self.options.student is not None:      # one student regraded; the exports still list the class
            attempts = [a for a in attempts if a.student == self.options.student]
            if not attempts:
                names = sorted({a.student for a in inbox.attempts})
                close = difflib.get_close_matches(self.options.student, names, n=3)
                raise BatchError(f'no attempt of student {self.options.student!r} in {self.source}'
                                 + (f"; did you mean {', '.join(close)}?" if close else
                                    f" ({len(names)} student(s) there)"))
        for attempt in attempts:
            record = self.book.get(self.settings.id, attempt.student, attempt.attempt)
            if not self.options.regrade and Gradebook.is_current(
                    record, checksum=attempt.checksum, profile=self.options.profile, fingerprint=self.fingerprint,
                    grader_version=__version__):
                self.counts['skipped'] += 1
            else:
                todo.append(attempt)
        return todo

    def _runner(self):
        if self.options.scheduler:
            from .dask_pool import DaskRunner
            return DaskRunner(self.options.scheduler, self.timeout, settings=self.settings,
                              profile=self.options.profile, sandbox=self.options.sandbox,
                              data_file=self.data_file, security=self.options.security,
                              secret=self.secret, hidden_data=self.hidden_data,
                              connect_timeout=self.options.connect_timeout)
        return LocalRunner(self.options.jobs, self.timeout, prefix=self.options.worker_prefix)

    def _warm_calibration(self) -> None:
        """Build the stand-in data and measure this machine once before the gradings run side
        by side (both cached), so that Part B's time normalisation is measured on a quiet machine."""
        self.log('Preparing the machine: the stand-in data and a measurement of its speed (cached for a day) ...')
        try:
            from .grading_job import prepare_machine
            prepare_machine(self.data_file is None)
        except Exception as error:     # each grading builds and measures for itself then
            self.warnings.append(f'preparing the machine before the batch failed: {error!r}')

    def _grade(self, runner, tasks: list[Task]) -> None:
        self.progress.grading(len(tasks), runner.running)

        def on_result(outcome: Outcome) -> None:
            record = self._commit(outcome)
            if record.status == FAILED:
                self.progress.write(f'FAILED {outcome.task.attempt.label}: {first_line(record.error, 300)}')
            self.progress.one_done()

        try:
            runner.run(tasks, on_result)
        except RunnerError as error:
            raise BatchError(str(error)) from error

    # -------------------------------------------------------------------------- commit
    def _commit(self, outcome: Outcome) -> Record:
        attempt = outcome.task.attempt
        staging = outcome.task.job.out
        record = Record(
            assignment=self.settings.id, student=attempt.student, attempt=attempt.attempt,
            source=' + '.join(attempt.entries), checksum=attempt.checksum, profile=self.options.profile,
            settings_fingerprint=self.fingerprint, grader_version=__version__, status=FAILED,
            seconds=round(outcome.seconds, 3), worker=outcome.worker, started=outcome.started,
            finished=outcome.finished, batch=self.batch_id)
        document = outcome.document
        if document is not None:
            score = document.get('score') or {}
            submission = document.get('submission') or {}
            record.status = GRADED
            record.rejected = submission.get('rejected')
            record.points, record.max_points = score.get('points'), score.get('max_points')
            record.grade = score.get('grade')
            record.passed = None if score.get('passed') is None else int(bool(score.get('passed')))
            raw = outcome.files.get('grading.json') if outcome.files else None
            if raw is None:
                raw = (staging / 'grading.json').read_bytes()
            record.results_json = raw.decode('utf-8')
            record.grader_version = str((document.get('environment') or {}).get('grader_version') or __version__)
            record.timings_json = json.dumps({'grading': document.get('timings') or {}, 'wall': outcome.seconds})
            self.counts['graded'] += 1
            self.counts['rejected'] += bool(record.rejected)
        else:
            record.error = outcome.error or 'the grading failed'
            record.timings_json = json.dumps({'wall': outcome.seconds})
            self.counts['failed'] += 1
            self.failures.append({'student': attempt.student, 'attempt': attempt.attempt,
                                  'error': first_line(record.error, 300)})
        self.book.commit(record)
        try:
            self._publish(staging, submission_folder(self.files, attempt))
        except OSError as error:     # the gradebook has it; the next run repairs the folder
            self.warnings.append(f'{attempt.label}: the output folder could not be written: {error}')
        return record

    @staticmethod
    def _publish(staging: Path, final: Path) -> None:
        shutil.rmtree(staging / 'workspace', ignore_errors=True)
        (staging / STEP_NAME).unlink(missing_ok=True)
        final.parent.mkdir(parents=True, exist_ok=True)
        old = None
        if final.exists():
            old = final.with_name(f'.{final.name}.old-{os.getpid()}')
            shutil.rmtree(old, ignore_errors=True)
            final.rename(old)
        staging.rename(final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    # -------------------------------------------------------------------------- finish
    def _finish(self, inbox: Inbox, seconds: float, grading_seconds: float, runner: str) -> dict[str, Any]:
        counted = inbox.counted()
        rows: list[Row] = []
        for attempt in inbox.attempts:
            record = self.book.get(self.settings.id, attempt.student, attempt.attempt)
            folder = submission_folder(self.files, attempt)
            if record is not None and record.status == GRADED:
                self._repair(record, folder)
            rows.append(Row(attempt, record, counted.get(attempt.student) is attempt, self._report_link(folder)))
        files: dict[str, str] = {}
        files['gradebook'] = 'gradebook.sqlite'
        rejected_grade = self.settings.grading.rejected_grade
        with language(self.language):
            write_grades_csv(rows, self.files / 'grades.csv', rejected_grade=rejected_grade)
            files['grades'] = 'grades.csv'
            label = practice_label(self.options.profile)
            column = self.options.blackboard_column or (f'{self.settings.title} (autograder, {label})' if label else
                                                        f'{self.settings.title} (autograder)')
        left_out, blackboard_refused = [], None
        try:
            _path, left_out = write_blackboard_csv(rows, self.files / 'blackboard-grades.csv', column,
                                                   allow_practice=self.options.blackboard_practice,
                                                   rejected_grade=rejected_grade)
            files['blackboard'] = 'blackboard-grades.csv'
        except PracticeGradebook as refusal:
            (self.files / 'blackboard-grades.csv').unlink(missing_ok=True)     # never an older, stale upload
            blackboard_refused = str(refusal)
        counted_rows = [row for row in rows if row.counted]
        rejected = [{'student': row.attempt.student, 'attempt': row.attempt.attempt,
                     'reason': first_line(row.record.rejected, 300)}
                    for row in counted_rows if row.record is not None and row.record.status == GRADED
                    and row.record.rejected]
        pages = {}
        if self.options.similarity:
            similarity = self._similarity(counted_rows)
            if similarity:
                files['similarity'] = similarity
                pages[N_('Similarity report')] = similarity
        dashboard = self._dashboard(counted_rows, pages)
        if dashboard:
            files['dashboard'] = dashboard
        grades = [row.record.grade for row in counted_rows if row.record is not None and row.record.status == GRADED
                  and row.record.grade is not None and not row.record.rejected]
        passed = sum(1 for row in counted_rows if row.record is not None and row.record.status == GRADED
                     and row.record.passed)
        summary = {
            'assignment': self.settings.id, 'title': self.settings.title, 'profile': self.options.profile,
            'runner': runner, 'input': str(self.source), 'out': str(self.files), 'grader_version': __version__,
            'finished': now(),
            'attempts': len(inbox.attempts), 'found_attempts': len(inbox.found),
            'students': len({a.student for a in inbox.attempts}),
            'counts': dict(self.counts),
            'status': {status: sum(1 for r in rows if (r.record.status if r.record else 'not graded') == status)
                       for status in (GRADED, FAILED, 'not graded')},
            'grades': self._distribution(grades, passed),
            'seconds': round(seconds, 1), 'grading_seconds': round(grading_seconds, 1),
            'throughput_per_hour': round(3600 * (self.counts['graded'] + self.counts['failed']) / grading_seconds, 1)
            if grading_seconds > 0 and (self.counts['graded'] + self.counts['failed']) else None,
            'practice': practice_label(self.options.profile) if is_practice(self.options.profile) else None,
            'rejected': rejected,
            'failures': self.failures, 'blackboard_left_out': left_out, 'blackboard_column': column,
            'blackboard_refused': blackboard_refused,
            'ignored': inbox.ignored, 'notes': inbox.notes, 'warnings': self.warnings, 'files': files,
        }
        write_json_atomic(self.files / 'summary.json', summary)
        return summary

    def _distribution(self, grades: list[float], passed: int) -> dict[str, Any]:
        if not grades:
            return {'n': 0}
        g = self.settings.grading
        low, high = g.scale_min, g.scale_max
        edges = [low + i for i in range(int(high - low) + 1)] if high - low <= 20 else [low, high]
        histogram: dict[str, int] = {}
        for left, right in zip(edges, edges[1:]):
            last = right == edges[-1]
            histogram[f'{left:g}-{right:g}'] = sum(1 for x in grades if left <= x < right or (last and x == right))
        return {'n': len(grades), 'mean': round(statistics.fmean(grades), 2),
                'median': round(statistics.median(grades), 2), 'passed': passed, 'histogram': histogram}

    def _report_link(self, folder: Path) -> str:
        for name in ('report-instructor.html', 'report.html', 'grading.json'):
            if (folder / name).is_file():
                return (folder / name).relative_to(self.files).as_posix()
        return ''

    def _repair(self, record: Record, folder: Path) -> None:
        """The folder of a graded attempt holds what the gradebook holds (a batch killed between
        the commit and the folder's rename, or a folder deleted by hand)."""
        grading = folder / 'grading.json'
        try:
            if grading.is_file() and grading.read_text(encoding='utf-8') == record.results_json:
                return
        except (OSError, UnicodeDecodeError):
            pass
        document = record.document
        if document is None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(grading, record.results_json)
        write_json_atomic(folder / 'results.json', gradescope_results(document))
        from ..report import write_reports
        try:
            write_reports(document, folder)
        except Exception as error:
            self.warnings.append(f'{record.student}: the reports could not be rewritten: {error!r}')

    def _dashboard(self, rows: list[Row], pages: dict[str, str]) -> str | None:
        from ..report import write_dashboard
        documents, links = [], {}
        for row in rows:
            document = _dashboard_document(row, self.settings, self.options.profile)
            if document is None:
                continue
            documents.append(document)
            if row.report:
                links[row.attempt.student] = row.report
        try:
            return write_dashboard(documents, self.files, links, pages=pages, lang=self.language).relative_to(self.files).as_posix()
        except Exception as error:       # the gradebook and the CSVs stand without it
            self.warnings.append(f'the dashboard could not be written: {error!r}')
            return None

    def _similarity(self, rows: list[Row]) -> str | None:
        from .similarity import SimilarityInput, compare
        from .similarity_report import write_similarity
        items = []
        for row in rows:
            text, note = module_text(row.attempt.source, self.settings)
            items.append(SimilarityInput(row.attempt.student, text, note,
                                         {'attempt': row.attempt.attempt, 'report': row.report}))
        try:
            template = _template_source(self.settings)
            from ..authoring.bundle import model_source
            report = compare(items, template=template, reference=model_source())
            report['template'] = 'student template model.py' if template else None
            paths = write_similarity(report, self.files, title=self.settings.title, course=self.settings.course,
                                     lang=self.language)
        except Exception as error:
            self.warnings.append(f'the similarity report could not be written: {error!r}')
            return None
        return paths['html'].relative_to(self.files).as_posix()


def _template_source(settings: Settings) -> str | None:
    """The model.py students were given (`autograder template` writes the same text)."""
    committed = Path(__file__).resolve().parents[2] / 'student_template' / settings.id / settings.module_file
    if committed.is_file():
        return committed.read_text(encoding='utf-8')
    from ..authoring.template import model_skeleton
    return model_skeleton()


def module_text(source: Path, settings: Settings, *, limit: int = MAX_SOURCE_BYTES) -> tuple[str | None, str]:
    """The module a submission hands in (as intake finds it), as text; or None and why not.
    Sizes are looked at before anything is read: a larger module is not compared."""
    from ..intake import IntakeError, SubmissionSpec, intake
    spec = SubmissionSpec.from_settings(settings)
    with tempfile.TemporaryDirectory(prefix='autograder-similarity-') as tmp:
        try:
            workspace = intake(Path(source), Path(tmp), spec)
        except (IntakeError, OSError) as error:
            return None, f'not accepted: {error}'
        module = workspace.module
        if module is None:
            return None, 'no module'
        files = [module] if module.is_file() else sorted(module.rglob('*.py'))
        parts, total = [], 0
        for path in files:
            total += path.stat().st_size
            if total > limit:
                return None, f'module larger than {limit // 2**20} MiB: not compared'
            data = path.read_bytes()
            text = data.decode('utf-8', 'replace')
            if module.is_dir():
                text = f'# --- {path.relative_to(module.parent).as_posix()}\n{text}'
            parts.append(text)
        return '\n'.join(parts), ''


def _dashboard_document(row: Row, settings: Settings, profile: str) -> dict[str, Any] | None:
    """The document the dashboard shows for a counted attempt; a stand-in without a grade when
    the grading failed; None when it was never graded."""
    record = row.record
    if record is None:
        return None
    if record.status == GRADED and record.results_json:
        document = json.loads(record.results_json)
        document['submission'] = {**(document.get('submission') or {}), 'student': row.attempt.student}
        return document
    return {
        'schema': 'vlearning-autograder/results/1', 'mode': 'grade',
        'assignment': {'id': settings.id, 'title': settings.title, 'course': settings.course,
                       'language': settings.language},
        'profile': profile,
        'submission': {'source': record.source, 'student': row.attempt.student, 'checksum': record.checksum,
                       'rejected': f'the grading failed (no results): {first_line(record.error, 300)}'},
        'started': record.started, 'finished': record.finished, 'timings': {}, 'environment': {},
        'score': {'points': None, 'max_points': None, 'grade': None, 'passed': False, 'hard_requirements': {},
                  'complete': False},
        'checks': [], 'notebook': {},
    }


def print_summary(summary: dict[str, Any], out=None) -> None:
    out = out or sys.stdout
    for line in summary_lines(summary):
        print(line, file=out)
    files = summary.get('files') or {}
    for name, path in files.items():
        print(f'  {name}: {Path(summary["out"]) / path}', file=out)

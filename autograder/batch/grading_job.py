"""Grade one submission in a process of its own: `python -m autograder.batch.grading_job ...`.

The batch starts one such process per submission (locally, or on a Dask worker), so that a
crash, hang or kill of one grading never touches the batch: the process writes
`grading.json`, `results.json`, `executed.ipynb` and the reports into its output folder
and exits 0; anything else (no `grading.json`, a non-zero exit, the timeout) is a failed
grading. With `--parent-pid` it dies with its parent (Linux PR_SET_PDEATHSIG), so a batch
killed with SIGKILL leaves no grading behind; bubblewrap's --die-with-parent takes the
sandboxed student code with it.
"""
from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ['WorkerJob', 'command', 'run_blocking', 'read_outputs', 'prepare_machine', 'OUTPUT_FILES', 'LOG_NAME']

OUTPUT_FILES = ('grading.json', 'results.json', 'executed.ipynb', 'report.html', 'report-instructor.html')
LOG_NAME = 'worker.log'
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class WorkerJob:
    source: Path
    out: Path
    assignment: str            # id or settings folder
    profile: str = 'quick'
    data_file: Path | None = None
    sandbox: bool = True       # False: --no-sandbox
    student: str | None = None
    language: str | None = None     # of the messages and reports; None: the grader's default
    secret_file: Path | None = None     # the course secret (a private copy); None with test_secret
    test_secret: bool = False           # grade with the public test secret
    hidden_data: Path | None = None     # the hidden groups' file (--hidden-data)


def command(job: WorkerJob, *, python: str | None = None, parent_pid: int | None = None,
            prefix: list[str] | None = None) -> list[str]:
    """The argv of the grading process for `job`."""
    argv = list(prefix) if prefix else [python or sys.executable, '-m', 'autograder.batch.grading_job']
    argv += ['--source', str(job.source), '--out', str(job.out), '--assignment', str(job.assignment),
             '--profile', job.profile]
    if job.data_file:
        argv += ['--data', str(job.data_file)]
    if not job.sandbox:
        argv.append('--no-sandbox')
    if job.student:
        argv += ['--student', job.student]
    if job.language:
        argv += ['--lang', job.language]
    if job.secret_file:
        argv += ['--secret-file', str(job.secret_file)]
    if job.test_secret:
        argv.append('--test-secret')
    if job.hidden_data:
        argv += ['--hidden-data', str(job.hidden_data)]
    if parent_pid:
        argv += ['--parent-pid', str(parent_pid)]
    return argv


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the process and its process group (it was started in a session of its own)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.kill()
    except ProcessLookupError:
        pass


def run_blocking(job: WorkerJob, timeout: float, *, prefix: list[str] | None = None) -> tuple[int | None, float, str]:
    """Run the grading process to its end or the timeout: (exit code or None, seconds, log tail)."""
    job.out.mkdir(parents=True, exist_ok=True)
    log_path = job.out / LOG_NAME
    started = time.monotonic()
    with open(log_path, 'wb') as log:
        process = subprocess.Popen(command(job, parent_pid=os.getpid(), prefix=prefix), stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(process)
            process.wait()
            code = None
        except BaseException:
            kill_group(process)
            process.wait()
            raise
    return code, time.monotonic() - started, log_tail(log_path)


def log_tail(path: Path, limit: int = 4000) -> str:
    try:
        with open(path, 'rb') as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - limit))
            return handle.read().decode('utf-8', 'replace')
    except OSError:
        return ''


def read_outputs(out: Path) -> dict[str, bytes]:
    """The grading's output files (those present)."""
    return {name: (out / name).read_bytes() for name in OUTPUT_FILES if (out / name).is_file()}


def prepare_machine(needs_standin: bool) -> str:
    """Build the worker machine's caches (the stand-in data, the speed calibration) before any
    grading runs there, one worker at a time, so that gradings neither race to build them nor
    measure the machine's speed while other gradings load it."""
    from ..part_b.calibration import seconds_per_1000
    from ..sandbox import sandbox_python
    if needs_standin:
        from vlearning.data.standin import ensure_standin
        ensure_standin()
    seconds_per_1000(sandbox_python())
    return 'ok'


# ------------------------------------------------------------------------------ the process

def _die_with_parent(parent_pid: int) -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent_pid:      # the parent died before prctl took effect
        os._exit(70)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m autograder.batch.grading_job', description=__doc__)
    parser.add_argument('--source', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--assignment', required=True)
    parser.add_argument('--profile', default='quick')
    parser.add_argument('--data')
    parser.add_argument('--no-sandbox', action='store_true')
    parser.add_argument('--student')
    parser.add_argument('--parent-pid', type=int)
    parser.add_argument('--lang')
    parser.add_argument('--secret-file')
    parser.add_argument('--test-secret', action='store_true')
    parser.add_argument('--hidden-data')
    args = parser.parse_args(argv)
    if args.parent_pid:
        _die_with_parent(args.parent_pid)

    from ..grade import GradeOptions, grade
    from ..results import write_text_atomic
    from ..sandbox.isolation import isolation_for_grading
    from .progress import STEP_NAME
    from ..settings import load_settings
    from ..settings.course_secret import require_secret
    settings = load_settings(args.assignment)
    secret = require_secret(args.secret_file, test=args.test_secret)
    isolation = isolation_for_grading(sandbox=False if args.no_sandbox else None)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    def on_step(name: str) -> None:        # read by the batch's progress (autograder.batch.progress)
        try:
            write_text_atomic(out / STEP_NAME, name)
        except OSError:
            pass

    document = grade(Path(args.source), settings, out, GradeOptions(
        profile=args.profile, data_file=Path(args.data).resolve() if args.data else None, progress=False,
        keep_workspace=False, isolation=isolation, student=args.student, language=args.lang, on_step=on_step,
        secret=secret, hidden_data=Path(args.hidden_data).resolve() if args.hidden_data else None))
    on_step('reports')
    from ..report import write_reports
    try:
        write_reports(document, out)
    except Exception as error:          # a report is a view; the results stand without it
        print(f'autograder batch worker: the reports could not be written: {error!r}', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())

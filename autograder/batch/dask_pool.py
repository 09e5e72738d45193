"""Run the gradings of a batch on an existing Dask distributed cluster (`--scheduler ADDRESS`).

The same per-submission grading as locally (a process of its own, `autograder.batch.grading_job`,
with the same timeout) runs on a Dask worker: the submission's bytes and the assignment's
settings files travel with the task, the course data file is scattered to every worker once,
and the worker sends the output files (results document, Gradescope results, executed
notebook, reports) back. The batch's main process commits each result to its one gradebook
as it arrives. At most two tasks per worker thread are in flight, so a class's submissions
are not all held in the scheduler's memory at once.

Workers need this project installed at the same version (checked on connect) and, to
sandbox student code, bubblewrap and the sandbox user (docs/batch.md, "Beyond one machine").
"""
from __future__ import annotations

import socket
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Callable

from ..intake.unpack import Report, UnpackError, scan_tree
from .gradebook import now
from .inbox import FOLDER_LIMITS, safe_name
from .local_pool import Activity, Outcome, RunnerError, Task, outcome_from_folder
from .grading_job import WorkerJob, prepare_machine, read_outputs, run_blocking

__all__ = ['DaskRunner', 'grade_remote', 'pack_submission', 'settings_files', 'BatchClusterError']


class BatchClusterError(RunnerError):
    """The cluster cannot run this batch (unreachable, no workers, another grader version)."""


def settings_files(settings) -> dict[str, Any]:
    """The assignment's settings folder as bytes: what the worker grades against."""
    folder = settings.folder
    files = {'assignment.toml': (folder / 'assignment.toml').read_bytes(),
             settings.master_path.name: settings.master_path.read_bytes(),
             settings.expected_file.name: settings.expected_file.read_bytes()}
    return {'id': settings.id, 'files': files}


def pack_submission(source: Path) -> dict[str, Any]:
    """A submission as bytes: a file's content, or a folder's regular files by relative path."""
    source = Path(source)
    if source.is_dir():
        try:
            entries = scan_tree(source, FOLDER_LIMITS, Report())
        except UnpackError as error:
            return {'name': source.name, 'kind': 'folder', 'files': {}, 'note': str(error)}
        files = {}
        for entry in entries:
            path = source.joinpath(*entry.parts)
            if path.is_file() and not path.is_symlink():
                files[entry.name] = path.read_bytes()
        return {'name': source.name, 'kind': 'folder', 'files': files}
    return {'name': source.name, 'kind': 'file', 'data': source.read_bytes()}


def _unpack_submission(packed: dict[str, Any], target_dir: Path) -> Path:
    target = target_dir / packed['name']
    if packed['kind'] == 'file':
        target.write_bytes(packed['data'])
        return target
    target.mkdir()
    for name, data in packed['files'].items():
        path = target.joinpath(*name.split('/'))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return target


def grade_remote(packed: dict[str, Any], settings: dict[str, Any], data: bytes | None, data_name: str | None,
                 profile: str, sandbox: bool, student: str | None, timeout: float,
                 language: str | None = None, secret: bytes | None = None,
                 hidden: bytes | None = None, hidden_name: str | None = None) -> dict[str, Any]:
    """Runs on a Dask worker: grade one submission in a process of its own; return its files."""
    started = now()
    with tempfile.TemporaryDirectory(prefix='autograder-dask-') as tmp:
        tmp = Path(tmp)
        settings_dir = tmp / 'settings' / settings['id']
        settings_dir.mkdir(parents=True)
        for name, content in settings['files'].items():
            (settings_dir / name).write_bytes(content)
        inbox = tmp / 'in'
        inbox.mkdir()
        source = _unpack_submission(packed, inbox)
        data_file = None
        if data is not None:
            data_file = tmp / (data_name or 'data.dat')
            data_file.write_bytes(data)
        secret_file = hidden_file = None
        if secret is not None:          # the course secret, readable by this worker's user only
            secret_file = tmp / 'secret'
            secret_file.touch(mode=0o600)
            secret_file.write_bytes(secret)
        if hidden is not None:
            hidden_file = tmp / f'hidden-{hidden_name or "data.dat"}'
            hidden_file.write_bytes(hidden)
        out = tmp / 'out'
        job = WorkerJob(source, out, str(settings_dir), profile, data_file, sandbox, student, language,
                        secret_file, secret is None, hidden_file)
        code, seconds, tail = run_blocking(job, timeout)
        files = read_outputs(out)
    try:
        from distributed import get_worker
        address = get_worker().address
    except (ImportError, ValueError):
        address = 'unknown'
    return {'code': code, 'seconds': seconds, 'tail': tail, 'files': files, 'started': started,
            'worker': f'{address} ({socket.gethostname()})'}


def _grader_version() -> str:
    from .. import __version__
    return __version__


class DaskRunner:
    """Grades tasks on the Dask cluster at `address` (tcp://… or tls://…)."""

    def __init__(self, address: str, timeout: float, *, settings, profile: str, sandbox: bool = True,
                 data_file: Path | None = None, security: Any = None, connect_timeout: float = 30.0,
                 secret: Any = None, hidden_data: Path | None = None):
        self.address = address
        self.timeout = float(timeout)
        self.settings = settings
        self.profile = profile
        self.sandbox = sandbox
        self.data_file = Path(data_file) if data_file else None
        self.secret = secret                      # CourseSecret; None or the test secret: the public one
        self.hidden_data = Path(hidden_data) if hidden_data else None
        self.security = security
        self.connect_timeout = connect_timeout
        self.description = f'the Dask cluster at {address}'
        self.activity = Activity()

    def _connect(self):
        try:
            from distributed import Client
        except ImportError as error:
            raise BatchClusterError('--scheduler needs dask[distributed]: pip install "dask[distributed]"') from error
        try:
            client = Client(self.address, security=self.security, timeout=self.connect_timeout)
        except (OSError, TimeoutError) as error:
            raise BatchClusterError(f'cannot reach the Dask scheduler at {self.address}: {error}') from error
        try:
            client.wait_for_workers(1, timeout=self.connect_timeout)
        except (TimeoutError, OSError) as error:
            client.close()
            raise BatchClusterError(f'the Dask scheduler at {self.address} has no workers') from error
        versions = client.run(_grader_version)
        mine = _grader_version()
        other = {worker: version for worker, version in versions.items() if version != mine}
        if other:
            client.close()
            listed = ', '.join(f'{w} has {v}' for w, v in sorted(other.items()))
            raise BatchClusterError(f'the workers must run grader version {mine}: {listed}')
        for worker in sorted(versions):
            try:
                client.run(prepare_machine, self.data_file is None, workers=[worker])
            except Exception:          # each grading then builds what it needs itself
                pass
        return client

    def running(self) -> list[dict[str, Any]]:
        return self.activity.snapshot()

    def run(self, tasks: list[Task], on_result: Callable[[Outcome], None]) -> None:
        from distributed import as_completed
        client = self._connect()
        try:
            # (a list: scatter would split a dict into one future per key)
            settings = client.scatter([settings_files(self.settings)], broadcast=True, hash=False)[0]
            data = data_name = None
            if self.data_file is not None:
                data = client.scatter([self.data_file.read_bytes()], broadcast=True, hash=False)[0]
                data_name = self.data_file.name
            hidden = client.scatter([self.hidden_data.read_bytes()], broadcast=True, hash=False)[0] \
                if self.hidden_data is not None else None
            key_bytes = self.secret.key if self.secret is not None and not self.secret.is_test else None
            threads = max(1, sum(client.nthreads().values()))
            window = 2 * threads
            pending = list(reversed(tasks))
            futures: dict[Any, tuple[Task, float]] = {}
            queue = as_completed()

            def submit() -> None:
                """Send the next submission that can be sent (a refused one is recorded at once)."""
                while pending:
                    task = pending.pop()
                    packed = pack_submission(task.attempt.source)
                    if 'note' in packed:     # refused here, as the local intake would: nothing to send
                        on_result(Outcome(task, None, f'the submission was refused: {packed["note"]}', 0.0,
                                          'dask', now(), now()))
                        continue
                    key = (f'autograder-grade-{safe_name(task.attempt.student)}-{task.attempt.attempt or "single"}-'
                           f'{task.attempt.checksum[:10]}-{uuid.uuid4().hex[:8]}')
                    future = client.submit(grade_remote, packed, settings, data,
                                           data_name, self.profile, self.sandbox, task.job.student, self.timeout,
                                           task.job.language, key_bytes, hidden,
                                           self.hidden_data.name if self.hidden_data else None,
                                           key=key, pure=False, retries=0)
                    futures[future] = (task, time.monotonic())
                    self.activity.begin(task, lambda future=future: f'on the cluster ({future.status})')
                    queue.add(future)
                    return

            while pending and len(futures) < window:
                submit()
            for future in queue:
                task, submitted = futures.pop(future)
                self.activity.end(task)
                on_result(self._outcome(task, future, submitted))
                future.release()
                if pending:
                    submit()
        finally:
            client.close()

    def _outcome(self, task: Task, future, submitted: float) -> Outcome:
        try:
            result = future.result()
        except Exception as error:       # the task or its worker failed: no results
            seconds = time.monotonic() - submitted
            return Outcome(task, None, f'the Dask task failed: {type(error).__name__}: {error}', seconds,
                           'dask', now(), now())
        task.job.out.mkdir(parents=True, exist_ok=True)
        for name, content in result['files'].items():
            (task.job.out / name).write_bytes(content)
        return outcome_from_folder(task, result['code'], result['seconds'], self.timeout, result['started'],
                                   worker=result['worker'], files=result['files'], tail=result['tail'])

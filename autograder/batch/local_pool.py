"""Run the gradings of a batch on this machine, N at a time, each in its own process.

The main thread starts up to `jobs` grading processes (`autograder.batch.grading_job`), polls
them, kills one that passes its timeout (with its process group), and hands every finished
one to the caller's callback, in the main thread: the callback commits it to the gradebook,
so only the main process ever writes the gradebook. No threads: a grading process is a child
of the main thread, so PR_SET_PDEATHSIG ties its life to the batch process.
"""
from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from .gradebook import now
from .inbox import Attempt
from .grading_job import LOG_NAME, WorkerJob, command, kill_group, log_tail
from .progress import read_step

__all__ = ['Task', 'Outcome', 'LocalRunner', 'RunnerError', 'outcome_from_folder', 'describe_exit', 'Activity']

POLL_SECONDS = 0.1


class RunnerError(RuntimeError):
    """The runner cannot grade at all (e.g. the cluster is unreachable); no single submission's fault."""


@dataclass
class Task:
    attempt: Attempt
    job: WorkerJob              # job.out: the grading's own temporary output folder
    index: int = 0


@dataclass
class Outcome:
    task: Task
    document: dict[str, Any] | None     # the results document; None when the grading failed
    error: str | None                   # why it failed (with the log's tail)
    seconds: float
    worker: str
    started: str
    finished: str
    files: dict[str, bytes] = field(default_factory=dict)   # Dask: the output files, sent back


def describe_exit(code: int | None, timeout: float) -> str:
    if code is None:
        return f'the grading did not finish within its timeout of {timeout:.0f} s and was killed'
    if code < 0:
        import signal
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f'signal {-code}'
        return f'the grading process was killed by {name}'
    return f'the grading process exited with code {code}'


def outcome_from_folder(task: Task, code: int | None, seconds: float, timeout: float, started: str,
                        worker: str = 'local', files: dict[str, bytes] | None = None,
                        tail: str | None = None) -> Outcome:
    """Judge a finished grading process by its exit code and its grading.json."""
    document, error = None, None
    raw = files.get('grading.json') if files is not None else None
    if raw is None and files is None:
        path = task.job.out / 'grading.json'
        raw = path.read_bytes() if path.is_file() else None
    if code == 0 and raw is not None:
        try:
            document = json.loads(raw)
            if not isinstance(document, dict) or 'score' not in document:
                document, error = None, 'grading.json is not a results document'
        except ValueError as exc:
            error = f'grading.json cannot be read: {exc}'
    elif code == 0:
        error = 'the grading process exited without writing grading.json'
    else:
        error = describe_exit(code, timeout)
    if error is not None:
        tail = tail if tail is not None else log_tail(task.job.out / LOG_NAME)
        if tail.strip():
            error += '\n--- log (tail) ---\n' + tail.strip()[-3000:]
    return Outcome(task, document, error, seconds, worker, started, now(), files or {})


class Activity:
    """The gradings in progress, for the progress bar and the status file (read from another
    thread, hence the lock): student, attempt, step, seconds."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tasks: dict[int, tuple[Task, float, Callable[[], str]]] = {}

    def begin(self, task: Task, step: Callable[[], str]) -> None:
        with self._lock:
            self._tasks[id(task)] = (task, time.monotonic(), step)

    def end(self, task: Task) -> None:
        with self._lock:
            self._tasks.pop(id(task), None)

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            tasks = list(self._tasks.values())
        now_ = time.monotonic()
        return [{'student': task.attempt.student, 'attempt': task.attempt.attempt, 'step': step(),
                 'seconds': round(now_ - start, 1)} for task, start, step in sorted(tasks, key=lambda t: t[1])]


class LocalRunner:
    """Grades tasks in child processes, `jobs` at a time."""

    def __init__(self, jobs: int, timeout: float, *, prefix: list[str] | None = None):
        self.jobs = max(1, int(jobs))
        self.timeout = float(timeout)
        self.prefix = prefix            # argv replacing `python -m autograder.batch.grading_job` (tests)
        self.description = f'{self.jobs} local process{"es" if self.jobs > 1 else ""}'
        self.activity = Activity()

    def running(self) -> list[dict[str, Any]]:
        return self.activity.snapshot()

    def run(self, tasks: list[Task], on_result: Callable[[Outcome], None]) -> None:
        pending = deque(tasks)
        running: dict[subprocess.Popen, tuple[Task, float, str, Any]] = {}
        try:
            while pending or running:
                while pending and len(running) < self.jobs:
                    task = pending.popleft()
                    task.job.out.mkdir(parents=True, exist_ok=True)
                    log = open(task.job.out / LOG_NAME, 'wb')
                    process = subprocess.Popen(
                        command(task.job, parent_pid=os.getpid(), prefix=self.prefix), stdin=subprocess.DEVNULL,
                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
                    running[process] = (task, time.monotonic(), now(), log)
                    self.activity.begin(task, lambda task=task: read_step(task.job.out))
                finished = False
                for process in list(running):
                    task, start, started, log = running[process]
                    code = process.poll()
                    elapsed = time.monotonic() - start
                    if code is None and elapsed <= self.timeout:
                        continue
                    if code is None:
                        kill_group(process)
                        process.wait()
                    log.close()
                    del running[process]
                    self.activity.end(task)
                    finished = True
                    on_result(outcome_from_folder(task, code, elapsed, self.timeout, started))
                if not finished:
                    time.sleep(POLL_SECONDS)
        finally:
            for process, (_, _, _, log) in running.items():
                kill_group(process)
                process.wait()
                log.close()

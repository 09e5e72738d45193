"""What a running batch shows: a progress bar that moves (elapsed time from the batch's start,
what each grading is doing, refreshed every second by a thread of its own) and the same facts
in `OUT/status.json` (written atomically every 2 s) for a dashboard or a cron job.

status.json:
  state            'preparing' (data, calibration) | 'grading' | 'finished' | 'interrupted'
  started, updated ISO time stamps (UTC); elapsed_seconds since the batch started
  total, done      gradings of this run, and how many have finished
  graded, failed, rejected, skipped   the batch's counts so far
  running          one entry per grading in progress: student, attempt, step, seconds
"""
from __future__ import annotations

import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from ..results import write_json_atomic

__all__ = ['BatchProgress', 'STATUS_NAME', 'STEP_NAME', 'read_step', 'running_text']

STATUS_NAME = 'status.json'
STEP_NAME = '.step'              # a grading's current step, in its own output folder (grading_job writes it)
REFRESH_SECONDS = 1.0
STATUS_SECONDS = 2.0


def read_step(folder: Path) -> str:
    try:
        return (Path(folder) / STEP_NAME).read_text(encoding='utf-8').strip()[:40] or 'starting'
    except OSError:
        return 'starting'


def running_text(running: list[dict[str, Any]], limit: int = 4) -> str:
    """'alice: notebook 42 s, bob: probes 3 s (+2)'."""
    parts = [f"{r['student']}: {r['step']} {r['seconds']:.0f} s" for r in running[:limit]]
    if len(running) > limit:
        parts.append(f'(+{len(running) - limit})')
    return ', '.join(parts)


def _stamp() -> str:
    return datetime.now(timezone.utc).isoformat(timespec='seconds')


class BatchProgress:
    """The bar and the status file of one batch. `running` is the runner's snapshot of the
    gradings in progress; `counts` the batch's counts (read, never written here)."""

    def __init__(self, status_file: Path, counts: dict[str, int], *, enabled: bool,
                 facts: dict[str, Any] | None = None):
        self.status_file, self.counts, self.enabled = Path(status_file), counts, enabled
        self.facts = dict(facts or {})
        self.started_wall, self.started = time.time(), _stamp()
        self.state, self.total, self.done = 'preparing', 0, 0
        self.running: Callable[[], list[dict[str, Any]]] = list
        self.bar = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._written = 0.0

    # ------------------------------------------------------------------ life cycle
    def __enter__(self) -> 'BatchProgress':
        self._write_status()
        self._thread = threading.Thread(target=self._loop, name='batch-progress', daemon=True)
        self._thread.start()
        return self

    def __exit__(self, kind, value, traceback) -> bool:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self.state != 'finished':
                self.state = 'interrupted' if kind is not None else 'finished'
            if self.bar is not None:
                self.bar.close()
                self.bar = None
        self._write_status()
        return False

    def grading(self, total: int, running: Callable[[], list[dict[str, Any]]]) -> None:
        """The gradings start: `total` of them; `running()` lists those in progress."""
        from tqdm import tqdm
        with self._lock:
            self.state, self.total, self.running = 'grading', total, running
            self.bar = tqdm(total=total, desc='grading', unit='submission', disable=not self.enabled,
                            file=sys.stderr, dynamic_ncols=True, smoothing=0.1, mininterval=REFRESH_SECONDS,
                            delay=1e-3)                   # drawn below, once it counts from the batch's start
            self.bar.start_t = self.started_wall          # elapsed: from the batch's start
            self._postfix()
            self.bar.refresh()
        self._write_status()

    def finished(self) -> None:
        with self._lock:
            self.state = 'finished'

    def one_done(self) -> None:
        """A grading was committed: the counts and the bar move together."""
        with self._lock:
            self.done += 1
            if self.bar is not None:
                self._postfix()
                self.bar.update(1)
        self._write_status()

    def write(self, text: str) -> None:
        with self._lock:
            if self.bar is not None:
                self.bar.write(text, file=sys.stderr)
            elif self.enabled:
                print(text, file=sys.stderr)

    # ------------------------------------------------------------------ the facts
    def _postfix(self) -> None:
        c = self.counts
        text = f"graded={c.get('graded', 0)} failed={c.get('failed', 0)}"
        now_running = running_text(self._running())
        self.bar.set_postfix_str(f'{text} | {now_running}' if now_running else text, refresh=False)

    def _running(self) -> list[dict[str, Any]]:
        try:
            return list(self.running())
        except Exception:            # a snapshot taken while the runner changes: next time
            return []

    def status(self) -> dict[str, Any]:
        return {**self.facts, 'state': self.state, 'started': self.started, 'updated': _stamp(),
                'elapsed_seconds': round(time.time() - self.started_wall, 1),
                'total': self.total, 'done': self.done,
                **{k: self.counts.get(k, 0) for k in ('graded', 'failed', 'rejected', 'skipped')},
                'running': self._running()}

    def _write_status(self) -> None:
        try:
            write_json_atomic(self.status_file, self.status())
            self._written = time.monotonic()
        except OSError:          # a status file is a convenience; the batch goes on without it
            pass

    def _loop(self) -> None:
        while not self._stop.wait(REFRESH_SECONDS):
            with self._lock:
                if self.bar is not None:
                    self._postfix()
                    self.bar.refresh()
            if time.monotonic() - self._written >= STATUS_SECONDS - 0.05:
                self._write_status()

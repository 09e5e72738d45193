"""Run the probe runner in a separate process and collect its validated records.

The runner's result channel is a pipe only the grader reads; its lines must carry the
run's token and be well-formed, or they are discarded and reported. Anything the student's
code prints goes to stdout/stderr, which are kept (truncated) for the report, never parsed.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ['ProbeRun', 'run_probes', 'RUNNER']

RUNNER = Path(__file__).with_name('runner.py')
MAX_CHANNEL_BYTES = 64 << 20


@dataclass
class ProbeRun:
    """What came back: one record per task id (plus 'import'), and how the process ended."""
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    finished: bool = False                 # the runner reported 'done'
    returncode: int | None = None
    timed_out: bool = False
    seconds: float = 0.0
    stdout: str = ''
    stderr: str = ''
    problems: list[str] = field(default_factory=list)   # discarded lines, tampering notes
    sandboxed: bool = False
    sandbox_note: str = ''

    def result(self, task_id: str) -> dict[str, Any] | None:
        return self.records.get(task_id)


def _read_channel(fd: int, token: str, run: ProbeRun) -> None:
    buffer, total = b'', 0
    with os.fdopen(fd, 'rb') as channel:
        while chunk := channel.read1(1 << 16):
            total += len(chunk)
            if total > MAX_CHANNEL_BYTES:
                run.problems.append('the result channel carried more data than any genuine run')
                break
            buffer += chunk
            *lines, buffer = buffer.split(b'\n')
            for line in lines:
                _accept(line, token, run)


def _accept(line: bytes, token: str, run: ProbeRun) -> None:
    try:
        record = json.loads(line)
        valid = isinstance(record, dict) and record.get('token') == token and 'event' in record
    except ValueError:
        valid = False
    if not valid:
        run.problems.append(f'discarded a line without the run token: {line[:100]!r}')
        return
    if record['event'] == 'result':
        task = record.get('task')
        if not isinstance(task, str) or task in run.records:
            run.problems.append(f'discarded a second result for {task!r}')
            return
        run.records[task] = record
    elif record['event'] == 'done':
        run.finished = True
        run.problems.extend(f'probe process: {note}' for note in record.get('tampering', []))


def run_probes(workspace: Path, module_kind: str, package_name: str, request: dict[str, Any], *,
               timeout: float = 300.0, python: str | None = None) -> ProbeRun:
    """Run every task of `request` against the module in `workspace`."""
    request = dict(request, workspace=str(workspace), kind=module_kind, package=package_name)
    read_end, write_end = os.pipe()
    run = ProbeRun()
    reader = threading.Thread(target=_read_channel, args=(read_end, request['token'], run), daemon=True)
    reader.start()
    started = time.monotonic()
    env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'PYTHONDONTWRITEBYTECODE': '1',
           'PYTHONHASHSEED': '0', 'MPLBACKEND': 'Agg', 'HOME': str(workspace), 'LANG': 'C.UTF-8'}
    process = subprocess.Popen([python or sys.executable, '-I', str(RUNNER), str(write_end)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               pass_fds=(write_end,), cwd=workspace, env=env, start_new_session=True)
    os.close(write_end)
    try:
        stdout, stderr = process.communicate(json.dumps(request).encode(), timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        stdout, stderr = process.communicate()
        run.timed_out = True
    reader.join(timeout=10)
    run.returncode = process.returncode
    run.seconds = time.monotonic() - started
    run.stdout = stdout.decode('utf-8', 'replace')[-20000:]
    run.stderr = stderr.decode('utf-8', 'replace')[-20000:]
    return run

"""The probe runner's worker/parent protocol, driven directly (trusted code, no sandbox)."""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys

import pytest

from autograder.authoring.bundle import model_source
from autograder.probes.collect import RUNNER
from autograder.probes.vlgrader_probe.boot import command
from autograder.probes.request import build_tasks
from autograder.settings import load_settings

SETTINGS = load_settings('eindopdracht-v2324.2')
QUIET = 3.0      # seconds of silence that show the worker waits (a bug would speak sooner)


@pytest.fixture
def worker(tmp_path):
    """A worker over the first two probe tasks of the reference module, with its channel
    and its receipt pipe in the test's hands."""
    (tmp_path / 'model.py').write_text(model_source(), encoding='utf-8')
    request = build_tasks(SETTINGS)
    request = dict(request, tasks=request['tasks'][:2], workspace=str(tmp_path), kind='flat',
                   package=SETTINGS.package_name, import_seconds=20)
    request.pop('token')
    channel_read, channel_write = os.pipe()
    ack_read, ack_write = os.pipe()
    process = subprocess.Popen(command(sys.executable, RUNNER.parent, '--worker', channel_write, ack_read),
                               stdin=subprocess.PIPE, pass_fds=(channel_write, ack_read), cwd=tmp_path)
    os.close(channel_write)
    os.close(ack_read)
    process.stdin.write(json.dumps(request).encode())
    process.stdin.close()
    lines = _Lines(channel_read)
    yield process, lines, ack_write, [t['id'] for t in request['tasks']]
    process.kill()
    process.wait()
    os.close(channel_read)
    try:
        os.close(ack_write)
    except OSError:
        pass


class _Lines:
    def __init__(self, fd):
        self.fd, self.buffer = fd, b''

    def next(self, timeout: float) -> dict | None:
        """The next record, or None when nothing arrives within `timeout` seconds."""
        while b'\n' not in self.buffer:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b'\n', 1)
        return json.loads(line)


def test_the_worker_waits_for_the_receipt_of_each_result(worker):
    """Student code that kills the parent must not take unread earlier results with it: the
    worker runs no more student code until the parent has taken each result."""
    process, lines, ack, task_ids = worker
    assert lines.next(30)['event'] == 'start'
    imported = lines.next(30)
    assert (imported['event'], imported['task'], imported['ok']) == ('result', 'import', True)
    assert lines.next(QUIET) is None, 'the worker went on before the parent took the import result'

    os.write(ack, f'{task_ids[1]}\n'.encode())         # a receipt for something else does not count
    assert lines.next(QUIET) is None
    os.write(ack, b'import\n')
    started = lines.next(30)
    assert (started['event'], started['task']) == ('start', task_ids[0])
    first = lines.next(30)
    assert (first['event'], first['task'], first['ok']) == ('result', task_ids[0], True)
    assert lines.next(QUIET) is None


def test_the_worker_stops_when_the_parent_is_gone(worker):
    process, lines, ack, _ = worker
    assert lines.next(30)['event'] == 'start'
    assert lines.next(30)['task'] == 'import'
    os.close(ack)                                       # the parent's end: as if it were killed
    assert process.wait(timeout=30) == 3
    assert lines.next(QUIET) is None


def run_parent(folder, source: str, *, portable: bool, tasks=None, seconds=None) -> dict[str, dict]:
    """The whole runner (parent and workers) on `source`, unsandboxed; its records by task."""
    (folder / 'model.py').write_text(source, encoding='utf-8')
    request = build_tasks(SETTINGS)
    chosen = [t for t in request['tasks'] if tasks is None or t['id'] in tasks]
    if seconds:
        chosen = [dict(t, seconds=seconds) for t in chosen]
    request = dict(request, tasks=chosen, workspace=str(folder), kind='flat', package=SETTINGS.package_name,
                   import_seconds=20)
    channel_read, channel_write = os.pipe()
    env = {**os.environ, 'VLGRADER_PORTABLE': '1'} if portable else dict(os.environ)
    process = subprocess.Popen(command(sys.executable, RUNNER.parent, channel_write), stdin=subprocess.PIPE,
                               pass_fds=(channel_write,), cwd=folder, env=env)
    os.close(channel_write)
    process.communicate(json.dumps(request).encode(), timeout=120)
    with os.fdopen(channel_read, 'rb') as channel:
        records = [json.loads(line) for line in channel.read().splitlines()]
    assert records[-1]['event'] == 'done'
    return {r['task']: r for r in records if r['event'] == 'result'}


@pytest.mark.parametrize('portable', [False, True], ids=['posix', 'portable'])
def test_the_runner_gives_the_same_records_the_windows_way(tmp_path, portable):
    """VLGRADER_PORTABLE=1 takes the Windows way on POSIX (a reading thread instead of select,
    no SIGALRM timer): the same values come back, and a probe that hangs is ended by the
    parent's deadline while the probes after it still run (in a new worker)."""
    from autograder.authoring.examples.mutations import apply, find
    source = apply(model_source(), find('tanh-overflow'))
    source += '\n\ndef softsign(a):\n    while True:\n        pass\n'      # hangs
    tasks = ['activation:linear', 'activation:tanh', 'activation:softsign', 'activation:sigmoid']
    records = run_parent(tmp_path, source, portable=portable, tasks=tasks, seconds=2)
    assert records['import']['ok'] and records['activation:linear']['ok']
    errors = {v['error']['type'] for v in records['activation:tanh']['value']['values'] if 'error' in v}
    assert errors == {'OverflowError'}
    hang = records['activation:softsign']
    assert not hang['ok'] or any('error' in v for v in hang['value']['values'])   # stopped, one way or another
    assert records['activation:sigmoid']['ok']                                    # and the next one ran

"""Hostile student code in a probe-like process: each case ends with a complete result, within
its limit, and the grader (this test process) survives. Small limits keep the machine safe."""
import json
import os
import re
import shutil
import sys
import time
import uuid

import pytest

from autograder.sandbox import (Limits, SandboxError, SandboxUnavailable, UnsandboxedWarning, is_available,
                                make_workspace, run)
from autograder.sandbox import host as host_module

AVAILABLE, WHY_NOT = is_available()
needs_bwrap = pytest.mark.skipif(not AVAILABLE, reason=f'no sandbox here: {WHY_NOT}')
SMALL = Limits(memory_mb=256, processes=32, file_size_mb=8, disk_mb=32, open_files=64,
               cpu_seconds=2, wall_seconds=10, output_bytes=4096)


@pytest.fixture
def workspace():
    path = make_workspace()
    yield path
    shutil.rmtree(path, ignore_errors=True)


def py(workspace, code, limits=SMALL, **kwargs):
    return run(['python', '-c', code], workspace=workspace, limits=limits, **kwargs)


@needs_bwrap
def test_runs_unprivileged_with_a_clean_environment(workspace, monkeypatch):
    monkeypatch.setenv('GRADER_SECRET', 'hunter2')
    result = py(workspace, '''
import json, os, sys
status = dict(line.split(':\\t') for line in open('/proc/self/status').read().splitlines() if ':\\t' in line)
print(json.dumps({'uid': os.getuid(), 'caps': status['CapEff'].strip(), 'cwd': os.getcwd(),
                  'env': sorted(os.environ), 'pids': sorted(int(p) for p in os.listdir('/proc') if p.isdigit())}))
''')
    assert result.ok and result.sandboxed and result.warning == ''
    seen = json.loads(result.stdout.tail)
    assert seen['uid'] != 0 and int(seen['caps'], 16) == 0
    assert seen['cwd'] == str(workspace)
    assert 'GRADER_SECRET' not in seen['env'] and not any(k.startswith('JPY_') for k in seen['env'])
    assert len(seen['pids']) <= 3  # a private pid namespace: bwrap's init, prlimit/python


@needs_bwrap
def test_nothing_outside_the_workspace_is_visible_or_changes(workspace, tmp_path):
    secret = workspace.parent / f'secret-{uuid.uuid4().hex}'
    secret.mkdir()
    (secret / 'expected.json').write_text('{"answer": 42}')
    before = sorted(os.listdir(workspace.parent))
    try:
        result = py(workspace, f'''
import os, socket
for path in [{str(secret / 'expected.json')!r}, '/work/main/README.md', '/root/.bashrc', '/etc/shadow',
             {str(tmp_path)!r}]:
    print(path, os.path.exists(path))
for path in ['/usr/evil', '/evil', '/etc/evil', '/dev/evil', '/opt/evil', '../evil', 'own.txt',
             '/tmp/evil', os.path.expanduser('~/evil'), '/dev/shm/evil']:
    try:
        open(path, 'w').write('x')
        print('wrote', path)
    except OSError as error:
        print('refused', path, error.strerror)
try:
    socket.create_connection(('1.1.1.1', 53), timeout=3)
    print('NETWORK')
except OSError as error:
    print('network', error.strerror)
''')
        out = result.stdout.tail.decode()
        assert result.ok, result.stderr.text()
        assert ' True' not in out  # none of those paths exists in the sandbox
        for path in ('/usr/evil', '/evil', '/etc/evil', '/dev/evil', '/opt/evil'):
            assert f'refused {path}' in out
        # writable inside (a tmpfs copy of the workspace), and nothing of it reaches the host copy
        assert 'wrote own.txt' in out and not (workspace / 'own.txt').exists()
        assert 'NETWORK' not in out and 'network ' in out
        # private /tmp, home and /dev/shm took the rest; the host saw none of it
        # (other gradings of a parallel test worker share this parent: only their own folders may come and go)
        others = re.compile(r'(runner|ws|parse|kernel|kernel-scripts|secret)-')
        assert [n for n in sorted(os.listdir(workspace.parent)) if not others.match(n)] == \
            [n for n in before if not others.match(n)]
        for path in ('/usr/evil', '/evil', '/tmp/evil', '/dev/shm/evil'):
            assert not os.path.exists(path)
    finally:
        shutil.rmtree(secret)


@needs_bwrap
@pytest.mark.parametrize('bomb', [
    "b'x' * 10**11",
    "hog = []\nwhile True: hog.append(bytearray(10**6))",
    "import numpy; numpy.ones((10**5, 10**5))",
])
def test_memory_bomb_ends_with_memory_error(workspace, bomb):
    result = py(workspace, bomb)
    assert result.returncode == 1 and 'MemoryError' in result.stderr.text()
    assert result.reason.startswith('memory limit of 256 MB reached')


@needs_bwrap
def test_forked_memory_is_bounded_for_the_tree_together(workspace):
    result = py(workspace, '''
import os, time
for _ in range(20):
    if os.fork() == 0:
        hog = bytearray(100 * 2**20)  # 100 MB each: every process is under its own limit
        time.sleep(60)
time.sleep(60)
''')
    assert result.signal == 9 and 'exceeded by the processes together' in result.reason
    assert result.wall_seconds < 5


@needs_bwrap
def test_fork_bomb_hits_the_process_limit_and_the_tree_dies(workspace):
    marker = uuid.uuid4().hex
    result = py(workspace, f'''
import os, time
forked = 0
try:
    while True:
        if os.fork() == 0:
            time.sleep(60)  # {marker}
            os._exit(0)
        forked += 1
except OSError as error:
    print(forked, error.strerror)
''', limits=SMALL.replace(memory_mb=2048, processes=12))
    assert result.ok, result.reason
    forked, why = result.stdout.tail.decode().split(' ', 1)
    assert int(forked) < 12 and 'temporarily unavailable' in why
    assert result.wall_seconds < 5  # its sleeping children did not keep the run alive ...
    leftovers = []
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            if marker.encode() in open(f'/proc/{pid}/cmdline', 'rb').read():
                leftovers.append(pid)
        except OSError:
            pass
    assert not leftovers  # ... and are gone


@needs_bwrap
def test_disk_fillers_stop_at_the_file_size_and_disk_limits(workspace):
    one_file = py(workspace, "f = open('big', 'wb')\nwhile True: f.write(b'x' * 2**20)")
    assert one_file.returncode == 1 and 'file size limit of 8 MB' in one_file.reason
    many = py(workspace, "i = 0\nwhile True:\n    open(f'f{i}', 'wb').write(b'x' * 2**20)\n    i += 1")
    assert 'disk limit reached: the workspace holds 32 MB' in many.reason
    # the workspace inside is a tmpfs of disk_mb: a hard limit, and the host folder is untouched
    assert list(workspace.iterdir()) == []
    scratch = py(workspace, "i = 0\nwhile True:\n    open(f'/tmp/f{i}', 'wb').write(b'x' * 2**20)\n    i += 1")
    assert 'disk limit reached' in scratch.reason


@needs_bwrap
def test_infinite_loop_stops_at_the_cpu_limit(workspace):
    result = py(workspace, 'while True: pass', limits=SMALL.replace(cpu_seconds=1))
    assert result.signal is not None and 'CPU time limit of 1 s' in result.reason
    assert not result.timed_out and result.wall_seconds < 5


@needs_bwrap
def test_sleeper_stops_at_the_wall_clock_with_its_children(workspace):
    result = py(workspace, "import subprocess, time\nsubprocess.Popen(['sleep', '60'])\ntime.sleep(60)",
                limits=SMALL.replace(wall_seconds=1))
    assert result.timed_out and result.signal == 9 and 'wall-clock limit of 1 s' in result.reason
    assert 1 <= result.wall_seconds < 4


@needs_bwrap
def test_a_gigabyte_of_output_keeps_the_tail_only(workspace):
    result = py(workspace, "import sys\nfor i in range(2**14): sys.stdout.write('y' * 65535 + '\\n')\nprint('THE END')",
                limits=SMALL.replace(cpu_seconds=20, wall_seconds=30))
    assert result.ok, result.reason
    assert result.stdout.total == 2**30 + len('THE END\n')
    assert result.stdout.truncated and len(result.stdout.tail) == SMALL.output_bytes
    assert result.stdout.tail.endswith(b'THE END\n')


@needs_bwrap
def test_segfault_is_named(workspace):
    result = py(workspace, 'import ctypes; ctypes.string_at(0)')
    assert result.signal == 11 and 'segmentation fault' in result.reason


@needs_bwrap
def test_result_channel_and_stdin(workspace):
    code = '''
import os, sys
data = sys.stdin.read()
print('student noise')
assert sys.argv[1] == os.environ['AUTOGRADER_RESULT_FD']
with os.fdopen(int(sys.argv[1]), 'w') as channel:
    channel.write('{"echo": "%s"}' % data)
'''
    result = run(['python', '-c', code, '{result_fd}'], workspace=workspace, limits=SMALL,
                 stdin=b'ping', result_channel=True)
    assert result.ok, result.stderr.text()
    assert json.loads(result.channel.tail) == {'echo': 'ping'}
    assert result.stdout.tail == b'student noise\n'


@needs_bwrap
def test_readonly_paths_are_visible_but_not_writable(workspace):
    probe = host_module.work_root() / f'probe-{uuid.uuid4().hex}.py'
    probe.write_text('import sys\nprint("probe", sys.argv[1])\ntry:\n    open(__file__, "a")\n'
                     'except OSError as e:\n    print(e.strerror)\n')
    probe.chmod(0o666)  # even a world-writable file stays read-only: the mount is
    try:
        result = run(['python', probe, 'ok'], workspace=workspace, limits=SMALL, readonly=[probe])
        assert result.ok and result.stdout.tail == b'probe ok\nRead-only file system\n'
    finally:
        probe.unlink()


@needs_bwrap
def test_unreachable_workspace_is_a_clear_error(tmp_path):
    if host_module.host().uid is None:
        pytest.skip('only when dropping from root to the sandbox user')
    os.chmod(tmp_path.parent, 0o700)
    with pytest.raises(SandboxError, match='cannot reach'):
        run(['python', '-c', 'pass'], workspace=tmp_path, limits=SMALL)


def test_fallback_warns_and_still_limits(workspace):
    with pytest.warns(UnsandboxedWarning, match='WITHOUT a sandbox'):
        slow = py(workspace, "print('x' * 10000)\nimport time; time.sleep(60)",
                  limits=SMALL.replace(wall_seconds=1), sandbox=False)
    assert not slow.sandboxed and 'WITHOUT a sandbox' in slow.warning
    assert slow.timed_out and 'wall-clock' in slow.reason and slow.wall_seconds < 4
    assert slow.stdout.truncated and len(slow.stdout.tail) == SMALL.output_bytes
    if sys.platform == 'linux':
        with pytest.warns(UnsandboxedWarning):
            bomb = py(workspace, "b'x' * 10**11", sandbox=False)
        assert 'MemoryError' in bomb.reason


def test_required_sandbox_raises_when_unavailable(workspace, monkeypatch):
    monkeypatch.setattr(host_module.shutil, 'which', lambda name: None)
    host_module.host.cache_clear()
    try:
        with pytest.raises(SandboxUnavailable, match='bubblewrap'):
            py(workspace, 'pass', sandbox=True)
    finally:
        host_module.host.cache_clear()


@needs_bwrap
def test_overhead_is_small(workspace):
    run(['true'], workspace=workspace, limits=SMALL)  # warm caches
    start = time.monotonic()
    for _ in range(5):
        assert run(['true'], workspace=workspace, limits=SMALL).ok
    assert (time.monotonic() - start) / 5 < 0.5

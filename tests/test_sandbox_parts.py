"""The sandbox's parts that need no bubblewrap: limits, bounded output, reasons, the bwrap argv."""
import dataclasses
import os
import signal

import pytest

from autograder.sandbox import Limits, Output
from autograder.sandbox import host as host_module
from autograder.sandbox.bwrap import HOME, bwrap_argv
from autograder.sandbox.output import Tail
from autograder.sandbox.process import explain


def test_limits_defaults_replace_scale_and_settings():
    limits = Limits()
    assert limits.memory_mb == 1024 and limits.processes == 64 and limits.output_bytes == 1 << 20
    assert limits.replace(wall_seconds=30).wall_seconds == 30
    doubled = limits.scaled(2)
    assert (doubled.cpu_seconds, doubled.wall_seconds) == (600, 1200)
    assert doubled.memory_mb == limits.memory_mb
    from_settings = Limits.from_settings({'memory_mb': 512, 'wall_seconds': None})
    assert from_settings.memory_mb == 512 and from_settings.wall_seconds == limits.wall_seconds
    with pytest.raises(ValueError, match='memroy_mb'):
        Limits.from_settings({'memroy_mb': 512})
    # an assignment's [sandbox] table: sizes in MB, the probe's time for the caller to map
    table = {'memory_mb': 4096, 'processes': 64, 'file_size_mb': 256, 'open_files': 256,
             'output_mb': 4, 'probe_seconds': 120}
    probe = Limits.from_settings(table, ignore=['probe_seconds']).replace(wall_seconds=table['probe_seconds'])
    assert (probe.memory_mb, probe.output_bytes, probe.wall_seconds) == (4096, 4 << 20, 120)
    with pytest.raises(ValueError, match='processes'):
        Limits(processes=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.memory_mb = 1


def test_rlimits_are_the_limits_in_bytes_and_seconds():
    rlimits = Limits(memory_mb=256, processes=16, file_size_mb=8, open_files=100,
                     cpu_seconds=2.5).rlimits()
    assert rlimits == {'as': (256 << 20,) * 2, 'nproc': (16, 16), 'fsize': (8 << 20,) * 2,
                       'nofile': (100, 100), 'cpu': (3, 4), 'core': (0, 0)}


def test_tail_keeps_the_newest_bytes_and_counts_all():
    tail = Tail(10)
    for i in range(100_000):
        tail.feed(b'%09d\n' % i)
    out = tail.output()
    assert out.tail == b'%09d\n' % 99_999 and out.total == 1_000_000 and out.truncated
    assert out.text().startswith('[... 999990 bytes cut, last 10 kept ...]\n')
    assert len(tail._buf) <= 2 * 10 + 65536 + 10  # never the whole stream
    assert not Output(b'abc', 3).truncated and Output(b'abc', 3).text() == 'abc'


@pytest.mark.parametrize('returncode, sig, stderr, expected', [
    (0, None, b'', None),
    (1, None, b'Traceback ...\nMemoryError\n', 'memory limit of 1024 MB reached (MemoryError)'),
    (1, None, b'OSError: [Errno 27] File too large\n', 'file size limit of 64 MB'),
    (-signal.SIGXCPU, signal.SIGXCPU, b'', 'CPU time limit of 300 s exceeded (killed by SIGXCPU)'),
    (-signal.SIGSEGV, signal.SIGSEGV, b'', 'segmentation fault (SIGSEGV)'),
    (-signal.SIGTERM, signal.SIGTERM, b'', 'killed by signal 15 (SIGTERM)'),
    (1, None, b'bwrap: Can\'t find source path /x: No such file\n', 'the sandbox failed to start'),
    (3, None, b'', 'exited with code 3'),
])
def test_explain_names_the_cause(returncode, sig, stderr, expected):
    reason = explain(returncode, sig, None, Output(stderr, len(stderr)), Limits(), cpu=0.1)
    assert reason == expected if expected is None else expected in reason


def test_explain_prefers_the_watchdog_and_spots_cpu_kills():
    assert explain(-9, 9, 'wall-clock limit of 5 s exceeded', Output(), Limits(), 0.0).startswith('wall-clock')
    assert 'CPU time limit' in explain(-9, 9, None, Output(), Limits(cpu_seconds=2), cpu=2.0)


def test_bwrap_argv_isolates_and_limits():
    argv = bwrap_argv('/usr/bin/bwrap', ['python', 'probe.py'], workspace='/w/ws',
                      limits=Limits(memory_mb=256, cpu_seconds=5), roots=['/opt/rt'],
                      readonly=['/srv/probe.py'], etc_fds={'/etc/passwd': 7}, prlimit='/usr/bin/prlimit')
    joined = ' '.join(argv)
    for option in ('--unshare-all', '--unshare-user', '--disable-userns', '--die-with-parent',
                   '--new-session', '--cap-drop ALL', '--ro-bind /usr /usr', '--tmpfs /usr/local',
                   '--ro-bind /opt/rt /opt/rt', '--ro-bind /srv/probe.py /srv/probe.py',
                   '--ro-bind /w/ws /.workspace-source', '--tmpfs /w/ws', '--ro-bind-data 7 /etc/passwd', '--remount-ro /',
                   f'--tmpfs {HOME}', '--tmpfs /tmp', '--chdir /w/ws'):
        assert option in joined, option
    assert '--share-net' not in argv
    # no host folder is bound writable: the workspace is a tmpfs of disk_mb filled from a read-only copy
    assert [argv[i + 1] for i, a in enumerate(argv) if a == '--bind'] == []
    start = argv.index('/.workspace-source') - 2
    assert argv[start:start + 7] == ['--ro-bind', '/w/ws', '/.workspace-source',
                                     '--size', str(Limits().disk_mb << 20), '--tmpfs', '/w/ws']
    command = argv[argv.index('--') + 1:]
    assert command[:3] == ['/bin/sh', '-c', 'cp -a /.workspace-source/. . && exec "$@"']
    command = command[4:]
    assert command[0] == '/usr/bin/prlimit' and f'--as={256 << 20}:{256 << 20}' in command
    assert '--cpu=5:6' in command and command[-3:] == ['--', 'python', 'probe.py']


def test_unavailable_reasons_point_at_the_setup(monkeypatch):
    monkeypatch.setattr(host_module.shutil, 'which', lambda name: None)
    host_module.host.cache_clear()
    try:
        available, reason = host_module.is_available()
        assert not available
        assert 'bubblewrap' in reason
        assert 'WITHOUT a sandbox' in host_module.host().warning and reason in host_module.host().warning
    finally:
        host_module.host.cache_clear()


def test_workspace_files_are_read_without_following_links(tmp_path):
    from autograder.sandbox import SandboxError, read_workspace_file
    (tmp_path / 'secret').write_text('expected values')
    workspace = tmp_path / 'ws'
    workspace.mkdir()
    (workspace / 'ok.json').write_text('{}')
    (workspace / 'link.json').symlink_to(tmp_path / 'secret')
    (workspace / 'sub').symlink_to(tmp_path)
    os.mkfifo(workspace / 'fifo.json')
    (workspace / 'big.json').write_bytes(b'x' * 101)
    assert read_workspace_file(workspace, 'ok.json', 100) == b'{}'
    for name, why in [('link.json', 'link'), ('sub/secret', 'link'), ('../secret', 'outside'),
                      ('fifo.json', 'not a regular file'), ('big.json', 'more than 100')]:
        with pytest.raises(SandboxError, match=why):
            read_workspace_file(workspace, name, 100)

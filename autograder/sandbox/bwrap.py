"""The bubblewrap command line: what the sandboxed process sees and may do.

Everything is private (user, pid, network, ipc, uts, cgroup namespaces) and nothing of the
host is visible except /usr, a few harmless /etc files, the interpreter's folders and the
given read-only paths. The workspace is a tmpfs of `disk_mb` at the workspace's own path,
filled with a copy of the host folder (bound read-only) before the command starts: the
kernel enforces the disk limit, and the host copy cannot be changed from inside. Paths
inside equal the paths outside, so argv and results mean the same in a fallback run.
"""
from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Sequence

from .limits import MIB, Limits

HOME = '/home/student'
SOURCE = '/.workspace-source'      # the host workspace, read-only, copied into the tmpfs
HOSTNAME = 'sandbox'
# Read-only /etc entries programs expect; nothing secret (no shadow, no ssl keys, no hosts).
ETC = ('/etc/ld.so.cache', '/etc/localtime', '/etc/nsswitch.conf', '/etc/fonts',
       *sorted(glob.glob('/etc/python3*')))


def data_fd(text: str, name: str) -> int:
    """An in-memory file holding `text`, for --ro-bind-data (synthetic /etc/passwd ...)."""
    fd = os.memfd_create(name, os.MFD_CLOEXEC)  # Popen's pass_fds opens it to bwrap alone
    os.write(fd, text.encode())
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def synthetic_etc(uid: int, gid: int) -> dict[str, str]:
    """Account files naming only the sandbox user: the host's accounts are none of its business."""
    return {
        '/etc/passwd': f'root:x:0:0::/root:/usr/sbin/nologin\nstudent:x:{uid}:{gid}::{HOME}:/bin/sh\n'
                       'nobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n',
        '/etc/group': f'root:x:0:\nstudent:x:{gid}:\nnogroup:x:65534:\n',
        '/etc/hosts': f'127.0.0.1 localhost {HOSTNAME}\n::1 localhost\n',
    }


def usr_merge_args() -> list[str]:
    """/bin, /lib ... as on the host: symlinks into /usr (merged /usr) or read-only binds."""
    args: list[str] = []
    for top in ('/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'):
        if os.path.islink(top):
            args += ['--symlink', os.readlink(top), top]
        elif os.path.isdir(top):
            args += ['--ro-bind', top, top]
    return args


def bwrap_argv(
    bwrap: str,
    command: Sequence[str],
    *,
    workspace: str,
    limits: Limits,
    roots: Iterable[str] = (),
    readonly: Iterable[str] = (),
    writable: Iterable[str] = (),
    etc_fds: dict[str, int] | None = None,
    home_files: dict[str, str] | None = None,
    info_fd: int | None = None,
    prlimit: str = 'prlimit',
) -> list[str]:
    """The full argv: bwrap options, then prlimit (rlimits are set inside, after bwrap made the
    user namespace, so RLIMIT_NPROC counts this sandbox's processes only), then `command`."""
    scratch = str(limits.file_size_mb * MIB)
    argv = [
        bwrap,
        '--unshare-all', '--unshare-user', '--disable-userns',  # no network, no nested namespaces
        '--die-with-parent', '--new-session', '--cap-drop', 'ALL',
        '--hostname', HOSTNAME,
        '--ro-bind', '/usr', '/usr',
        '--tmpfs', '/usr/local',  # re-bound below if the interpreter lives there
        *usr_merge_args(),
    ]
    for path in ETC:
        argv += ['--ro-bind-try', path, path]
    for dest, fd in (etc_fds or {}).items():
        argv += ['--ro-bind-data', str(fd), dest]
    argv += [
        '--proc', '/proc',
        '--dev', '/dev',
        '--size', scratch, '--tmpfs', '/dev/shm',
        '--size', scratch, '--tmpfs', '/tmp',
        '--size', scratch, '--tmpfs', HOME,
    ]
    for dest, src in (home_files or {}).items():
        argv += ['--ro-bind', src, os.path.join(HOME, dest)]
    for path in (*roots, *readonly):
        argv += ['--ro-bind', path, path]
    for path in writable:
        argv += ['--bind', path, path]
    argv += ['--ro-bind', workspace, SOURCE, '--size', str(limits.disk_mb * MIB), '--tmpfs', workspace]
    argv += ['--remount-ro', '/dev', '--remount-ro', '/', '--chdir', workspace]
    if info_fd is not None:
        argv += ['--info-fd', str(info_fd)]
    rlimits = [f'--{name}={soft}:{hard}' for name, (soft, hard) in limits.rlimits().items()]
    fill = ['/bin/sh', '-c', f'cp -a {SOURCE}/. . && exec "$@"', 'sh']
    return [*argv, '--', *fill, prlimit, *rlimits, '--', *command]

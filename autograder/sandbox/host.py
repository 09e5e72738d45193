"""What this machine offers for sandboxing: bubblewrap, an unprivileged user, a Python.

Decided once per grader process by a real trial run inside bwrap, so a broken setup (no user
namespaces, an interpreter the sandbox user cannot read, ...) is reported with its cause
instead of failing every submission.
"""
from __future__ import annotations

import functools
import json
import os
try:
    import pwd                  # POSIX; the sandbox needs Linux, a self-check runs anywhere
except ImportError:             # pragma: no cover - Windows
    pwd = None
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER_ENV = 'AUTOGRADER_SANDBOX_USER'
RUNTIME_ENV = 'AUTOGRADER_SANDBOX_RUNTIME'
DEFAULT_USER = 'vlgrader'
DEFAULT_RUNTIME = '/opt/vlgrader/runtime'
SETUP_HINT = 'scripts/install-system-deps sets it up'


class SandboxError(RuntimeError):
    """The sandbox cannot run as asked (unreachable path, missing setup)."""


class SandboxUnavailable(SandboxError):
    """A sandbox was required but this machine cannot provide one."""


class UnsandboxedWarning(UserWarning):
    """Student code is about to run without isolation."""


@dataclass(frozen=True)
class Host:
    sandboxed: bool
    reason: str                      # why not sandboxed; '' when sandboxed
    python: str                      # interpreter for student code
    python_roots: tuple[str, ...]    # folders it needs beyond /usr, bound read-only
    bwrap: str | None = None
    prlimit: str | None = None
    uid: int | None = None           # user to drop to (the grader runs as root), else None
    gid: int | None = None

    @property
    def warning(self) -> str:
        return '' if self.sandboxed else unsandboxed_warning(self.reason)


def unsandboxed_warning(reason: str) -> str:
    limits = ('resource limits and a wall-clock timeout' if os.name == 'posix'
              else 'only a wall-clock timeout')
    return (f'WARNING: student code runs WITHOUT a sandbox ({reason}). It can read and change '
            f'everything this account can and use the network; {limits} apply. Results are '
            'otherwise the same. Grade untrusted submissions only on Linux with bubblewrap.')


def runtime_dir() -> Path:
    """The world-readable Python environment built for sandboxed code."""
    return Path(os.environ.get(RUNTIME_ENV) or DEFAULT_RUNTIME)


def runtime_python() -> str | None:
    python = runtime_dir() / 'bin' / 'python'
    return str(python) if os.access(python, os.X_OK) else None


@functools.cache
def host() -> Host:
    """This machine's sandbox setup (cached; `host.cache_clear()` after changing it)."""
    python = runtime_python() or sys.executable
    if sys.platform != 'linux':
        return Host(False, f'bubblewrap needs Linux, this is {sys.platform}', python, ())
    bwrap = shutil.which('bwrap')
    if not bwrap:
        return Host(False, f'bubblewrap is not installed ({SETUP_HINT})', python, ())
    prlimit = shutil.which('prlimit')
    if not prlimit:
        return Host(False, 'prlimit (util-linux) is missing', python, ())
    uid = gid = None
    if os.geteuid() == 0:
        # bwrap started as root keeps its capabilities, and RLIMIT_NPROC does not hold for root.
        name = os.environ.get(USER_ENV) or DEFAULT_USER
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            return Host(False, f'running as root and there is no user {name!r} to drop to ({SETUP_HINT})',
                        python, ())
        if entry.pw_uid == 0:
            return Host(False, f'sandbox user {name!r} has uid 0', python, ())
        uid, gid = entry.pw_uid, entry.pw_gid
        if not runtime_python():
            return Host(False, f'no sandbox Python at {runtime_dir()} (the root-owned interpreter is '
                               f'unreadable to {name!r}; {SETUP_HINT})', python, ())
    error, roots = _trial(bwrap, python, uid, gid)
    if error:
        return Host(False, f'bubblewrap does not work here: {error}', python, ())
    return Host(True, '', python, roots, bwrap, prlimit, uid, gid)


def is_available() -> tuple[bool, str]:
    """(True, '') when student code will be sandboxed, else (False, why not)."""
    info = host()
    return info.sandboxed, info.reason


def sandbox_python() -> str:
    """The interpreter student code runs with (`python` in a run's argv means this)."""
    return host().python


def _trial(bwrap: str, python: str, uid: int | None, gid: int | None) -> tuple[str, tuple[str, ...]]:
    """Run the interpreter inside bwrap as the sandbox user; return (error, folders it needs)."""
    code = ('import json, os, sys; print(json.dumps([sys.prefix, sys.base_prefix, '
            'os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))]))')
    argv = [bwrap, '--unshare-all', '--unshare-user', '--disable-userns', '--die-with-parent',
            '--cap-drop', 'ALL', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev',
            python, '-I', '-c', code]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=60, user=uid, group=gid,
                              extra_groups=[] if uid is not None else None, cwd='/', env={})
    except (OSError, subprocess.SubprocessError) as error:
        return str(error), ()
    if done.returncode:
        lines = done.stderr.decode(errors='replace').strip().splitlines() or [f'exit {done.returncode}']
        return lines[-1], ()
    roots = []
    for folder in json.loads(done.stdout):
        path = Path(folder)
        inside_usr = path.is_relative_to('/usr') and not path.is_relative_to('/usr/local')
        if not inside_usr and str(path) not in roots and path != Path('/'):
            roots.append(str(path))
    return '', tuple(roots)


def work_root() -> Path:
    """A folder the sandbox user can traverse but not list (0711): bwrap runs as that user and
    must reach every folder it binds, while pytest's and most temp folders are 0700."""
    if not hasattr(os, 'geteuid'):       # pragma: no cover - Windows: no sandbox user to let in
        base = Path(tempfile.gettempdir()) / 'autograder-sandbox'
        base.mkdir(exist_ok=True)
        return base
    base = Path(tempfile.gettempdir()) / f'autograder-sandbox-{os.geteuid()}'
    try:
        base.mkdir(mode=0o711)
    except FileExistsError:
        pass
    info = os.lstat(base)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise SandboxError(f'{base} is not a folder owned by this user; remove it')
    if stat.S_IMODE(info.st_mode) != 0o711:
        os.chmod(base, 0o711)
    return base


def make_workspace(parent: Path | None = None, prefix: str = 'ws-') -> Path:
    """A fresh, empty workspace the sandbox user owns, in a folder it can reach."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent or work_root()))
    hand_over(path)
    return path


def hand_over(path: Path) -> None:
    """Make `path` (a tree) the sandbox user's, so student code may write there.
    Symbolic links are not followed and hard-linked files are left alone."""
    info = host()
    if info.uid is None:
        return
    os.lchown(path, info.uid, info.gid)
    for folder, dirs, files in os.walk(path):
        for name in dirs + files:
            entry = os.path.join(folder, name)
            st = os.lstat(entry)
            if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
                continue
            os.lchown(entry, info.uid, info.gid)


def check_reachable(path: Path, uid: int, gid: int) -> None:
    """bwrap runs as `uid` and needs search permission on every parent folder of a bind."""
    for parent in Path(path).parents:
        info = os.stat(parent)
        if info.st_uid == uid:
            ok = info.st_mode & stat.S_IXUSR
        elif info.st_gid == gid:
            ok = info.st_mode & stat.S_IXGRP
        else:
            ok = info.st_mode & stat.S_IXOTH
        if not ok:
            raise SandboxError(
                f'the sandbox user cannot reach {path}: {parent} is mode {stat.S_IMODE(info.st_mode):o}; '
                'create workspaces with autograder.sandbox.make_workspace() or under a folder '
                'with o+x')

"""One launch recipe for both kinds of student process (probe, kernel): argv + Popen options.

Sandboxed: bwrap as the unprivileged sandbox user, rlimits set inside by prlimit.
Fallback: the command as is, rlimits from a preexec function where the OS has them, and a
warning. Either way the child gets a clean environment (no grader secrets) and its own
session, so the whole group can be killed.
"""
from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import bwrap
from .host import (SandboxError, SandboxUnavailable, UnsandboxedWarning, check_reachable, hand_over,
                   host, runtime_dir, unsandboxed_warning)
from .limits import Limits

# Set for every process that runs student code: code that asks (the template's self-check cell)
# knows it runs under the grader.
GRADING_ENV = 'AUTOGRADER_GRADING'
THREAD_CAPS = {'OPENBLAS_NUM_THREADS': '1', 'OMP_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1',
               'NUMEXPR_NUM_THREADS': '1'}


@dataclass
class Launch:
    argv: list[str]
    popen: dict[str, Any]          # keyword arguments for subprocess.Popen
    sandboxed: bool
    warning: str                   # '' when sandboxed
    info_fd: int | None = None     # read end of bwrap's --info-fd (the sandbox's init pid)
    child_fds: list[int] = field(default_factory=list)

    def spawned(self) -> None:
        """Close the child's ends of the data and info descriptors in the grader."""
        for fd in self.child_fds:
            os.close(fd)
        self.child_fds.clear()

    def abandon(self) -> None:
        """Release everything when the launch did not happen."""
        self.spawned()
        if self.info_fd is not None:
            os.close(self.info_fd)
            self.info_fd = None


def prepare(
    argv: Sequence[str],
    *,
    workspace: Path,
    limits: Limits,
    readonly: Sequence[Path] = (),
    writable: Sequence[Path] = (),
    env: Mapping[str, str | None] | None = None,
    pass_fds: Sequence[int] = (),
    sandbox: bool | None = None,
) -> Launch:
    """Recipe for running `argv` (argv[0] 'python' means the sandbox interpreter) in `workspace`.

    sandbox: None uses bubblewrap when available and falls back with a warning;
    True raises SandboxUnavailable instead of falling back; False never sandboxes.
    """
    info = host()
    if sandbox and not info.sandboxed:
        raise SandboxUnavailable(info.reason)
    workspace = Path(workspace).resolve()
    if not workspace.is_dir():
        raise SandboxError(f'workspace {workspace} is not a folder')
    argv = [info.python if argv[0] == 'python' else os.fspath(argv[0]), *map(os.fspath, argv[1:])]
    if not (info.sandboxed and sandbox is not False):
        message = info.warning or unsandboxed_warning('sandbox turned off by the caller')
        warnings.warn(message, UnsandboxedWarning, stacklevel=3)
        return Launch(argv, _fallback_popen(workspace, limits, env, info.python, pass_fds), False, message)

    readonly = [Path(p).resolve() for p in readonly]
    writable = [Path(p).resolve() for p in writable]
    for path in (*readonly, *writable):
        if not path.exists():
            raise SandboxError(f'cannot bind {path} into the sandbox: it does not exist')
    if info.uid is not None:
        for path in (workspace, *readonly, *writable):
            check_reachable(path, info.uid, info.gid)
        hand_over(workspace)
    uid = os.geteuid() if info.uid is None else info.uid
    gid = os.getegid() if info.gid is None else info.gid
    etc_fds = {dest: bwrap.data_fd(text, os.path.basename(dest))
               for dest, text in bwrap.synthetic_etc(uid, gid).items()}
    info_read, info_write = os.pipe()
    full = bwrap.bwrap_argv(
        info.bwrap, argv, workspace=str(workspace), limits=limits, roots=info.python_roots,
        readonly=map(str, readonly), writable=map(str, writable), etc_fds=etc_fds,
        home_files=_matplotlib_seed(info.python), info_fd=info_write, prlimit=info.prlimit)
    popen: dict[str, Any] = {
        'env': _child_env(info.python, env, home=bwrap.HOME, tmp='/tmp'),
        'cwd': '/',
        'start_new_session': True,
        'pass_fds': (*etc_fds.values(), info_write, *pass_fds),
    }
    if info.uid is not None:
        popen.update(user=info.uid, group=info.gid, extra_groups=[])
    return Launch(full, popen, True, '', info_read, [*etc_fds.values(), info_write])


def _child_env(python: str, extra: Mapping[str, str | None] | None, *, home: str | None,
               tmp: str | None, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """A clean environment: nothing of the grader's leaks in (tokens, paths, JPY_* ...)."""
    env = dict(base or {})
    env.update({
        'PATH': os.pathsep.join([os.path.dirname(python), env.get('PATH') or '/usr/local/bin:/usr/bin:/bin']),
        'LANG': 'C.UTF-8',
        'PYTHONDONTWRITEBYTECODE': '1',
        'PYTHONNOUSERSITE': '1',
        'MPLBACKEND': 'Agg',
        'MALLOC_ARENA_MAX': '2',  # glibc reserves 64 MiB of address space per arena otherwise
        GRADING_ENV: '1',         # student code runs under the grader (a self-check cell stays quiet)
        **THREAD_CAPS,            # fair on a shared machine, and BLAS threads cost address space
    })
    if home:
        env.update(HOME=home, USER='student', LOGNAME='student',
                   MPLCONFIGDIR=os.path.join(home, '.config', 'matplotlib'))
    if tmp:
        env['TMPDIR'] = tmp
    for key in [k for k in env if k.startswith('JPY_')]:
        del env[key]
    for key, value in (extra or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _matplotlib_seed(python: str) -> dict[str, str]:
    """Font cache built by the setup, bound into the fresh home: saves ~1 s per kernel."""
    seed = runtime_dir() / 'mplconfig'
    if not python.startswith(str(runtime_dir()) + os.sep) or not seed.is_dir():
        return {}
    return {f'.config/matplotlib/{p.name}': str(p) for p in seed.iterdir() if p.is_file()}


def _fallback_popen(workspace: Path, limits: Limits, env: Mapping[str, str | None] | None,
                    python: str, pass_fds: Sequence[int]) -> dict[str, Any]:
    popen: dict[str, Any] = {
        'env': _child_env(python, env, home=None, tmp=None, base=os.environ),
        'cwd': str(workspace),
    }
    if os.name == 'posix':
        popen.update(start_new_session=True, preexec_fn=rlimit_setter(limits), pass_fds=tuple(pass_fds))
    else:   # pragma: no cover - Windows: no pass_fds; the channel is an inheritable handle (process.run)
        import subprocess
        popen.update(creationflags=subprocess.CREATE_NEW_PROCESS_GROUP, close_fds=False)
    return popen


def rlimit_setter(limits: Limits) -> Callable[[], None] | None:
    """preexec function lowering what the OS lets us lower. RLIMIT_NPROC is left out: without
    a dedicated user it counts every process of the account and would break the run."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    wanted = []
    for name, (soft, hard) in limits.rlimits().items():
        constant = getattr(resource, f'RLIMIT_{name.upper()}', None)
        if constant is not None and name != 'nproc':
            wanted.append((constant, soft, hard))

    def apply() -> None:
        for constant, soft, hard in wanted:
            try:
                _, current = resource.getrlimit(constant)
                if current != resource.RLIM_INFINITY:
                    hard = min(hard, current)
                resource.setrlimit(constant, (min(soft, hard), hard))
            except (ValueError, OSError):
                pass
    return apply

"""Run one command of student code to completion, within limits, and say how it ended."""
from __future__ import annotations

import json
import os
import select
import signal as signals
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .command import prepare
from ..i18n import _
from .limits import DEFAULT, Limits
from .output import Output, Tail, drain
from .watch import Watchdog, folder_usage, wait_gone

RESULT_FD_ENV = 'AUTOGRADER_RESULT_FD'
RESULT_FD_ARG = '{result_fd}'  # in argv, replaced by the channel's descriptor number
CHANNEL_BYTES = 64 << 20       # kept of the result channel (more means something is wrong)


@dataclass(frozen=True)
class RunResult:
    returncode: int | None       # Popen convention: negative = killed by that signal
    signal: int | None           # the signal that ended the command, if any
    stdout: Output
    stderr: Output
    channel: Output | None       # what the command wrote to fd $AUTOGRADER_RESULT_FD
    timed_out: bool
    wall_seconds: float
    cpu_seconds: float           # user + system of the tree, partly sampled (0 where unknown)
    sandboxed: bool
    reason: str | None           # why it ended abnormally, for people; None when it exited 0
    warning: str = ''            # the unsandboxed warning, if it applied

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.reason is None


def run(
    argv: Sequence[str | os.PathLike],
    *,
    workspace: Path,
    limits: Limits = DEFAULT,
    readonly: Sequence[Path] = (),
    env: Mapping[str, str | None] | None = None,
    stdin: bytes | None = None,
    result_channel: bool = False,
    sandbox: bool | None = None,
) -> RunResult:
    """Run `argv` with `workspace` as its only writable folder and as working directory.

    argv[0] == 'python' means the sandbox interpreter. `readonly` paths are visible at the
    same path inside. `env` adds to (None: removes from) a clean default environment.
    With `result_channel`, the command gets a private pipe whose number is in
    $AUTOGRADER_RESULT_FD and replaces '{result_fd}' in argv (results there cannot mix with
    the student's prints; student code in the same process can still write there).
    `sandbox`: None = bubblewrap if available, else fall back with a warning;
    True = raise SandboxUnavailable rather than fall back; False = never.
    Never raises for anything the student code does.
    """
    channel_read = channel_write = None
    if result_channel:
        channel_read, channel_write = os.pipe()  # not inheritable: pass_fds gives it to this child only
        given = _child_argument(channel_write)
        env = {**(env or {}), RESULT_FD_ENV: given}
        argv = [given if arg == RESULT_FD_ARG else arg for arg in argv]
    try:
        launch = prepare(argv, workspace=workspace, limits=limits, readonly=readonly, env=env,
                         pass_fds=() if channel_write is None else (channel_write,), sandbox=sandbox)
    except BaseException:
        for fd in (channel_read, channel_write):
            if fd is not None:
                os.close(fd)
        raise
    workspace = Path(workspace).resolve()
    baseline = folder_usage(str(workspace), 1 << 30)
    started = time.monotonic()
    try:
        proc = subprocess.Popen(launch.argv, stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, **launch.popen)
    except BaseException:
        launch.abandon()
        if channel_read is not None:
            os.close(channel_read)
        raise
    finally:
        launch.spawned()
        if channel_write is not None:
            os.close(channel_write)

    tails = {'stdout': Tail(limits.output_bytes), 'stderr': Tail(limits.output_bytes),
             'channel': Tail(CHANNEL_BYTES)}
    info = Tail(1 << 16)
    readers = [drain(os.dup(proc.stdout.fileno()), tails['stdout']),
               drain(os.dup(proc.stderr.fileno()), tails['stderr'])]
    proc.stdout.close()
    proc.stderr.close()
    if channel_read is not None:
        readers.append(drain(channel_read, tails['channel']))
    info_reader = None if launch.info_fd is None else drain(launch.info_fd, info)
    if stdin is not None:
        threading.Thread(target=_feed, args=(proc.stdin, stdin), daemon=True).start()

    watchdog = Watchdog(proc.pid, limits, started, str(workspace), baseline)
    try:
        status, cpu = _wait(proc, watchdog)
    except BaseException:  # the grader is interrupted: take the student's processes along
        watchdog.kill(_('the grader stopped the run'))
        proc.wait()
        raise
    if not watchdog.reason:
        watchdog.check_disk()  # a last look: a fast filler may have ended between two walks
    cpu = max(cpu or 0.0, watchdog.cpu_seconds)
    if info_reader is not None:
        _await_sandbox_end(info, info_reader)
    for reader in readers:
        reader.join(timeout=1.0)  # without bwrap a daemonised grandchild may hold the pipes
    wall = time.monotonic() - started

    returncode, signal = _decode(status, launch.sandboxed)
    stdout, stderr = tails['stdout'].output(), tails['stderr'].output()
    return RunResult(
        returncode=returncode, signal=signal, stdout=stdout, stderr=stderr,
        channel=tails['channel'].output() if result_channel else None,
        timed_out=watchdog.timed_out, wall_seconds=wall, cpu_seconds=cpu,
        sandboxed=launch.sandboxed,
        reason=explain(returncode, signal, watchdog.reason, stderr, limits, cpu),
        warning=launch.warning)


def _child_argument(fd: int) -> str:
    """How the child names the channel: its descriptor; on Windows, which has no pass_fds,
    the pipe's handle made inheritable (the child opens it with msvcrt.open_osfhandle)."""
    if os.name == 'nt':  # pragma: no cover - Windows
        import msvcrt
        handle = msvcrt.get_osfhandle(fd)
        os.set_handle_inheritable(handle, True)
        return str(handle)
    return str(fd)


def _feed(pipe, data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.close()
    except OSError:
        pass


def _wait(proc: subprocess.Popen, watchdog: Watchdog) -> tuple[int, float | None]:
    """Reap the command while the watchdog looks on; (raw status, CPU seconds of the tree)."""
    if not hasattr(os, 'wait4'):  # pragma: no cover - Windows
        while True:
            try:
                return proc.wait(timeout=0.1), None
            except subprocess.TimeoutExpired:
                watchdog.check()
    pidfd = os.pidfd_open(proc.pid) if hasattr(os, 'pidfd_open') else None
    delay = 0.001
    try:
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                proc.returncode = os.waitstatus_to_exitcode(status)
                return status, usage.ru_utime + usage.ru_stime
            watchdog.check()
            if pidfd is not None:
                select.select([pidfd], [], [], 0.1)
            else:
                time.sleep(delay)
                delay = min(2 * delay, 0.05)
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _await_sandbox_end(info: Tail, reader: threading.Thread) -> None:
    """bwrap has exited; wait until its init (and so every sandboxed process) is gone too."""
    reader.join(timeout=5.0)  # ends when bwrap's --info-fd closes
    try:
        child = json.loads(info.output().tail.decode())['child-pid']
    except (ValueError, KeyError, UnicodeDecodeError):
        return  # bwrap failed before it started the sandbox
    wait_gone(int(child), timeout=5.0)


def _decode(status: int, sandboxed: bool) -> tuple[int, int | None]:
    """(returncode, signal). bwrap reports a signal death of the command as exit 128 + N."""
    if hasattr(os, 'WIFSIGNALED') and os.WIFSIGNALED(status):
        return -os.WTERMSIG(status), os.WTERMSIG(status)
    code = os.waitstatus_to_exitcode(status) if hasattr(os, 'WIFSIGNALED') else status
    if sandboxed and 128 < code < 128 + 65:
        return -(code - 128), code - 128
    return code, None


def explain(returncode: int, signal: int | None, watchdog: str | None, stderr: Output,
            limits: Limits, cpu: float) -> str | None:
    """A reason a person understands, or None for a normal exit 0."""
    if watchdog:
        return watchdog
    if signal is not None:
        name = _signal_name(signal)
        if signal == getattr(signals, 'SIGXCPU', None) or (
                signal == getattr(signals, 'SIGKILL', None) and cpu >= limits.cpu_seconds - 0.05):
            return _('CPU time limit of {cpu_seconds} s exceeded (killed by {name})').format(
                       cpu_seconds=f'{limits.cpu_seconds:g}', name=name)
        if signal == getattr(signals, 'SIGSEGV', None):
            return _('segmentation fault ({name}); also what a C stack overflow looks like').format(name=name)
        if signal == getattr(signals, 'SIGXFSZ', None):
            return _('file size limit of {file_size_mb} MB exceeded ({name})').format(
                       file_size_mb=limits.file_size_mb, name=name)
        return _('killed by signal {signal} ({name})').format(signal=signal, name=name)
    if returncode == 0:
        return None
    last = stderr.tail[-4096:]
    if b'MemoryError' in last:
        return _('memory limit of {memory_mb} MB reached (MemoryError), exit code {returncode}').format(
                   memory_mb=limits.memory_mb, returncode=returncode)
    if b'File too large' in last:
        return _('file size limit of {file_size_mb} MB reached (File too large), exit code {returncode}').format(
                   file_size_mb=limits.file_size_mb, returncode=returncode)
    if b'No space left on device' in last:
        return (_('disk limit reached: the workspace holds {disk_mb} MB, the private /tmp and home {file_size_mb} '
                   'MB each (No space left on device), exit code {returncode}').format(
                    disk_mb=limits.disk_mb, file_size_mb=limits.file_size_mb, returncode=returncode))
    if returncode == 1 and stderr.tail.startswith((b'bwrap: ', b'prlimit: ')):
        line = stderr.tail.split(b'\n')[0].decode(errors='replace')
        return _('the sandbox failed to start the command: {line}').format(line=line)
    return _('exited with code {returncode}').format(returncode=returncode)


def _signal_name(number: int) -> str:
    try:
        return signals.Signals(number).name
    except ValueError:
        return _('signal {number}').format(number=number)

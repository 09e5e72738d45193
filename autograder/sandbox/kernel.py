"""An ipykernel inside the sandbox that nbclient drives like any other kernel.

The sandbox has no network, so kernel and client talk over ZMQ's `ipc` transport: socket
files in a private folder bound into the sandbox at the same path. Interrupts go as
messages (`interrupt_mode: message`): SIGINT to the process group would hit bwrap and kill
the sandbox. The limits hold for the kernel's whole life (CPU time, wall clock: the whole
notebook), and its raw stdout/stderr (fd 1/2, not the cells' output) are kept as tails.

    with SandboxedKernelManager(workspace=ws, limits=limits) as km:
        NotebookClient(nb, km=km, timeout=60).execute()
    km.exit_reason  # e.g. 'wall-clock limit of 600 s exceeded; process tree killed'
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import zmq
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from .host import hand_over, work_root
from .command import Launch, prepare
from .limits import DEFAULT, Limits
from .output import Output, Tail, drain
from .process import _await_sandbox_end, _decode, explain
from .watch import Watchdog, folder_usage

KERNEL_ARGV = ['python', '-m', 'ipykernel_launcher', '-f', '{connection_file}']
MAX_MESSAGE_BYTES = 128 << 20  # a bigger message breaks the output channel instead of the grader


class SandboxedKernelManager(AsyncKernelManager):
    """AsyncKernelManager whose kernel runs in the sandbox (or the fallback, with a warning).

    Pass it to nbclient as `NotebookClient(nb, km=km)`; nbclient then leaves shutdown to
    the owner: use it as a (sync or async) context manager, or call close() / aclose().
    """

    def __init__(self, *, workspace: Path, limits: Limits = DEFAULT, readonly: Sequence[Path] = (),
                 env: Mapping[str, str | None] | None = None, sandbox: bool | None = None,
                 kernel_argv: Sequence[str] = KERNEL_ARGV, **kwargs: Any) -> None:
        kwargs.setdefault('kernel_name', 'python3')
        super().__init__(transport='ipc', **kwargs)
        self.workspace = Path(workspace).resolve()
        self.limits = limits
        self.sandbox_env = {'MPLBACKEND': None, **(env or {})}  # ipykernel picks the inline backend
        self.sandbox = sandbox
        # 'python' = the sandbox interpreter; scripts are bound read-only. A script of the
        # command that is a read-only file is bound from a private copy, so the sandbox sees
        # that one file, not the folders of the grader's sources it lives in.
        self.scripts_dir = Path(tempfile.mkdtemp(prefix='kernel-scripts-', dir=work_root()))
        self.scripts_dir.chmod(0o755)
        files = {str(Path(p).resolve()) for p in readonly if Path(p).is_file()}
        scripts = {arg for arg in map(str, kernel_argv) if os.path.isabs(arg) and str(Path(arg).resolve()) in files}
        self.kernel_argv = [self._private_copy(arg) if arg in scripts else arg for arg in map(str, kernel_argv)]
        copied = {str(Path(arg).resolve()) for arg in scripts}
        self.readonly = (*(Path(p) for p in readonly if str(Path(p).resolve()) not in copied),
                         *((self.scripts_dir,) if scripts else ()))
        self.ipc_dir = Path(tempfile.mkdtemp(prefix='kernel-', dir=work_root()))
        hand_over(self.ipc_dir)
        self.ip = str(self.ipc_dir / 'k')
        self.connection_file = str(self.ipc_dir / 'connection.json')
        self.sandboxed: bool | None = None
        self.warning = ''
        self.watchdog: Watchdog | None = None
        self._launch: Launch | None = None
        self._process: subprocess.Popen | None = None
        self._tails = {'stdout': Tail(limits.output_bytes), 'stderr': Tail(limits.output_bytes)}
        self._info: tuple[Tail, Any] | None = None
        self._end: str | None = None
        self._closed = False

    def _private_copy(self, path: str) -> str:
        target = self.scripts_dir / Path(path).name
        shutil.copyfile(path, target)
        target.chmod(0o644)
        return str(target)

    def client(self, **kwargs: Any) -> Any:
        """A client whose sockets refuse single messages above MAX_MESSAGE_BYTES: one
        `print(huge)` must not land in the grader's memory."""
        client = super().client(**kwargs)
        client.context.setsockopt(zmq.MAXMSGSIZE, max(MAX_MESSAGE_BYTES, 2 * self.limits.output_bytes))
        return client

    @property
    def kernel_spec(self) -> KernelSpec:
        return KernelSpec(argv=list(self.kernel_argv), display_name='Python 3 (sandboxed)', language='python',
                          interrupt_mode='message', env={}, metadata={})

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """The kernel command wrapped in the sandbox (called after the connection file exists)."""
        cmd = super().format_kernel_cmd(extra_arguments)
        cmd[0] = self.kernel_argv[0]  # the base class puts the grader's interpreter for 'python'
        hand_over(self.ipc_dir)  # the connection file, written 0600 by the grader
        self._launch = prepare(cmd, workspace=self.workspace, limits=self.limits, readonly=self.readonly,
                               writable=[self.ipc_dir], env=self.sandbox_env, sandbox=self.sandbox)
        self.sandboxed, self.warning = self._launch.sandboxed, self._launch.warning
        return self._launch.argv

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        launch = self._launch
        assert launch is not None, 'format_kernel_cmd() prepares the launch'
        kw = {k: v for k, v in kw.items() if k not in ('env', 'cwd')}  # nbclient's cwd: ours wins
        # independent: no JPY_PARENT_PID, whose poller would see bwrap's init as parent and quit
        # (bwrap --die-with-parent does that job in the sandbox)
        kw.update(launch.popen, stdout=subprocess.PIPE, stderr=subprocess.PIPE, independent=launch.sandboxed)
        baseline = folder_usage(str(self.workspace), 1 << 30)
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        except BaseException:
            launch.abandon()
            raise
        finally:
            launch.spawned()
        proc = self.provisioner.process
        self._process = proc
        for name in ('stdout', 'stderr'):
            drain(os.dup(getattr(proc, name).fileno()), self._tails[name])
        if launch.info_fd is not None:
            info = Tail(1 << 16)
            self._info = (info, drain(launch.info_fd, info))
            launch.info_fd = None
        self.watchdog = Watchdog(proc.pid, self.limits, workspace=str(self.workspace), baseline=baseline)
        self.watchdog.watch(exited=lambda: proc.poll() is not None)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        if self.watchdog is not None:
            self.watchdog.stop()
        if self._info is not None:
            _await_sandbox_end(*self._info)
            self._info = None
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self.ipc_dir, ignore_errors=True)
            shutil.rmtree(self.scripts_dir, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources  # async, as in AsyncKernelManager

    async def _async_shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        self._note_end()  # before shutting_down hides a death of the kernel's own
        await super()._async_shutdown_kernel(now=now, restart=restart)

    shutdown_kernel = _async_shutdown_kernel

    @property
    def stdout(self) -> Output:
        """The kernel process's own stdout (fd 1), not the cells' outputs."""
        return self._tails['stdout'].output()

    @property
    def stderr(self) -> Output:
        return self._tails['stderr'].output()

    @property
    def exit_reason(self) -> str | None:
        """Why the kernel died, if it died by itself or by a limit; None while it runs and
        after a normal shutdown."""
        if self.watchdog is not None and self.watchdog.reason:
            return self.watchdog.reason
        if not self.shutting_down:
            self._note_end()
        return self._end

    def _note_end(self) -> None:
        proc = self._process
        if self._end is not None or proc is None or proc.poll() is None:
            return
        status = proc.returncode
        returncode, signal = (status, -status) if status < 0 else _decode(status << 8, bool(self.sandboxed))
        cpu = self.watchdog.cpu_seconds if self.watchdog else 0.0
        self._end = explain(returncode, signal, None, self.stderr, self.limits, cpu) or 'the kernel exited'

    async def aclose(self) -> None:
        """Kill the kernel (if any), wait until the sandbox is gone, remove the ipc folder."""
        if self._closed:
            return
        self._closed = True
        if self.has_kernel:
            await self._async_shutdown_kernel(now=True)
        else:
            await self._async_cleanup_resources()

    close = run_sync(aclose)

    def __enter__(self) -> SandboxedKernelManager:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> SandboxedKernelManager:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

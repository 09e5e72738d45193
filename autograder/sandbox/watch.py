"""Watchdog for what rlimits cannot bound: wall clock, the whole tree's memory, the disk.

RLIMIT_AS holds per process, so `processes` forks could together take processes x memory_mb
on a machine without swap, and RLIMIT_FSIZE per file, so many files could fill the disk. The
watchdog samples the tree's resident memory and the workspace's size a few times a second and
kills the tree (its session; bwrap's pid namespace takes the rest) on excess.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable

from ..i18n import _
from .limits import MIB, Limits

PAGE = os.sysconf('SC_PAGE_SIZE') if hasattr(os, 'sysconf') else 4096
TICKS = os.sysconf('SC_CLK_TCK') if hasattr(os, 'sysconf') else 100
MEMORY_EVERY = 0.1  # seconds between memory samples
DISK_EVERY = 0.1    # seconds between workspace walks (at least 10x the last walk's cost)
MAX_NEW_FILES = 10_000  # beyond this the walk itself would get expensive


def descendants(pid: int) -> list[int]:
    """Child processes, recursively, via /proc/<pid>/task/<tid>/children (Linux; else [])."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f'/proc/{parent}/task')
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f'/proc/{parent}/task/{tid}/children') as handle:
                    kids = [int(k) for k in handle.read().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def tree_usage(pid: int) -> tuple[int, float]:
    """(resident bytes, CPU seconds) of `pid` and its descendants, from /proc/<pid>/stat.
    Shared pages count once per process; CPU includes the children each has reaped."""
    rss = ticks = 0
    for member in (pid, *descendants(pid)):
        try:
            with open(f'/proc/{member}/stat') as handle:
                fields = handle.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        ticks += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
        rss += int(fields[21]) * PAGE
    return rss, ticks / TICKS


def folder_usage(path: str, max_entries: int) -> tuple[int, int]:
    """(bytes allocated, entries) under `path`, not following links; stops after `max_entries`."""
    used = count = 0
    todo = [path]
    while todo and count <= max_entries:
        try:
            with os.scandir(todo.pop()) as entries:
                for entry in entries:
                    count += 1
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    used += getattr(info, 'st_blocks', 0) * 512 or info.st_size
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(entry.path)
        except OSError:
            continue
    return used, count


def alive(pid: int, name: str | None = None) -> bool:
    """Whether `pid` runs (a zombie counts as gone), and is called `name` if given."""
    try:
        with open(f'/proc/{pid}/stat') as handle:
            comm, rest = handle.read().split(' (', 1)[1].rsplit(')', 1)
    except (OSError, IndexError, ValueError):
        return False
    return rest.split()[0] != 'Z' and (name is None or comm == name)


def wait_gone(pid: int, timeout: float, name: str = 'bwrap') -> bool:
    """Wait until bwrap's sandbox init `pid` has ended, which it does only after every process
    of its pid namespace is dead (the kernel kills them when it dies). Never kills: once
    reaped, the pid may belong to someone else (hence also the name check)."""
    deadline = time.monotonic() + timeout
    while alive(pid, name):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def _kill(pid: int, group: bool = False) -> None:
    try:
        (os.killpg if group else os.kill)(pid, getattr(signal, 'SIGKILL', signal.SIGTERM))
    except (ProcessLookupError, PermissionError, OSError):
        pass


class Watchdog:
    """Kills the process tree of `pid` (a session leader) when a limit is exceeded."""

    def __init__(self, pid: int, limits: Limits, started: float | None = None,
                 workspace: str | None = None, baseline: tuple[int, int] = (0, 0)) -> None:
        self.pid = pid
        self.workspace = workspace
        self.baseline = baseline  # folder_usage(workspace) before the run
        self.limits = limits
        self.started = time.monotonic() if started is None else started
        self.reason: str | None = None
        self.timed_out = False
        self.cpu_seconds = 0.0  # largest CPU time of the tree seen so far
        self._next_sample = self._next_walk = 0.0
        self._stop = threading.Event()

    def check(self) -> str | None:
        """One look at the tree; returns the reason once it has been killed."""
        if self.reason:
            return self.reason
        now = time.monotonic()
        if now - self.started > self.limits.wall_seconds:
            self.timed_out = True
            self.kill(_('wall-clock limit of {wall_seconds} s exceeded; process tree killed').format(
                          wall_seconds=f'{self.limits.wall_seconds:g}'))
        elif now >= self._next_sample:
            self._next_sample = now + MEMORY_EVERY
            rss, cpu = tree_usage(self.pid)
            self.cpu_seconds = max(self.cpu_seconds, cpu)
            if rss > self.limits.memory_mb * MIB:
                self.kill(_('memory limit of {memory_mb} MB exceeded by the processes together ({rss} MB resident);'
                             ' process tree killed').format(
                              memory_mb=self.limits.memory_mb, rss=rss // MIB))
        if not self.reason and self.workspace and now >= self._next_walk:
            self.check_disk()
            self._next_walk = now + max(DISK_EVERY, 10 * (time.monotonic() - now))
        return self.reason

    def check_disk(self) -> None:
        used, count = folder_usage(self.workspace, self.baseline[1] + MAX_NEW_FILES)
        if count > self.baseline[1] + MAX_NEW_FILES:
            self.kill(_('more than {max_new_files} new files in the workspace; process tree killed').format(
                          max_new_files=MAX_NEW_FILES))
        elif used - self.baseline[0] > self.limits.disk_mb * MIB:
            self.kill(_('disk limit of {disk_mb} MB exceeded (the workspace grew by {used} MB); process tree killed').format(
                          disk_mb=self.limits.disk_mb, used=(used - self.baseline[0]) // MIB))

    def kill(self, reason: str) -> None:
        self.reason = self.reason or reason
        tree = descendants(self.pid)
        if hasattr(os, 'killpg'):
            _kill(self.pid, group=True)
        _kill(self.pid)
        for pid in tree:  # those that left the session (only possible without bwrap)
            _kill(pid)

    def watch(self, exited: Callable[[], bool], interval: float = 0.1) -> threading.Thread:
        """Check on a daemon thread until `exited()` or stop() (for kernels, which outlive a call)."""
        def loop() -> None:
            while not self._stop.wait(interval) and not exited():
                if self.check():
                    return
        thread = threading.Thread(target=loop, name=f'sandbox-watchdog-{self.pid}', daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()

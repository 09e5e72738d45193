"""Reading what student code left in its workspace, which is hostile ground for the grader.

Student code owns the workspace: a result file may be a symbolic link to the grader's expected
values or to /etc/shadow, a FIFO that blocks the reader forever, or gigabytes long. The
grader runs with more rights than the student, so it must never follow a link there, never
write there (a link would redirect the write), and bound what it reads.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .host import SandboxError


def read_workspace_file(workspace: Path, relative: str, max_bytes: int) -> bytes:
    """The content of a regular file inside `workspace`, refusing links, special files, and
    files larger than `max_bytes`. Call it only after the run has ended (nothing may change
    the workspace between the checks and the read)."""
    root = Path(workspace).resolve()
    path = root / relative
    if Path(os.path.realpath(path)) != path or not path.is_relative_to(root):
        raise SandboxError(f'{relative}: a link or outside the workspace')
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, 'O_CLOEXEC', 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SandboxError(f'{relative}: not a regular file')
        if info.st_size > max_bytes:
            raise SandboxError(f'{relative}: {info.st_size} bytes, more than {max_bytes}')
        with os.fdopen(fd, 'rb', closefd=False) as handle:
            return handle.read(max_bytes + 1)[:max_bytes]
    finally:
        os.close(fd)

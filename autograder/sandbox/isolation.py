"""How grading runs student code: the sandbox with the assignment's limits.

One object per grading session, so the decision (bubblewrap, or the fallback with its
warning) and the limits are made in one place: the probe process and the notebook kernel
both get them from here.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import Limits, is_available, make_workspace, sandbox_python
from .host import hand_over, unsandboxed_warning

if TYPE_CHECKING:
    from ..settings import Profile, Settings

__all__ = ['Isolation', 'isolation_for_grading']


@dataclass
class Isolation:
    sandbox: bool | None = None        # None: bubblewrap when available; False: never
    sandboxed: bool = field(init=False)
    reason: str = field(init=False)    # why not sandboxed ('' when sandboxed)

    def __post_init__(self) -> None:
        available, why = is_available()
        self.sandboxed = available and self.sandbox is not False
        self.reason = '' if self.sandboxed else (why or 'switched off (--no-sandbox)')

    @property
    def kernel_python(self) -> str:
        """The interpreter student code runs with (the machine calibration runs it too)."""
        return sandbox_python()

    def base_limits(self, settings: Settings) -> Limits:
        return Limits.from_settings(settings.sandbox, ignore=('probe_seconds',))

    def probe_limits(self, settings: Settings) -> Limits:
        seconds = float(settings.sandbox.get('probe_seconds', 120))
        return self.base_limits(settings).replace(wall_seconds=seconds, cpu_seconds=seconds)

    def kernel_limits(self, settings: Settings, profile: Profile) -> Limits:
        seconds = profile.run_timeout_minutes * 60 + 300     # startup, the grader's cell, shutdown
        return self.base_limits(settings).replace(wall_seconds=seconds, cpu_seconds=seconds)

    def workspace(self, source: Path | None = None) -> Path:
        """A fresh folder the sandbox user owns (a copy of `source`, when given)."""
        path = make_workspace()
        if source is not None:
            shutil.copytree(source, path, symlinks=True, dirs_exist_ok=True)
            hand_over(path)
        return path

    def describe(self) -> dict:
        return {'sandboxed': self.sandboxed, 'reason': self.reason, 'python': self.kernel_python}


def isolation_for_grading(*, sandbox: bool | None = None, warn: Callable[[str], None] | None = None) -> Isolation:
    isolation = Isolation(sandbox)
    if not isolation.sandboxed and warn is not None:
        warn(unsandboxed_warning(isolation.reason))
    return isolation

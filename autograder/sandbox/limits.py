"""Per-submission resource limits; the assignment settings provide the values."""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What one run of student code may use.

    memory_mb     address space of each process (RLIMIT_AS), and the resident memory of the
                  whole process tree together (checked by the watchdog: rlimits are per process)
    processes     processes and threads in the sandbox (RLIMIT_NPROC, counted per sandbox)
    file_size_mb  largest file written (RLIMIT_FSIZE); also the size of each private tmpfs
                  (/tmp, home, /dev/shm), which lives in memory
    disk_mb       how much the workspace may grow in all (watchdog: RLIMIT_FSIZE is per file,
                  so many files could still fill the disk)
    open_files    file descriptors per process (RLIMIT_NOFILE)
    cpu_seconds   CPU time per process (RLIMIT_CPU: SIGXCPU, SIGKILL a second later)
    wall_seconds  wall clock of the whole run; then the whole process tree is killed
    output_bytes  kept of stdout and of stderr each; beyond that only the tail is kept
    """

    memory_mb: int = 1024
    processes: int = 64
    file_size_mb: int = 64
    disk_mb: int = 256
    open_files: int = 256
    cpu_seconds: float = 300.0
    wall_seconds: float = 600.0
    output_bytes: int = 1 * MIB

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f'Limits.{field.name} must be a positive number, not {value!r}')

    def replace(self, **changes: Any) -> Limits:
        """A copy with some values changed (`limits.replace(wall_seconds=30)`)."""
        return dataclasses.replace(self, **changes)

    def scaled(self, factor: float) -> Limits:
        """Time limits multiplied by `factor`, e.g. for a slower machine or a debug run."""
        return self.replace(cpu_seconds=self.cpu_seconds * factor, wall_seconds=self.wall_seconds * factor)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], base: Limits | None = None,
                      ignore: Iterable[str] = ()) -> Limits:
        """Limits from an assignment's [sandbox] table. `output_mb` may stand for output_bytes;
        keys in `ignore` are skipped (e.g. 'probe_seconds', which the caller maps to
        wall_seconds); other unknown keys are errors, since a typo must not silently leave a
        limit at its default. Missing or None values keep `base`'s (default: the defaults)."""
        values = {k: v for k, v in settings.items() if k not in set(ignore) and v is not None}
        if 'output_mb' in values:
            values['output_bytes'] = int(values.pop('output_mb') * MIB)
        names = {field.name for field in dataclasses.fields(cls)}
        unknown = set(values) - names
        if unknown:
            raise ValueError(f'unknown limit(s) {sorted(unknown)}; known: {sorted(names)}')
        return dataclasses.replace(base or cls(), **values)

    def rlimits(self) -> dict[str, tuple[int, int]]:
        """(soft, hard) per resource, named like prlimit's options and RLIMIT_<NAME>.
        Core dumps are off: a crashing submission must not write a core file."""
        cpu = math.ceil(self.cpu_seconds)
        return {
            'as': (self.memory_mb * MIB,) * 2,
            'nproc': (self.processes,) * 2,
            'fsize': (self.file_size_mb * MIB,) * 2,
            'nofile': (self.open_files,) * 2,
            'cpu': (cpu, cpu + 1),
            'core': (0, 0),
        }


DEFAULT = Limits()
"""The limits of a sandboxed process when nobody says otherwise (a frozen instance, shared)."""

"""Zip archives as tests need them, byte for byte under the test's control."""
from __future__ import annotations

import zipfile
from pathlib import Path

__all__ = ['make_zip', 'write_zip']


def make_zip(path: Path, members: dict, *, compression=zipfile.ZIP_DEFLATED,
             date_time: tuple[int, ...] | None = None) -> Path:
    """members: name → bytes (or text), or name → (bytes, unix mode) for links and devices."""
    with zipfile.ZipFile(path, 'w', compression) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=date_time) if date_time else zipfile.ZipInfo(name)
            info.compress_type = compression
            if isinstance(data, tuple):
                data, mode = data
                info.create_system = 3
                info.external_attr = mode << 16
            archive.writestr(info, data)
    return path


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    """A hand-in zip with a fixed timestamp (the same files give the same bytes)."""
    return make_zip(path, files, date_time=(2024, 6, 23, 12, 0, 0))

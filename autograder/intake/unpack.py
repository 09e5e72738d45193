"""Copy a submission's files into a fresh folder without trusting the submission.

A zip or folder handed in by a student is untrusted input: member names may climb out of
the target folder (`../`, `/etc/…`, `C:\\…`), members may be symbolic links or device files,
and declared sizes may lie (zip bombs). Everything here only ever *creates* regular files and
folders under the target, checks every name before anything is written, and counts the bytes
actually written against the limits. Nothing is executed and the source is only read.

Leftovers of operating systems and editors (`__MACOSX/`, `.DS_Store`, `__pycache__/`, …) are
skipped and reported, so that the caller can say so.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _

__all__ = ['UnpackError', 'Limits', 'Budget', 'Report', 'Entry', 'JUNK_DIRS', 'is_junk',
           'member_name', 'safe_parts', 'open_zip', 'extract_zip', 'scan_tree', 'copy_entries',
           'copy_file', 'sha256_file', 'manifest_checksum']

CHUNK = 1 << 16
RATIO_FLOOR = 1 << 20      # smaller members cannot be bombs, whatever their ratio
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
JUNK_DIRS = frozenset({'__MACOSX', '.ipynb_checkpoints', '__pycache__', '.git', '.idea', '.vscode',
                       '.venv'})
JUNK_FILES = frozenset({'.DS_Store', 'Thumbs.db', 'desktop.ini'})
JUNK_SUFFIXES = ('.pyc', '.pyo')
_DRIVE = re.compile(r'^[A-Za-z]:')


class UnpackError(Exception):
    """The files cannot be copied safely; the message names the file and the reason."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_files: int
    max_ratio: float


@dataclass
class Budget:
    """What may still be written; shared by a zip and a zip inside it."""
    limits: Limits
    bytes_used: int = 0
    files_used: int = 0

    def check_declared(self, label: str, files: int, size: int) -> None:
        """Refuse before writing anything when the declared totals do not fit."""
        if self.files_used + files > self.limits.max_files:
            raise UnpackError(_("'{label}' holds {files} files; at most {max_files} files are accepted in a "
                                 "submission").format(
                                  label=label, files=files, max_files=self.limits.max_files))
        if self.bytes_used + size > self.limits.max_bytes:
            used = self.bytes_used
            if used:
                raise UnpackError(_("'{label}' unpacks to {size} on top of {used} unpacked before; at most {max_bytes} "
                                    'is accepted in a submission').format(
                    label=label, size=_size(size), used=_size(used), max_bytes=_size(self.limits.max_bytes)))
            raise UnpackError(_("'{label}' unpacks to {size}; at most {max_bytes} is accepted in a submission").format(
                label=label, size=_size(size), max_bytes=_size(self.limits.max_bytes)))

    def add_file(self, label: str, name: str) -> None:
        self.files_used += 1
        if self.files_used > self.limits.max_files:
            raise UnpackError(_("'{label}': more than {max_files} files (stopped at '{name}'); at most {max_files} "
                                 "are accepted").format(
                                  label=label, max_files=self.limits.max_files, name=name))

    def add_bytes(self, label: str, name: str, count: int) -> None:
        self.bytes_used += count
        if self.bytes_used > self.limits.max_bytes:
            raise UnpackError(_("'{label}': writing '{name}' went past {max_bytes}, the most a submission may hold").format(
                                  label=label, name=name, max_bytes=_size(self.limits.max_bytes)))


@dataclass
class Report:
    """What a copy wrote and what it left out (relative POSIX paths, in the order met)."""
    written: list[str] = field(default_factory=list)
    junk: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    special: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    def merge(self, other: Report, prefix: str = '') -> None:
        for name in ('written', 'junk', 'links', 'special', 'duplicates'):
            getattr(self, name).extend(prefix + item for item in getattr(other, name))


@dataclass(frozen=True)
class Entry:
    """A regular file found in a folder, by its path relative to that folder."""
    parts: tuple[str, ...]
    size: int

    @property
    def name(self) -> str:
        return '/'.join(self.parts)


def _size(count: int) -> str:
    return f'{count / 2**20:.1f} MiB' if count >= 2**20 else f'{count:,} bytes'


def is_junk(parts: tuple[str, ...] | list[str]) -> bool:
    """Operating-system and editor leftovers that are never part of the work."""
    if any(part in JUNK_DIRS for part in parts[:-1]):
        return True
    last = parts[-1]
    return (last in JUNK_DIRS or last in JUNK_FILES or last.startswith('._')
            or last.endswith(JUNK_SUFFIXES))


# ---------------------------------------------------------------------------------- zip files

def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; names without the UTF-8 flag that are valid UTF-8 are read as such.

    zipfile decodes flagless names as cp437 (never fails); many zip tools write UTF-8 without
    setting the flag, so a cp437 reading that re-encodes to valid UTF-8 is taken as UTF-8.
    """
    name = info.orig_filename
    if info.flag_bits & _UTF8_FLAG or name.isascii():
        return name
    try:
        return name.encode('cp437').decode('utf-8')
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


def safe_parts(label: str, name: str) -> tuple[str, ...]:
    """The member's path as parts under the target; refuses absolute paths and `..`."""
    unified = name.replace('\\', '/')
    if unified.startswith('/') or _DRIVE.match(unified):
        raise UnpackError(_("'{label}': member '{name}' has an absolute path; a submission may only hold paths "
                             "relative to its top folder").format(label=label, name=name))
    parts = tuple(p for p in unified.split('/') if p not in ('', '.'))
    if '..' in parts:
        raise UnpackError(_("'{label}': member '{name}' climbs out of the archive with '..'; a submission may only "
                             "hold paths inside its top folder").format(
                              label=label, name=name))
    return parts


def _member_is_dir(label: str, name: str, info: zipfile.ZipInfo) -> bool:
    """Whether the member is a folder; refuses links, devices and encrypted members."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        raise UnpackError(_("'{label}': member '{name}' is a symbolic link; a submission may only hold regular "
                             "files and folders").format(label=label, name=name))
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        raise UnpackError(_("'{label}': member '{name}' is a device or special file (mode {mode}); a submission may"
                             " only hold regular files and folders").format(
                              label=label, name=name, mode=f'{mode:o}'))
    if info.flag_bits & _ENCRYPTED_FLAG:
        raise UnpackError(_("'{label}': member '{name}' is password-protected; hand in a zip without a password").format(
                              label=label, name=name))
    return info.is_dir() or stat.S_ISDIR(mode)


def _check_ratio(label: str, name: str, size: int, compressed: int, limit: float) -> None:
    if size >= RATIO_FLOOR and size > limit * max(compressed, 1):
        raise UnpackError(_("'{label}': member '{name}' expands {size} times ({size2}); more than {limit} times "
                             "looks like a zip bomb and is refused").format(
                              label=label, name=name, size=f'{size / max(compressed, 1):.0f}', size2=_size(size), limit=f'{limit:.0f}'))


def _plan_zip(archive: zipfile.ZipFile, label: str, budget: Budget, report: Report
              ) -> tuple[list[tuple[str, ...]], dict[tuple[str, ...], zipfile.ZipInfo]]:
    """Check every member before anything is written; later duplicates win, as in unzip."""
    folders: list[tuple[str, ...]] = []
    files: dict[tuple[str, ...], zipfile.ZipInfo] = {}
    for info in archive.infolist():
        name = member_name(info)
        parts = safe_parts(label, name)
        is_dir = _member_is_dir(label, name, info)
        if not parts:
            continue
        if is_junk(parts):
            report.junk.append('/'.join(parts) + ('/' if is_dir else ''))
        elif is_dir:
            folders.append(parts)
        else:
            _check_ratio(label, name, info.file_size, info.compress_size, budget.limits.max_ratio)
            if parts in files:
                report.duplicates.append('/'.join(parts))
            files[parts] = info
    budget.check_declared(label, len(files), sum(i.file_size for i in files.values()))
    return folders, files


def _target(root: Path, parts: tuple[str, ...]) -> Path:
    target = root.joinpath(*parts)
    if os.path.commonpath([root, target]) != str(root):   # unreachable after safe_parts
        raise UnpackError(_("'{parts}' would land outside the workspace").format(parts='/'.join(parts)))
    return target


def _extract_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, label: str,
                    name: str, budget: Budget) -> None:
    """Stream one member, counting the bytes really written (declared sizes can lie)."""
    written = 0
    limit = budget.limits.max_ratio
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as src, open(target, 'xb') as dst:
            while chunk := src.read(CHUNK):
                written += len(chunk)
                budget.add_bytes(label, name, len(chunk))
                _check_ratio(label, name, written, info.compress_size, limit)
                dst.write(chunk)
    except UnpackError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise UnpackError(_("'{label}': member '{name}' is damaged ({exc}); re-create the zip and hand it in again").format(
                              label=label, name=name, exc=exc)) from exc
    except NotImplementedError as exc:
        raise UnpackError(_("'{label}': member '{name}' uses a compression method that cannot be read ({exc}); "
                             "re-create it as an ordinary zip (deflate)").format(
                              label=label, name=name, exc=exc)) from exc
    except (FileExistsError, NotADirectoryError, IsADirectoryError) as exc:
        raise UnpackError(_("'{label}': member '{name}' clashes with another member: the same path is both a file "
                             "and a folder").format(label=label, name=name)) from exc
    except (RuntimeError, OSError) as exc:
        raise UnpackError(_("'{label}': member '{name}' cannot be unpacked ({exc})").format(
                              label=label, name=name, exc=exc)) from exc


def open_zip(path: Path, label: str) -> zipfile.ZipFile:
    """Open a zip, turning every way it can be unreadable into an UnpackError."""
    try:
        return zipfile.ZipFile(path)
    except UnicodeDecodeError as exc:
        raise UnpackError(_("'{label}': the zip says its member names are UTF-8 but they are not; re-create the zip"
                             " with another tool").format(label=label)) from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise UnpackError(_("'{label}' cannot be read as a zip archive ({exc}); hand in an ordinary .zip file").format(
                              label=label, exc=exc)) from exc


def extract_zip(path: Path, root: Path, budget: Budget, label: str | None = None) -> Report:
    """Unpack `path` into the existing folder `root` after checking every member."""
    label = label or path.name
    report = Report()
    with open_zip(path, label) as archive:
        folders, files = _plan_zip(archive, label, budget, report)
        for parts in folders:
            _target(root, parts).mkdir(parents=True, exist_ok=True)
        for parts, info in files.items():
            name = '/'.join(parts)
            budget.add_file(label, name)
            _extract_member(archive, info, _target(root, parts), label, name, budget)
            report.written.append(name)
    return report


# ------------------------------------------------------------------------------------ folders

def scan_tree(source: Path, limits: Limits, report: Report) -> list[Entry]:
    """The regular files under `source` (sorted, links not followed), within the limits.

    Only `lstat` is used here, so that nothing is read before the totals are known to fit.
    """
    entries: list[Entry] = []
    total = 0
    stack: list[tuple[str, ...]] = [()]
    while stack:
        prefix = stack.pop()
        children = _listing(source, prefix)
        subfolders = []
        for child in children:
            parts = (*prefix, child.name)
            name = '/'.join(parts)
            if is_junk(parts):
                report.junk.append(name + ('/' if child.is_dir(follow_symlinks=False) else ''))
            elif child.is_symlink():
                report.links.append(name)
            elif child.is_dir(follow_symlinks=False):
                subfolders.append(parts)
            elif child.is_file(follow_symlinks=False):
                size = child.stat(follow_symlinks=False).st_size
                entries.append(Entry(parts, size))
                total += size
                if len(entries) > limits.max_files:
                    raise UnpackError(_("folder '{name}' holds more than {max_files} files; at most {max_files} are"
                                         " accepted").format(
                                          name=source.name, max_files=limits.max_files))
                if total > limits.max_bytes:
                    raise UnpackError(_("folder '{name}' holds more than {max_bytes}, the most a submission may "
                                         "hold").format(
                                          name=source.name, max_bytes=_size(limits.max_bytes)))
            else:
                report.special.append(name)
        stack.extend(reversed(subfolders))
    return sorted(entries, key=lambda e: e.parts)


def _listing(source: Path, prefix: tuple[str, ...]) -> list[os.DirEntry]:
    folder = source.joinpath(*prefix)
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        raise UnpackError(_("folder '{name}': '{value}' cannot be listed ({exc})").format(
                              name=source.name, value='/'.join(prefix) or '.', exc=exc)) from exc


def _open_regular(path: Path) -> int | None:
    """A read descriptor for `path` if it is (still) a regular file, else None.

    O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a FIFO since the scan is neither
    followed nor waited on.
    """
    flags = os.O_RDONLY | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_NONBLOCK', 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return fd


def copy_file(source: Path, target: Path, budget: Budget, label: str) -> bool:
    """Copy one regular file (False if it is not one), counting the bytes written."""
    fd = _open_regular(source)
    if fd is None:
        return False
    name = source.name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(fd, 'rb') as src, open(target, 'xb') as dst:
            while chunk := src.read(CHUNK):
                budget.add_bytes(label, name, len(chunk))
                dst.write(chunk)
    except OSError as exc:
        raise UnpackError(_("'{label}': '{name}' cannot be copied ({exc})").format(label=label, name=name, exc=exc)) from exc
    return True


def copy_entries(source: Path, entries: list[Entry], root: Path, budget: Budget,
                 report: Report) -> None:
    """Copy the scanned files of `source` into the existing folder `root` (never moves)."""
    budget.check_declared(source.name, len(entries), sum(e.size for e in entries))
    for entry in entries:
        budget.add_file(source.name, entry.name)
        if copy_file(source.joinpath(*entry.parts), _target(root, entry.parts), budget,
                     f'{source.name}/{entry.name}'):
            report.written.append(entry.name)
        else:
            report.special.append(entry.name)


# ---------------------------------------------------------------------------------- checksums

def _sha256_handle(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    with open(path, 'rb') as handle:
        return _sha256_handle(handle)


def manifest_checksum(source: Path, entries: list[Entry]) -> str:
    """sha256 of the sorted lines `<relative path>\\t<sha256 of the file>` of a folder."""
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e.parts):
        fd = _open_regular(source.joinpath(*entry.parts))
        if fd is None:      # swapped for a link or a FIFO since the scan: left out of the copy too
            continue
        with os.fdopen(fd, 'rb') as handle:
            line = f'{entry.name}\t{_sha256_handle(handle)}\n'
        digest.update(line.encode('utf-8', 'surrogateescape'))
    return digest.hexdigest()



"""A batch's input: a folder of submissions or a Blackboard bulk download → attempts to grade.

Accepted inputs (INPUT is only ever read):

- a **folder** whose entries are one submission per student: a sub-folder, a zip or a single
  file, named after the student (`s1234567/`, `s1234567.zip`);
- a **Blackboard bulk download**, as its zip or already unpacked: every file is named
  `<assignment>_<user>_attempt_<YYYY-MM-DD-HH-MM-SS>_<original name>`, plus one receipt
  `<assignment>_<user>_attempt_<timestamp>.txt` per attempt. The files of one attempt (its
  zip, or its loose model.py / notebook / HTML, and the receipt) are staged together in a
  folder of their own under the output folder, which is what gets graded; intake strips the
  prefixes and reports the receipt, as for a single downloaded attempt;
- a **zip of a folder** of either kind (unpacked safely into the staging folder first).

A folder may mix both kinds. A student with several Blackboard attempts is graded on the
latest by default (`policy='first'` or `'all'` otherwise): the timestamps sort as text.

Each attempt carries the checksum intake would compute (sha256 of a file; for a folder, of
its manifest), which identifies what was handed in for the gradebook's resume.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..intake.blackboard import parse_blackboard_name
from ..intake.unpack import (Budget, Limits, Report, UnpackError, extract_zip, is_junk, manifest_checksum,
                      scan_tree, sha256_file)

__all__ = ['Attempt', 'Inbox', 'InboxError', 'read_inbox', 'POLICIES', 'safe_name']

POLICIES = ('latest', 'first', 'all')
SINGLE = ''            # the attempt of a hand-in without a Blackboard timestamp
# A bulk download holds every student's work: far beyond one submission's limits.
BULK_LIMITS = Limits(max_bytes=64 * 2**30, max_files=1_000_000, max_ratio=200.0)
FOLDER_LIMITS = Limits(max_bytes=2 * 2**30, max_files=100_000, max_ratio=200.0)


class InboxError(Exception):
    """INPUT cannot be read as a batch at all (it does not exist, or is not a folder or zip)."""


@dataclass(frozen=True)
class Attempt:
    student: str             # the Blackboard user name, else the entry's name without suffix
    attempt: str             # the Blackboard timestamp 'YYYY-MM-DD-HH-MM-SS'; '' for a single hand-in
    source: Path             # what is graded: a zip, folder, .py or .ipynb
    checksum: str            # sha256 of the file, or of the folder's manifest (as intake computes it)
    entries: tuple[str, ...] = ()   # the names in INPUT this attempt was made of

    @property
    def key(self) -> tuple[str, str]:
        return self.student, self.attempt

    @property
    def label(self) -> str:
        return f'{self.student} @ {self.attempt}' if self.attempt else self.student


@dataclass
class Inbox:
    attempts: list[Attempt]                 # the ones to grade (after the attempt policy)
    found: list[Attempt]                    # every attempt found
    ignored: list[str] = field(default_factory=list)    # entries left out, with the reason
    notes: list[str] = field(default_factory=list)

    def counted(self) -> dict[str, Attempt]:
        """Per student, the attempt that counts (the latest of the selected ones)."""
        best: dict[str, Attempt] = {}
        for attempt in self.attempts:
            if attempt.student not in best or attempt.attempt > best[attempt.student].attempt:
                best[attempt.student] = attempt
        return best


def safe_name(text: str) -> str:
    """A file-system-safe, stable folder name for a student or attempt."""
    cleaned = re.sub(r'[^A-Za-z0-9._-]+', '_', text).strip('._') or 'x'
    if cleaned != text or len(cleaned) > 80:
        cleaned = f'{cleaned[:60]}-{hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:8]}'
    return cleaned


def read_inbox(source: Path, staging: Path, *, policy: str = 'latest') -> Inbox:
    """The attempts in `source`; zips and Blackboard attempts are staged under `staging`."""
    if policy not in POLICIES:
        raise ValueError(f'attempt policy must be one of {", ".join(POLICIES)}, not {policy!r}')
    source = Path(source)
    if not source.exists():
        raise InboxError(f"'{source}' does not exist; expected a folder of submissions or a "
                         f"Blackboard bulk-download zip")
    staging = Path(staging)
    if source.is_dir():
        _refuse_inside(source, staging)
        found, ignored, notes = _read_folder(source, staging / 'attempts')
    elif source.is_file():
        root = _unpack_bulk(source, staging)
        found, ignored, notes = _read_folder(root, staging / 'attempts')
    else:
        raise InboxError(f"'{source}' is neither a folder nor a file")
    found.sort(key=lambda a: (a.student, a.attempt))
    return Inbox(_select(found, policy), found, ignored, notes)


# ---------------------------------------------------------------------------------- reading

def _refuse_inside(source: Path, staging: Path) -> None:
    src, out = source.resolve(), staging.resolve()
    if out == src or src in out.parents:
        raise InboxError(f"the output folder '{staging}' lies inside the input '{source}'; the input "
                         f"is never written to: choose an output folder elsewhere")


def _unpack_bulk(zip_path: Path, staging: Path) -> Path:
    """Unpack a bulk zip once (into `staging/unpacked-<sha>`); later runs reuse it."""
    checksum = sha256_file(zip_path)
    root = staging / f'unpacked-{checksum[:16]}'
    if root.is_dir():
        return _lift_single_folder(root)
    partial = staging / f'.unpacked-{checksum[:16]}.partial'
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        extract_zip(zip_path, partial, Budget(BULK_LIMITS), zip_path.name)
    except UnpackError as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise InboxError(f'the input could not be unpacked: {error}') from error
    partial.rename(root)
    return _lift_single_folder(root)


def _lift_single_folder(root: Path) -> Path:
    """A zip holding one folder (of submissions) is read from inside that folder."""
    children = [c for c in root.iterdir() if not is_junk((c.name,))]
    if len(children) == 1 and children[0].is_dir() and parse_blackboard_name(children[0].name) is None:
        inner = children[0]
        if any(parse_blackboard_name(c.name) for c in inner.iterdir()) or len(list(inner.iterdir())) > 1:
            return inner
    return root


def _read_folder(folder: Path, attempts_root: Path) -> tuple[list[Attempt], list[str], list[str]]:
    groups: dict[tuple[str, str], list[Path]] = defaultdict(list)
    plain: list[Path] = []
    ignored: list[str] = []
    notes: list[str] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if is_junk((entry.name,)) or entry.name.startswith('.'):
            ignored.append(f'{entry.name}: hidden or operating-system file')
            continue
        if entry.is_symlink():
            ignored.append(f'{entry.name}: a symbolic link (not followed)')
            continue
        if not (entry.is_file() or entry.is_dir()):
            ignored.append(f'{entry.name}: not a regular file or folder')
            continue
        name = parse_blackboard_name(entry.name)
        if name is not None and entry.is_file():
            groups[(name.user, name.attempt)].append(entry)
        else:
            plain.append(entry)
    found: list[Attempt] = []
    for (user, stamp), files in sorted(groups.items()):
        if all(parse_blackboard_name(f.name).is_receipt for f in files):
            # still an attempt: graded (and rejected), so that the student appears in the exports
            notes.append(f'{user} @ {stamp}: only the Blackboard receipt, no files handed in')
        found.append(_stage_blackboard(user, stamp, files, attempts_root))
    loose = [e.name for e in plain if e.is_file() and e.suffix.lower() in ('.ipynb', '.html')]
    if loose:
        notes.append(f"'{folder.name}' holds {', '.join(loose[:3])} at the top: it looks like one submission, "
                     f"not a class; every entry is graded as a student of its own (use `autograder grade` "
                     f"for a single submission)")
    seen: dict[str, str] = {a.student: a.entries[0] for a in found}
    for entry in plain:
        student = entry.name if entry.is_dir() else entry.stem
        if student in seen:
            notes.append(f"'{entry.name}' and '{seen[student]}' both name student {student!r}; "
                         f"'{entry.name}' is graded as {entry.name!r}")
            student = entry.name
        seen[student] = entry.name
        found.append(Attempt(student, SINGLE, entry, _checksum(entry), (entry.name,)))
    return found, ignored, notes


def _stage_blackboard(user: str, stamp: str, files: list[Path], attempts_root: Path) -> Attempt:
    """Copy one attempt's files into `attempts_root/<stamp>/<user>/` (reused when identical)."""
    target = attempts_root / stamp / safe_name(user)
    wanted = {f.name: f for f in files}
    if not (target.is_dir() and {p.name for p in target.iterdir()} == set(wanted)
            and all(_same_file(target / n, f) for n, f in wanted.items())):
        partial = target.with_name(target.name + '.partial')
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for name, path in wanted.items():
            shutil.copy2(path, partial / name)
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
    return Attempt(user, stamp, target, _checksum(target), tuple(sorted(wanted)))


def _same_file(copy: Path, original: Path) -> bool:
    a, b = copy.stat(), original.stat()
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def _checksum(path: Path) -> str:
    """What intake computes: sha256 of a file's bytes, or of a folder's manifest."""
    try:
        if path.is_dir():
            return manifest_checksum(path, scan_tree(path, FOLDER_LIMITS, Report()))
        return sha256_file(path)
    except (UnpackError, OSError) as error:
        # Unreadable or oversized: grading will say so; the checksum still changes with it.
        stat = os.lstat(path)
        return hashlib.sha256(f'unreadable:{path.name}:{stat.st_size}:{stat.st_mtime_ns}:{error}'
                              .encode('utf-8', 'surrogateescape')).hexdigest()


def _select(found: list[Attempt], policy: str) -> list[Attempt]:
    if policy == 'all':
        return list(found)
    by_student: dict[str, list[Attempt]] = defaultdict(list)
    for attempt in found:
        by_student[attempt.student].append(attempt)
    pick = max if policy == 'latest' else min
    return sorted((pick(attempts, key=lambda a: a.attempt) for attempts in by_student.values()),
                  key=lambda a: (a.student, a.attempt))

"""Intake, the first step of grading: a submission becomes a workspace the checks can rely on.

A submission arrives as a zip, a folder, or a single `model.py`/notebook, often renamed by
Blackboard's bulk download and often not quite in the shape the assignment asks for. Intake
copies it into a fresh folder (the original is only ever read; see `unpack` for the safety
rules), strips Blackboard's name prefixes, unpacks a zip inside the zip, lifts a submission
out of a single enclosing folder, and finds the module, the notebook and the HTML export even
when misnamed. Every such repair is recorded as a `Finding`, in words a student can act on,
so the report can say what was assumed. Nothing is executed: `.py` files are at most parsed.

The checksum identifies what was handed in: sha256 of the file's bytes for a zip or single
file; for a folder, sha256 of the sorted lines `<relative path>\t<sha256>` of the regular
files that were copied (links, special files and leftovers such as `.DS_Store` are not).
"""
from __future__ import annotations

import ast
import difflib
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from vlearning import model as _reference

from .blackboard import BlackboardName, parse_blackboard_name
from .unpack import (JUNK_DIRS, Budget, Limits, Report, UnpackError, copy_entries, copy_file,
                     extract_zip, manifest_checksum, scan_tree, sha256_file)

__all__ = ['SubmissionSpec', 'Finding', 'Workspace', 'IntakeError', 'intake',
           'BlackboardName', 'parse_blackboard_name']

NOTEBOOK_SUFFIXES = ('.ipynb',)
HTML_SUFFIXES = ('.html', '.htm')
DOCUMENT_SUFFIXES = ('.py', *NOTEBOOK_SUFFIXES, *HTML_SUFFIXES)
COURSE_MODULES = frozenset({'data.py'})    # handed out by the course, never the student's module
OTHER_ARCHIVES = {'.rar': 'a RAR archive', '.7z': 'a 7-Zip archive', '.tar': 'a tar archive',
                  '.gz': 'a gzip archive', '.tgz': 'a tar archive', '.bz2': 'a bzip2 archive',
                  '.xz': 'an xz archive'}
# Names a course module defines (the reference's); used only to rank misnamed candidates.
COURSE_NAMES = frozenset(_reference.__all__)


@dataclass(frozen=True)
class SubmissionSpec:            # filled from the assignment's settings file by the caller
    module_file: str = 'model.py'          # flat module
    package_name: str = 'vlearning'        # or a package folder with __init__.py
    notebook: str = 'Eindopdracht_v2324.2.ipynb'
    html_export: str = 'Eindopdracht_v2324.2.html'
    max_unpacked_bytes: int = 200 * 2**20
    max_files: int = 2000
    max_compression_ratio: float = 200.0   # zip-bomb guard per member

    @classmethod
    def from_settings(cls, settings) -> 'SubmissionSpec':
        """What an assignment's settings (autograder.settings.Settings) ask for."""
        return cls(module_file=settings.module_file, package_name=settings.package_name,
                   notebook=settings.notebook, html_export=settings.html_export,
                   max_unpacked_bytes=int(settings.max_unpacked_mb * 2 ** 20), max_files=settings.max_files)


@dataclass
class Finding:                   # something intake noticed and the report should say
    level: str                   # 'info' | 'warning' | 'error'
    code: str                    # stable id, e.g. 'notebook-renamed', 'nested-folder'
    message: str                 # plain language a student can act on, naming the file

    def __post_init__(self) -> None:
        # Undecodable file names (kept as surrogates by the OS layer) must not break a report.
        self.message = self.message.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')


@dataclass
class Workspace:
    root: Path                   # a fresh folder holding a COPY of the submission's files
    source: Path                 # the original path (never modified)
    checksum: str                # sha256 of the zip/file bytes, or of a folder's manifest
    module: Path | None          # root/'model.py' or root/'vlearning' after normalisation
    module_kind: str | None      # 'flat' | 'package' | None
    notebook: Path | None
    html: Path | None
    student: str | None          # from a Blackboard name, else None
    attempt: str | None          # the Blackboard timestamp 'YYYY-MM-DD-HH-MM-SS', else None
    findings: list[Finding]


class IntakeError(Exception):
    """The submission cannot be accepted at all; the message names the file and the reason."""


# ------------------------------------------------------------------------------------- intake

def intake(source: Path, workspace_root: Path, spec: SubmissionSpec) -> Workspace:
    """Copy a submission into a new folder under `workspace_root` and find its parts."""
    source, workspace_root = Path(source), Path(workspace_root)
    kind, findings = _source_kind(source, spec.module_file)
    name = parse_blackboard_name(source.name)
    limits = Limits(spec.max_unpacked_bytes, spec.max_files, spec.max_compression_ratio)
    report = Report()
    try:
        if kind == 'folder':
            _refuse_workspace_inside(source, workspace_root)
            entries = scan_tree(source, limits, report)
            checksum = manifest_checksum(source, entries)
        else:
            _refuse_oversized(source, limits)
            entries, checksum = [], sha256_file(source)
    except UnpackError as exc:
        raise IntakeError(str(exc)) from exc
    root = _new_workspace(workspace_root, _label(source, name), checksum)
    try:
        budget = Budget(limits)
        single = _materialise(source, kind, name, root, entries, budget, report)
        return _normalise(source, root, spec, budget, report, checksum, name, single, findings)
    except UnpackError as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise IntakeError(str(exc)) from exc
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise


def _normalise(source: Path, root: Path, spec: SubmissionSpec, budget: Budget, report: Report,
               checksum: str, name: BlackboardName | None, single: str | None,
               findings: list[Finding]) -> Workspace:
    """Repair the copy's shape step by step, then find its parts."""
    people = _strip_blackboard_names(root, findings)
    if _unpack_inner_zip(source, root, spec, budget, report, findings):
        people |= _strip_blackboard_names(root, findings)
    if _flatten_single_folder(root, spec, findings):
        people |= _strip_blackboard_names(root, findings)
    student, attempt = _who(source, name, people, findings)
    findings += _copy_findings(report)
    module, module_kind = _find_module(root, spec, single, findings)
    notebook = _find_document(root, spec.notebook, NOTEBOOK_SUFFIXES, 'notebook', findings)
    html = _find_document(root, spec.html_export, HTML_SUFFIXES, 'html', findings)
    _note_extras(root, findings, module if module_kind == 'package' else None)
    return Workspace(root, source, checksum, module, module_kind, notebook, html, student,
                     attempt, findings)


# ------------------------------------------------------------------------------- the source

def _source_kind(source: Path, module_file: str) -> tuple[str, list[Finding]]:
    """'zip' | 'folder' | 'module' | 'notebook', judged by the name (Blackboard keeps it)."""
    if source.is_dir():
        return 'folder', []
    if not source.exists():
        raise IntakeError(f"'{source}' does not exist; expected a .zip, a folder, a .py module "
                          f"or a .ipynb notebook")
    if not source.is_file():
        raise IntakeError(f"'{source.name}' is not a regular file; expected a .zip, a folder, "
                          f"a .py module or a .ipynb notebook")
    suffix = source.suffix.lower()
    kinds = {'.zip': 'zip', '.py': 'module', '.ipynb': 'notebook'}
    if suffix in kinds:
        return kinds[suffix], []
    if suffix in OTHER_ARCHIVES:
        raise IntakeError(f"'{source.name}' is {OTHER_ARCHIVES[suffix]}; only .zip archives are "
                          f"accepted — pack the files as a .zip and hand it in again")
    if zipfile.is_zipfile(source):
        return 'zip', [Finding('warning', 'zip-without-extension',
                               f"'{source.name}' has no .zip extension but is a zip archive; "
                               f"it was unpacked as one.")]
    raise IntakeError(f"'{source.name}' is a '{suffix or 'extension-less'}' file; expected a .zip, "
                      f"a folder, a .py module ('{module_file}') or a .ipynb "
                      f"notebook")


def _refuse_oversized(source: Path, limits: Limits) -> None:
    """A file larger than everything a submission may unpack to is not even read."""
    size = source.stat().st_size
    if size > limits.max_bytes:
        raise IntakeError(f"'{source.name}' is {size:,} bytes; a submission may hold at most "
                          f"{limits.max_bytes:,} bytes")


def _refuse_workspace_inside(source: Path, workspace_root: Path) -> None:
    """A workspace inside the source folder would modify the source (and copy itself)."""
    inside = workspace_root.resolve()
    if inside == source.resolve() or source.resolve() in inside.parents:
        raise ValueError(f"workspace root '{workspace_root}' lies inside the submission "
                         f"'{source}'; it must lie elsewhere so the submission stays untouched")


def _label(source: Path, name: BlackboardName | None) -> str:
    if name is not None:
        label = f'{name.user}_{name.attempt}'
    else:
        label = source.stem if source.is_file() else source.name
    return re.sub(r'[^A-Za-z0-9._-]+', '_', label).strip('._-')[:60] or 'submission'


def _new_workspace(workspace_root: Path, label: str, checksum: str) -> Path:
    """A folder that did not exist before: `<label>-<hash>`, then `-2`, `-3`, …"""
    workspace_root.mkdir(parents=True, exist_ok=True)
    base = f'{label}-{checksum[:8]}'
    for number in range(1, 10_000):
        root = workspace_root / (base if number == 1 else f'{base}-{number}')
        try:
            root.mkdir()
        except FileExistsError:
            continue
        return root.resolve()
    raise IntakeError(f"no free workspace name '{base}-…' under '{workspace_root}'")


def _plain(name: str | None) -> bool:
    """A bare file name (no folders, no '..'), safe to create inside the workspace."""
    return bool(name) and name not in ('.', '..') and '/' not in name and '\\' not in name


def _materialise(source: Path, kind: str, name: BlackboardName | None, root: Path,
                 entries: list, budget: Budget, report: Report) -> str | None:
    """Copy the submission's files into `root`; for a single .py, return its new name."""
    if kind == 'zip':
        report.merge(extract_zip(source.resolve(), root, budget, source.name))
        return None
    if kind == 'folder':
        copy_entries(source, entries, root, budget, report)
        return None
    original = name.original if name and _plain(name.original) else source.name
    budget.add_file(source.name, original)
    if not copy_file(source.resolve(), root / original, budget, source.name):
        raise IntakeError(f"'{source.name}' cannot be read as a regular file")
    report.written.append(original)
    return original if kind == 'module' else None


def _names(items: list[str], limit: int = 5) -> str:
    """'a', 'b' and 3 more — file lists in messages stay short."""
    quoted = [f"'{item}'" for item in items[:limit]]
    text = ', '.join(quoted)
    return text + (f' and {len(items) - limit} more' if len(items) > limit else '')


def _junk_root(path: str) -> str:
    """'__MACOSX/._model.py' → '__MACOSX/': one line per leftover folder, not per file."""
    parts = path.rstrip('/').split('/')
    for index, part in enumerate(parts[:-1]):
        if part in JUNK_DIRS:
            return '/'.join(parts[:index + 1]) + '/'
    return path


def _copy_findings(report: Report) -> list[Finding]:
    findings = []
    if report.junk:
        junk = sorted({_junk_root(p) for p in report.junk})
        findings.append(Finding('info', 'junk-skipped',
                                f'Skipped system and editor leftovers that are not part of the '
                                f'work: {_names(junk)}.'))
    if report.links:
        findings.append(Finding('warning', 'symlink-skipped',
                                f'Skipped symbolic links {_names(sorted(report.links))}: hand in '
                                f'the files themselves, not links to them.'))
    if report.special:
        findings.append(Finding('warning', 'special-file-skipped',
                                f'Skipped {_names(sorted(report.special))}: not regular files.'))
    if report.duplicates:
        findings.append(Finding('warning', 'duplicate-member',
                                f'The zip holds {_names(sorted(set(report.duplicates)))} more than '
                                f'once; the last copy in the zip was used.'))
    return findings


# --------------------------------------------------------------------- repairing the shape

def _top(root: Path) -> tuple[list[Path], list[Path]]:
    """The files and folders directly in `root`, sorted by name."""
    children = sorted(root.iterdir(), key=lambda p: p.name)
    return [p for p in children if p.is_file()], [p for p in children if p.is_dir()]


def _strip_blackboard_names(root: Path, findings: list[Finding]) -> set[tuple[str, str]]:
    """Rename `<assignment>_<user>_attempt_<time>_<name>` files to `<name>`; who and when."""
    people: set[tuple[str, str]] = set()
    renamed, clashes = [], []
    for path in _top(root)[0]:
        name = parse_blackboard_name(path.name)
        if name is None:
            continue
        people.add((name.user, name.attempt))
        if name.is_receipt or not _plain(name.original):
            findings.append(Finding('info', 'blackboard-receipt',
                                    f"'{path.name}' is Blackboard's receipt of the attempt; it is "
                                    f"kept but not graded."))
        elif (root / name.original).exists():
            clashes.append(path.name)
        else:
            path.rename(root / name.original)
            renamed.append(name.original)
    if renamed:
        findings.append(Finding('info', 'blackboard-names',
                                f"Removed Blackboard's prefix from {_names(renamed)}."))
    if clashes:
        findings.append(Finding('warning', 'blackboard-name-clash',
                                f"Kept the Blackboard names of {_names(clashes)}: a file with the "
                                f"original name already exists."))
    return people


def _who(source: Path, name: BlackboardName | None, people: set[tuple[str, str]],
         findings: list[Finding]) -> tuple[str | None, str | None]:
    """Student and attempt: from the source's own name, else from its Blackboard files."""
    if len(people) > 1:
        listed = _names([f'{user} at {attempt}' for user, attempt in sorted(people)])
        raise IntakeError(f"'{source.name}' holds files of several Blackboard attempts ({listed}); "
                          f"hand in one attempt at a time")
    if name is not None:
        if people and people != {(name.user, name.attempt)}:
            user, attempt = next(iter(people))
            findings.append(Finding('warning', 'blackboard-mismatch',
                                    f"'{source.name}' names {name.user} at {name.attempt}, but "
                                    f"the files inside name {user} at {attempt}; the outer name "
                                    f"was used."))
        return name.user, name.attempt
    if people:
        return next(iter(people))
    return None, None


def _has_work(root: Path, spec: SubmissionSpec, suffixes: tuple[str, ...]) -> bool:
    """Whether the top of `root` already holds files with `suffixes` or the package."""
    files, folders = _top(root)
    return (any(f.suffix.lower() in suffixes for f in files)
            or any(d.name.lower() == spec.package_name.lower() or (d / '__init__.py').is_file()
                   for d in folders))


def _move_up(folder: Path, root: Path) -> list[str]:
    """Move the contents of `folder` into `root`; return the names left behind (clashes)."""
    left = []
    for child in sorted(folder.iterdir(), key=lambda p: p.name):
        if (root / child.name).exists():
            left.append(child.name)
        else:
            child.rename(root / child.name)
    if not left:
        folder.rmdir()
    return left


def _unpack_inner_zip(source: Path, root: Path, spec: SubmissionSpec, budget: Budget,
                      report: Report, findings: list[Finding]) -> bool:
    """A zip holding the code and notebook (a zipped zip) is unpacked, one level only."""
    zips = [f for f in _top(root)[0] if f.suffix.lower() == '.zip']
    if len(zips) != 1 or _has_work(root, spec, ('.py', *NOTEBOOK_SUFFIXES)):
        return False
    inner = zips[0]
    staging = Path(tempfile.mkdtemp(prefix='.intake-', dir=root))
    inner_report = extract_zip(inner, staging, budget, f'{source.name}/{inner.name}')
    report.merge(inner_report, prefix=f'{inner.name}/')
    inner.unlink()
    left = _move_up(staging, root)
    message = (f"'{source.name}' holds the zip '{inner.name}'; it was unpacked and graded as the "
               f"submission.")
    if left:
        shutil.rmtree(staging)
        message += (f" {_names(left)} from inside it were dropped: files with those names lie "
                    f"next to it and were kept.")
    findings.append(Finding('warning' if left else 'info', 'nested-zip', message))
    return True


def _flatten_single_folder(root: Path, spec: SubmissionSpec, findings: list[Finding]) -> bool:
    """Everything inside one folder (e.g. 'Eindopdracht/') is lifted to the top."""
    folders = _top(root)[1]
    if len(folders) != 1 or _has_work(root, spec, DOCUMENT_SUFFIXES):
        return False
    folder = folders[0]
    left = _move_up(folder, root)
    message = (f"Your files were inside the folder '{folder.name}/'; they were graded as if they "
               f"were at the top of the submission.")
    if left:
        message += f" Left inside because the top already holds them: {_names(left)}."
    findings.append(Finding('info', 'nested-folder', message))
    return True


# ------------------------------------------------------------------------- finding the parts

_Found = tuple[Path, str]       # the module and its kind, 'flat' | 'package'


@dataclass(frozen=True)
class _Candidate:
    """Ranks a .py file by how much it looks like the course's module (higher is better)."""
    course_names: int
    definitions: int
    similarity: float
    parsed: bool


def _rank_module(path: Path, spec: SubmissionSpec) -> _Candidate | None:
    """Parse (never run) a .py file; None when it defines nothing."""
    similarity = _similarity(path.name, spec.module_file)
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _Candidate(0, 0, similarity, False)
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    names = {node.name for node in tree.body if isinstance(node, kinds)}
    if not names:
        return None
    return _Candidate(len(names & COURSE_NAMES), len(names), similarity, True)


def _similarity(name: str, expected: str) -> float:
    return difflib.SequenceMatcher(None, name.lower(), expected.lower()).ratio()


def _find_module(root: Path, spec: SubmissionSpec, single: str | None,
                 findings: list[Finding]) -> tuple[Path | None, str | None]:
    """The flat module or the package; a misnamed one is copied to the expected name."""
    flat, package = root / spec.module_file, root / spec.package_name
    if single is not None and single != spec.module_file:
        return _adopt_flat(root / single, flat, 'module-renamed', findings), 'flat'
    if flat.is_file():
        if (package / '__init__.py').is_file():
            findings.append(Finding('info', 'module-choice',
                                    f"Found both '{spec.module_file}' and the package "
                                    f"'{spec.package_name}/'; '{spec.module_file}' was graded."))
        return flat, 'flat'
    if (package / '__init__.py').is_file():
        return package, 'package'
    return (_case_variant(root, spec, findings) or _package_without_init(package, findings)
            or _nested_module(root, spec, findings) or _misnamed_module(root, spec, findings)
            or _module_missing(root, spec, findings))


def _adopt_flat(found: Path, flat: Path, code: str, findings: list[Finding],
                note: str = '') -> Path:
    """Copy `found` to the expected name, keeping the original, and say so."""
    shutil.copyfile(found, flat)
    findings.append(Finding('warning', code, f"The module {_where(found, flat)} — graded as "
                                             f"the module.{note}"))
    return flat


def _adopt_package(found: Path, package: Path, code: str, findings: list[Finding]) -> Path:
    """Copy the package folder `found` to the expected name, keeping the original."""
    shutil.copytree(found, package)
    findings.append(Finding('warning', code, f"The package folder {_where(found, package, '/')} "
                                             f"— graded as the package."))
    return package


def _where(found: Path, expected: Path, slash: str = '') -> str:
    """"is named 'Model.py'; expected 'model.py'", or where one folder down it was found."""
    shown = found.relative_to(expected.parent).as_posix() + slash
    if found.parent == expected.parent:
        return f"is named '{shown}'; expected '{expected.name}{slash}'"
    return f"is '{shown}'; expected '{expected.name}{slash}' at the top of the submission"


def _case_variant(root: Path, spec: SubmissionSpec, findings: list[Finding]) -> _Found | None:
    """'Model.py' or 'VLearning/': the right name in the wrong case."""
    files, folders = _top(root)
    for path in files:
        if path.name.lower() == spec.module_file.lower():
            return _adopt_flat(path, root / spec.module_file, 'module-renamed', findings), 'flat'
    for path in folders:
        if path.name.lower() == spec.package_name.lower() and (path / '__init__.py').is_file():
            return (_adopt_package(path, root / spec.package_name, 'package-renamed', findings),
                    'package')
    return None


def _package_without_init(package: Path, findings: list[Finding]) -> _Found | None:
    """A package folder without __init__.py still imports (as a namespace package)."""
    if not package.is_dir() or not any(package.glob('*.py')):
        return None
    findings.append(Finding('warning', 'package-init-missing',
                            f"The package folder '{package.name}/' has no '__init__.py'; it was "
                            f"graded as the package, but names it should export may be missing."))
    return package, 'package'


def _nested_module(root: Path, spec: SubmissionSpec, findings: list[Finding]) -> _Found | None:
    """'code/model.py' or 'code/vlearning/' one folder down, next to other work at the top."""
    for folder in _top(root)[1]:
        if (folder / spec.module_file).is_file():
            return _adopt_flat(folder / spec.module_file, root / spec.module_file,
                               'module-nested', findings), 'flat'
        if (folder / spec.package_name / '__init__.py').is_file():
            return _adopt_package(folder / spec.package_name, root / spec.package_name,
                                  'module-nested', findings), 'package'
    return None


def _misnamed_module(root: Path, spec: SubmissionSpec, findings: list[Finding]
                     ) -> _Found | None:
    """Another .py at the top that defines things: the best-ranked one is the module."""
    ranked = []
    for path in _top(root)[0]:
        if path.suffix.lower() == '.py' and path.name not in COURSE_MODULES:
            rank = _rank_module(path, spec)
            if rank is not None:
                ranked.append((rank, path))
    if not ranked:
        return None
    ranked.sort(key=lambda item: (-item[0].parsed, -item[0].course_names, -item[0].definitions,
                                  -item[0].similarity, item[1].name))
    chosen = ranked[0][1]
    note = '' if ranked[0][0].parsed else ' (it could not be parsed; expect an import error)'
    if len(ranked) == 1:
        return _adopt_flat(chosen, root / spec.module_file, 'module-renamed', findings,
                           note), 'flat'
    others = [path.name for _, path in ranked[1:]]
    note += (f" Several .py files could be the module; '{chosen.name}' defines the most of the "
             f"course's names. Not graded: {_names(others)}.")
    return _adopt_flat(chosen, root / spec.module_file, 'module-ambiguous', findings,
                       note), 'flat'


def _module_missing(root: Path, spec: SubmissionSpec, findings: list[Finding]
                    ) -> tuple[None, None]:
    found = sorted(p.relative_to(root).as_posix() for p in root.rglob('*.py'))
    seen = f' Found instead: {_names(found)}.' if found else ''
    findings.append(Finding('error', 'module-missing',
                            f"No module found: expected '{spec.module_file}' (or a package folder "
                            f"'{spec.package_name}/' with '__init__.py') at the top of the "
                            f"submission.{seen}"))
    return None, None


_WHAT = {'notebook': 'notebook', 'html': 'HTML export'}


def _find_document(root: Path, expected: str, suffixes: tuple[str, ...], what: str,
                   findings: list[Finding]) -> Path | None:
    """The notebook or HTML export: the expected name, else the closest name, at most one
    folder down. Its name is kept (nothing imports it)."""
    if (root / expected).is_file():
        return root / expected
    files, folders = _top(root)
    candidates = [f for f in files if f.suffix.lower() in suffixes]
    if not candidates:
        candidates = sorted((f for d in folders for f in d.iterdir()
                             if f.is_file() and f.suffix.lower() in suffixes),
                            key=lambda f: f.relative_to(root).as_posix())
    if not candidates:
        findings.append(_document_missing(root, expected, what))
        return None
    chosen = min(candidates, key=lambda f: (f.name != expected, -_similarity(f.name, expected),
                                            f.relative_to(root).as_posix()))
    shown = chosen.relative_to(root).as_posix()
    noun = _WHAT[what]
    message = f"The {noun} is '{shown}'; expected '{expected}' — graded as the {noun}."
    code = f'{what}-renamed' if chosen.parent == root else f'{what}-nested'
    if len(candidates) > 1:
        others = [f.relative_to(root).as_posix() for f in candidates if f != chosen]
        message += f" It has the name closest to '{expected}'; not graded: {_names(others)}."
        code = f'{what}-ambiguous'
    findings.append(Finding('warning', code, message))
    return chosen


def _document_missing(root: Path, expected: str, what: str) -> Finding:
    if what == 'notebook':
        return Finding('error', 'notebook-missing',
                       f"No notebook found: expected '{expected}' in the submission.")
    pdfs = sorted(p.relative_to(root).as_posix() for p in root.rglob('*.pdf'))
    instead = f' Found {_names(pdfs)} instead; the assignment asks for HTML.' if pdfs else ''
    return Finding('warning', 'html-missing',
                   f"No HTML export found: expected '{expected}', the notebook exported after "
                   f"'Restart & Run All' with its outputs.{instead}")


def _note_extras(root: Path, findings: list[Finding], module_folder: Path | None = None) -> None:
    """Files the grader brings itself, and zips that were not unpacked. module_folder: the
    student's package, where a course module may sit too."""
    data = sorted(p.relative_to(root).as_posix() for p in root.rglob('*.dat') if p.is_file())
    if data:
        findings.append(Finding('info', 'data-file-included',
                                f'The submission includes the data file {_names(data)}; the '
                                f'grader uses its own copy of the data.'))
    inside = sorted(module_folder.glob('*.py')) if module_folder is not None and module_folder.is_dir() else []
    course = sorted(p.relative_to(root).as_posix() for p in [*_top(root)[0], *inside] if p.name in COURSE_MODULES)
    if course:
        findings.append(Finding('info', 'course-file-included',
                                f"The submission includes {_names(course)}, the course's own helper "
                                "module: it is not graded, and the grader runs your module and notebook "
                                "with its own copy of it (changes you made to yours have no effect)."))
    zips = sorted(p.relative_to(root).as_posix() for p in root.rglob('*.zip') if p.is_file())
    if zips:
        findings.append(Finding('info', 'zip-not-unpacked',
                                f'Not unpacked: {_names(zips)}. Only the submission itself and '
                                f'one zip directly inside it are unpacked.'))

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
from importlib.util import decode_source
from pathlib import Path

from .. import kit
from ..i18n import N_, _, join_and, number
from ..sandbox.syntax_tree import parse_many, read_capped
from .blackboard import BlackboardName, parse_blackboard_name
from .unpack import (JUNK_DIRS, Budget, Limits, Report, UnpackError, copy_entries, copy_file,
                     extract_zip, manifest_checksum, scan_tree, sha256_file)

__all__ = ['SubmissionSpec', 'Finding', 'Workspace', 'IntakeError', 'intake',
           'BlackboardName', 'parse_blackboard_name']

NOTEBOOK_SUFFIXES = ('.ipynb',)
HTML_SUFFIXES = ('.html', '.htm')
DOCUMENT_SUFFIXES = ('.py', *NOTEBOOK_SUFFIXES, *HTML_SUFFIXES)
COURSE_MODULES = frozenset({'data.py'})    # handed out by the course, never the student's module
OTHER_ARCHIVES = {'.rar': N_('a RAR archive'), '.7z': N_('a 7-Zip archive'), '.tar': N_('a tar archive'),
                  '.gz': N_('a gzip archive'), '.tgz': N_('a tar archive'), '.bz2': N_('a bzip2 archive'),
                  '.xz': N_('an xz archive')}
# Names a course module defines (the reference's); used only to rank misnamed candidates.
COURSE_NAMES = frozenset(kit.course_names()['model'])


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
        raise IntakeError(_("'{source}' does not exist; expected a .zip, a folder, a .py module or a .ipynb "
                            'notebook').format(source=source))
    if not source.is_file():
        raise IntakeError(_("'{source}' is not a regular file; expected a .zip, a folder, a .py module or a "
                            '.ipynb notebook').format(source=source.name))
    suffix = source.suffix.lower()
    kinds = {'.zip': 'zip', '.py': 'module', '.ipynb': 'notebook'}
    if suffix in kinds:
        return kinds[suffix], []
    if suffix in OTHER_ARCHIVES:
        raise IntakeError(_("'{source}' is {archive}; only .zip archives are accepted — pack the files as a "
                            '.zip and hand it in again').format(source=source.name, archive=_(OTHER_ARCHIVES[suffix])))
    if zipfile.is_zipfile(source):
        return 'zip', [Finding('warning', 'zip-without-extension',
                               _("'{source}' has no .zip extension but is a zip archive; it was unpacked as "
                                 'one.').format(source=source.name))]
    raise IntakeError((_("'{source}' is a '{suffix}' file; expected a .zip, a folder, a .py module ('{module}') or "
                         'a .ipynb notebook') if suffix else
                       _("'{source}' is a file without an extension; expected a .zip, a folder, a .py module "
                         "('{module}') or a .ipynb notebook")).format(source=source.name, suffix=suffix,
                                                                      module=module_file))


def _refuse_oversized(source: Path, limits: Limits) -> None:
    """A file larger than everything a submission may unpack to is not even read."""
    size = source.stat().st_size
    if size > limits.max_bytes:
        raise IntakeError(_("'{source}' is {size} bytes; a submission may hold at most {limit} bytes").format(
            source=source.name, size=number(size), limit=number(limits.max_bytes)))


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
    for count in range(1, 10_000):
        root = workspace_root / (base if count == 1 else f'{base}-{count}')
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
        raise IntakeError(_("'{source}' cannot be read as a regular file").format(source=source.name))
    report.written.append(original)
    return original if kind == 'module' else None


def _names(items: list[str], limit: int = 5) -> str:
    """'a', 'b' and 3 more — file lists in messages stay short."""
    quoted = [f"'{item}'" for item in items[:limit]]
    if len(items) > limit:
        return join_and(quoted + [_('{count} more').format(count=len(items) - limit)])
    return join_and(quoted)


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
                                _('Skipped system and editor leftovers that are not part of the work: '
                                  '{files}.').format(files=_names(junk))))
    if report.links:
        findings.append(Finding('warning', 'symlink-skipped',
                                _('Skipped symbolic links {files}: hand in the files themselves, not links to '
                                  'them.').format(files=_names(sorted(report.links)))))
    if report.special:
        findings.append(Finding('warning', 'special-file-skipped',
                                _('Skipped {files}: not regular files.').format(files=_names(sorted(report.special)))))
    if report.duplicates:
        findings.append(Finding('warning', 'duplicate-member',
                                _('The zip holds {files} more than once; the last copy in the zip was used.').format(
                                    files=_names(sorted(set(report.duplicates))))))
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
                                    _("'{file}' is Blackboard's receipt of the attempt; it is kept but not "
                                      'graded.').format(file=path.name)))
        elif (root / name.original).exists():
            clashes.append(path.name)
        else:
            path.rename(root / name.original)
            renamed.append(name.original)
    if renamed:
        findings.append(Finding('info', 'blackboard-names',
                                _("Removed Blackboard's prefix from {files}.").format(files=_names(renamed))))
    if clashes:
        findings.append(Finding('warning', 'blackboard-name-clash',
                                _('Kept the Blackboard names of {files}: a file with the original name already '
                                  'exists.').format(files=_names(clashes))))
    return people


def _who(source: Path, name: BlackboardName | None, people: set[tuple[str, str]],
         findings: list[Finding]) -> tuple[str | None, str | None]:
    """Student and attempt: from the source's own name, else from its Blackboard files."""
    if len(people) > 1:
        listed = _names([_('{user} at {attempt}').format(user=user, attempt=attempt)
                         for user, attempt in sorted(people)])
        raise IntakeError(_("'{source}' holds files of several Blackboard attempts ({attempts}); hand in one "
                            'attempt at a time').format(source=source.name, attempts=listed))
    if name is not None:
        if people and people != {(name.user, name.attempt)}:
            user, attempt = next(iter(people))
            findings.append(Finding('warning', 'blackboard-mismatch',
                                    _("'{source}' names {user} at {attempt}, but the files inside name {inner_user} "
                                      'at {inner_attempt}; the outer name was used.').format(
                                        source=source.name, user=name.user, attempt=name.attempt,
                                        inner_user=user, inner_attempt=attempt)))
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
    message = _("'{source}' holds the zip '{inner}'; it was unpacked and graded as the submission.").format(
        source=source.name, inner=inner.name)
    if left:
        shutil.rmtree(staging)
        message = _("'{source}' holds the zip '{inner}'; it was unpacked and graded as the submission. {files} "
                    'from inside it were dropped: files with those names lie next to it and were kept.').format(
            source=source.name, inner=inner.name, files=_names(left))
    findings.append(Finding('warning' if left else 'info', 'nested-zip', message))
    return True


def _flatten_single_folder(root: Path, spec: SubmissionSpec, findings: list[Finding]) -> bool:
    """Everything inside one folder (e.g. 'Eindopdracht/') is lifted to the top."""
    folders = _top(root)[1]
    if len(folders) != 1 or _has_work(root, spec, DOCUMENT_SUFFIXES):
        return False
    folder = folders[0]
    left = _move_up(folder, root)
    message = (_("Your files were inside the folder '{folder}/'; they were graded as if they were at the top of "
                 'the submission. Left inside because the top already holds them: {files}.') if left else
               _("Your files were inside the folder '{folder}/'; they were graded as if they were at the top of "
                 'the submission.')).format(folder=folder.name, files=_names(left))
    findings.append(Finding('info', 'nested-folder', message))
    return True


# ------------------------------------------------------------------------- finding the parts

_Found = tuple[Path, str]       # the module and its kind, 'flat' | 'package'


MAX_CANDIDATES = 20       # top-level .py files ranked when the module is misnamed


@dataclass(frozen=True)
class _Candidate:
    """Ranks a .py file by how much it looks like the course's module (higher is better)."""
    course_names: int
    definitions: int
    similarity: float
    parsed: bool


def _parse_candidates(paths: list[Path]) -> dict[Path, ast.Module | None]:
    """Each file's tree (never run), the larger ones together in one bounded child."""
    sources: dict[str, str] = {}
    for path in paths:
        try:
            sources[str(path)] = decode_source(read_capped(path))
        except (OSError, SyntaxError, UnicodeDecodeError):        # SourceTooLarge is an OSError
            continue
    parsed = parse_many(sources)
    return {path: parsed[str(path)].tree if str(path) in parsed else None for path in paths}


def _rank_module(path: Path, spec: SubmissionSpec, tree: ast.Module | None) -> _Candidate | None:
    """A parsed .py file's rank; None when it defines nothing."""
    similarity = _similarity(path.name, spec.module_file)
    if tree is None:
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
                                    _("Found both '{module}' and the package '{package}/'; '{module}' was "
                                      'graded.').format(module=spec.module_file, package=spec.package_name)))
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
    findings.append(Finding('warning', code, _('The module {where} — graded as the module.').format(
        where=_where(found, flat)) + note))
    return flat


def _adopt_package(found: Path, package: Path, code: str, findings: list[Finding]) -> Path:
    """Copy the package folder `found` to the expected name, keeping the original."""
    shutil.copytree(found, package)
    findings.append(Finding('warning', code, _('The package folder {where} — graded as the package.').format(
        where=_where(found, package, '/'))))
    return package


def _where(found: Path, expected: Path, slash: str = '') -> str:
    """"is named 'Model.py'; expected 'model.py'", or where one folder down it was found."""
    shown = found.relative_to(expected.parent).as_posix() + slash
    if found.parent == expected.parent:
        return _("is named '{found}'; expected '{expected}'").format(found=shown, expected=expected.name + slash)
    return _("is '{found}'; expected '{expected}' at the top of the submission").format(
        found=shown, expected=expected.name + slash)


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
                            _("The package folder '{package}/' has no '__init__.py'; it was graded as the package, "
                              'but names it should export may be missing.').format(package=package.name)))
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
    paths = [p for p in _top(root)[0] if p.suffix.lower() == '.py' and p.name not in COURSE_MODULES]
    trees = _parse_candidates(paths[:MAX_CANDIDATES])        # a hand-in has one module, not hundreds
    for path in paths[:MAX_CANDIDATES]:
        rank = _rank_module(path, spec, trees[path])
        if rank is not None:
            ranked.append((rank, path))
    if not ranked:
        return None
    ranked.sort(key=lambda item: (-item[0].parsed, -item[0].course_names, -item[0].definitions,
                                  -item[0].similarity, item[1].name))
    chosen = ranked[0][1]
    note = '' if ranked[0][0].parsed else ' ' + _('(It could not be parsed; expect an import error.)')
    if len(ranked) == 1:
        return _adopt_flat(chosen, root / spec.module_file, 'module-renamed', findings,
                           note), 'flat'
    others = [path.name for _, path in ranked[1:]]
    note += ' ' + _("Several .py files could be the module; '{chosen}' defines the most of the course's names. "
                    'Not graded: {others}.').format(chosen=chosen.name, others=_names(others))
    return _adopt_flat(chosen, root / spec.module_file, 'module-ambiguous', findings,
                       note), 'flat'


def _module_missing(root: Path, spec: SubmissionSpec, findings: list[Finding]
                    ) -> tuple[None, None]:
    found = sorted(p.relative_to(root).as_posix() for p in root.rglob('*.py'))
    message = (_("No module found: expected '{module}' (or a package folder '{package}/' with '__init__.py') at "
                 'the top of the submission. Found instead: {files}.') if found else
               _("No module found: expected '{module}' (or a package folder '{package}/' with '__init__.py') at "
                 'the top of the submission.')).format(module=spec.module_file, package=spec.package_name,
                                                        files=_names(found))
    findings.append(Finding('error', 'module-missing', message))
    return None, None


_RENAMED = {'notebook': N_("The notebook is '{found}'; expected '{expected}' — graded as the notebook."),
            'html': N_("The HTML export is '{found}'; expected '{expected}' — graded as the HTML export.")}


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
    message = _(_RENAMED[what]).format(found=shown, expected=expected)
    code = f'{what}-renamed' if chosen.parent == root else f'{what}-nested'
    if len(candidates) > 1:
        others = [f.relative_to(root).as_posix() for f in candidates if f != chosen]
        message = _('{message} It has the name closest to \'{expected}\'; not graded: {others}.').format(
            message=message, expected=expected, others=_names(others))
        code = f'{what}-ambiguous'
    findings.append(Finding('warning', code, message))
    return chosen


def _document_missing(root: Path, expected: str, what: str) -> Finding:
    if what == 'notebook':
        return Finding('error', 'notebook-missing',
                       _("No notebook found: expected '{expected}' in the submission.").format(expected=expected))
    pdfs = sorted(p.relative_to(root).as_posix() for p in root.rglob('*.pdf'))
    return Finding('warning', 'html-missing', (
        _("No HTML export found: expected '{expected}', the notebook exported after 'Restart & Run All' with its "
          'outputs. Found {files} instead; the assignment asks for HTML.') if pdfs else
        _("No HTML export found: expected '{expected}', the notebook exported after 'Restart & Run All' with its "
          'outputs.')).format(expected=expected, files=_names(pdfs)))


def _note_extras(root: Path, findings: list[Finding], module_folder: Path | None = None) -> None:
    """Files the grader brings itself, and zips that were not unpacked. module_folder: the
    student's package, where a course module may sit too."""
    data = sorted(p.relative_to(root).as_posix() for p in root.rglob('*.dat') if p.is_file())
    if data:
        findings.append(Finding('info', 'data-file-included',
                                _('The submission includes the data file {files}; the grader uses its own copy of '
                                  'the data.').format(files=_names(data))))
    inside = sorted(module_folder.glob('*.py')) if module_folder is not None and module_folder.is_dir() else []
    course = sorted(p.relative_to(root).as_posix() for p in [*_top(root)[0], *inside] if p.name in COURSE_MODULES)
    if course:
        findings.append(Finding('info', 'course-file-included',
                                _("The submission includes {files}, the course's own helper module: it is not graded, "
                                  'and the grader runs your module and notebook with its own copy of it (changes you '
                                  'made to yours have no effect).').format(files=_names(course))))
    zips = sorted(p.relative_to(root).as_posix() for p in root.rglob('*.zip') if p.is_file())
    if zips:
        findings.append(Finding('info', 'zip-not-unpacked',
                                _('Not unpacked: {files}. Only the submission itself and one zip directly inside it '
                                  'are unpacked.').format(files=_names(zips))))

"""Which edition of the assignment a notebook belongs to: a hand-in of another edition (last
term's notebook, or one graded with the wrong --assignment) says so, instead of failing in
ways that point nowhere (a FileNotFoundError for the other edition's data file)."""
from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..i18n import N_, _
from ..settings import DEFAULT_ASSIGNMENT, NOTEBOOK_METADATA_KEY, Settings, SettingsError, assignments_dir, load_settings

__all__ = ['other_edition', 'edition_of', 'Edition', 'EDITIONS_ENV', 'METADATA_KEY', 'known_editions']

EDITIONS_ENV = 'AUTOGRADER_ASSIGNMENTS'   # more folders of editions (os.pathsep-separated), e.g. new-assignment --root
METADATA_KEY = NOTEBOOK_METADATA_KEY
_NOTEBOOK_LIMIT = 64 * 2**20              # a notebook larger than this is only known by its name


@dataclass(frozen=True)
class Edition:
    settings: Settings
    why: str                              # why this edition: a message id (N_) ...
    params: tuple[tuple[str, str], ...] = ()     # ... and its fields

    @property
    def reason(self) -> str:
        """Why this edition, in the current language."""
        return _(self.why).format(**dict(self.params))


def known_editions() -> list[Settings]:
    """Every edition that loads: the repository's assignments/, then those of $AUTOGRADER_ASSIGNMENTS."""
    folders = [assignments_dir(), *(Path(p) for p in os.environ.get(EDITIONS_ENV, '').split(os.pathsep) if p)]
    editions, seen = [], set()
    for folder in folders:
        for settings_file in sorted(folder.glob('*/assignment.toml')):
            try:
                settings = load_settings(settings_file.parent)
            except SettingsError:
                continue
            if settings.folder.resolve() not in seen:
                seen.add(settings.folder.resolve())
                editions.append(settings)
    return editions


def _notebooks(source: Path) -> list[tuple[str, dict]]:
    """The hand-in's notebooks: (file name, notebook metadata), read within bounds; a Blackboard
    prefix is taken off the name."""
    from ..intake.blackboard import parse_blackboard_name
    found: list[tuple[str, bytes | None]] = []
    source = Path(source)
    if source.is_dir():
        for path in sorted(source.glob('*.ipynb')) + sorted(source.glob('*/*.ipynb')):
            if path.is_file() and not path.is_symlink():
                found.append((path.name, path.read_bytes() if path.stat().st_size <= _NOTEBOOK_LIMIT else None))
    elif source.suffix.lower() == '.ipynb' and source.is_file():
        found.append((source.name, source.read_bytes() if source.stat().st_size <= _NOTEBOOK_LIMIT else None))
    elif source.suffix.lower() == '.zip' and source.is_file():
        try:
            with zipfile.ZipFile(source) as archive:
                for info in archive.infolist()[:1000]:
                    name = info.filename.rsplit('/', 1)[-1]
                    if name.lower().endswith('.ipynb') and '__MACOSX' not in info.filename:
                        found.append((name, archive.read(info) if info.file_size <= _NOTEBOOK_LIMIT else None))
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
            return []            # intake says what is wrong with it
    result = []
    for name, data in found:
        blackboard = parse_blackboard_name(name)
        if blackboard is not None and blackboard.original:
            name = blackboard.original
        try:
            metadata = json.loads(data).get('metadata') or {} if data is not None else {}
        except (ValueError, AttributeError, RecursionError):
            metadata = {}
        result.append((name, metadata if isinstance(metadata, dict) else {}))
    return result


def edition_of(source: Path) -> Edition:
    """The edition a hand-in (a folder, zip or notebook) is of, as `autograder check` and
    `grade` take it without --assignment: the edition its notebook's metadata names (the
    template writes it), else the one whose notebook file name it has, else the default."""
    editions = known_editions()
    by_id = {settings.id: settings for settings in editions}
    notebooks = _notebooks(source)
    for name, metadata in notebooks:
        mark = metadata.get(METADATA_KEY)
        named = mark.get('assignment') if isinstance(mark, dict) else None
        if isinstance(named, str) and named in by_id:
            return Edition(by_id[named], N_("the notebook '{notebook}' names it"), (('notebook', name),))
    for name, _metadata in notebooks:
        matching = [settings for settings in editions if settings.notebook == name]
        if len(matching) == 1:
            return Edition(matching[0], N_("the notebook is named '{notebook}'"), (('notebook', name),))
        if matching:
            chosen = next((s for s in matching if s.id == DEFAULT_ASSIGNMENT), matching[0])
            return Edition(chosen, N_("the notebook is named '{notebook}', as in the editions {editions}; "
                                      'pass --assignment to choose another'),
                           (('notebook', name), ('editions', ', '.join(s.id for s in matching))))
    default = by_id.get(DEFAULT_ASSIGNMENT) or load_settings(DEFAULT_ASSIGNMENT)
    return Edition(default, N_('no notebook names an edition; the default'))


def other_edition(nb, notebook_name: str, settings: Settings) -> str | None:
    """A sentence naming the edition the notebook seems to be of, or None when it reads this
    edition's data file (or nothing an edition is known by)."""
    code = '\n'.join(c.source for c in nb.cells if c.cell_type == 'code') if nb is not None else ''
    mine = settings.part_b
    if mine.data_file in code or f'data.{mine.loader}(' in code:
        return None
    for folder in sorted(assignments_dir().glob('*/assignment.toml')):
        if folder.parent.name == settings.id:
            continue
        try:
            other = load_settings(folder)
        except SettingsError:
            continue
        theirs = other.part_b
        if theirs.data_file in code or f'data.{theirs.loader}(' in code or Path(notebook_name).name == other.notebook:
            return _("This notebook's Part B reads {file} (data.{loader}): is it edition {other} ({title})? This is "
                     '{edition}, on {mine}; grade it with --assignment {other} if that is the edition it was made '
                     'for.').format(file=theirs.data_file, loader=theirs.loader, other=other.id, title=other.title,
                                    edition=settings.id, mine=mine.data_file)
    return None

"""Which edition of the assignment a notebook belongs to: a hand-in of another edition (last
term's notebook, or one graded with the wrong --assignment) says so, instead of failing in
ways that point nowhere (a FileNotFoundError for the other edition's data file)."""
from __future__ import annotations

from pathlib import Path

from ..i18n import _
from ..settings import Settings, SettingsError, assignments_dir, load_settings

__all__ = ['other_edition']


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

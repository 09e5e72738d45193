"""Check `static.locked-cells`: the cells carrying the locked marker ("Verander deze cel
niet") are the master's.

The two locked cells start and stop the clock of Part B; the grader times the run
between them, so they must be there, once each, unchanged and in order. Compared after
normalising whitespace at line ends and blank lines at either end. `match()` is also how
the pipeline finds the graded run.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from ..results import Check
from .context import Context
from ..i18n import _

__all__ = ['Locked', 'locked_sources', 'match', 'normalise', 'judge']


@dataclass
class Locked:
    graded_run: tuple[int, int] | None    # (first, last) locked cell when all are intact
    problems: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


def normalise(source: str) -> str:
    return '\n'.join(line.rstrip() for line in source.strip('\n').splitlines()).strip()


def locked_sources(nb, marker: str) -> list[tuple[int, str]]:
    return [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == 'code' and marker in c.source]


def match(student_nb, master_nb, marker: str) -> Locked:
    """The master's locked cells found in the student's notebook, and what is wrong with them."""
    if student_nb is None:
        return Locked(None, [_('There is no readable notebook.')])
    master = [normalise(s) for _, s in locked_sources(master_nb, marker)]
    student = locked_sources(student_nb, marker)
    problems, matched = [], []
    used = set()
    for number, want in enumerate(master, start=1):
        hit = next((i for i, s in student if normalise(s) == want and i not in used), None)
        if hit is not None:
            used.add(hit)
            matched.append(hit)
            continue
        first = want.splitlines()[-1][:60]
        candidates = [(i, s) for i, s in student if i not in used]
        if candidates:
            index, source = candidates[0]
            used.add(index)
            shown = [line[:200] for line in normalise(source).splitlines()[:200]]   # bounded for a huge cell
            diff = '\n'.join(difflib.unified_diff(want.splitlines(), shown, 'master', f'cell {index}',
                                                  lineterm='', n=0))[:4000]
            problems.append(_('locked cell {number} (`{first}`) was changed in cell {index}:\n{diff}').format(
                number=number, first=first, index=index, diff=diff))
        else:
            problems.append(_('locked cell {number} (`{first}`) is missing').format(number=number, first=first))
    extra = [i for i, _ in student if i not in used]
    if extra:
        problems.append(_('cell(s) {cells} carry the marker but are not locked cells of the assignment '
                          '(a locked cell was duplicated)').format(cells=', '.join(map(str, extra))))
    if matched != sorted(matched):
        problems.append(_('the locked cells are out of order'))
    intact = not problems and len(matched) == 2
    return Locked((matched[0], matched[-1]) if intact else None, problems,
                  {'locked_cells': matched, 'expected': len(master)})


def judge(ctx: Context) -> Check:
    locked = ctx.locked
    if ctx.notebook is None:
        return ctx.scored('static.locked-cells', 0.0, _('There is no readable notebook.'))
    if locked.problems:
        return ctx.scored('static.locked-cells', 0.0,
                          _('The locked cells time the graded run and must stay as given: {problems}').format(
                              problems='; '.join(locked.problems)),
                          details=locked.details)
    matched = locked.details['locked_cells']
    return ctx.scored('static.locked-cells', 1.0,
                      _('All {count} locked cells are present, unchanged and in order (cells {cells}).').format(
                          count=locked.details['expected'], cells=', '.join(map(str, matched))), details=locked.details)

"""Check `static.locked-cells`: the cells marked "Verander deze cel niet" are the master's.

The two locked cells start and stop the clock of Part B; the grader times the run
between them, so they must be there, once each, unchanged and in order. Compared after
normalising whitespace at line ends and blank lines at either end.
"""
from __future__ import annotations

import difflib

from ..results import Check
from . import TITLES

__all__ = ['locked_sources', 'check_locked_cells', 'normalise']


def normalise(source: str) -> str:
    return '\n'.join(line.rstrip() for line in source.strip('\n').splitlines()).strip()


def locked_sources(nb, marker: str) -> list[tuple[int, str]]:
    return [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == 'code' and marker in c.source]


def check_locked_cells(student_nb, master_nb, marker: str, max_points: float):
    """(Check, (start, end) cell indices when both are intact, else None)."""
    title = TITLES['static.locked-cells']
    if student_nb is None:
        return Check.scored('static.locked-cells', title, 0.0, max_points, 'There is no readable notebook.'), None
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
            diff = '\n'.join(difflib.unified_diff(want.splitlines(), normalise(source).splitlines(),
                                                  'master', f'cell {index}', lineterm='', n=0))
            problems.append(f'locked cell {number} (`{first}`) was changed in cell {index}:\n{diff}')
        else:
            problems.append(f'locked cell {number} (`{first}`) is missing')
    extra = [i for i, _ in student if i not in used]
    if extra:
        problems.append(f"cell(s) {', '.join(map(str, extra))} carry the marker but are not locked cells of the "
                        'assignment (a locked cell was duplicated)')
    if matched != sorted(matched):
        problems.append('the locked cells are out of order')
    intact = not problems and len(matched) == 2
    details = {'locked_cells': matched, 'expected': len(master)}
    if problems:
        return Check.scored('static.locked-cells', title, 0.0, max_points,
                            'The locked cells time the graded run and must stay as given: ' + '; '.join(problems),
                            details=details), None
    return (Check.scored('static.locked-cells', title, 1.0, max_points,
                         f'All {len(master)} locked cells are present, unchanged and in order '
                         f"(cells {', '.join(map(str, matched))}).", details=details),
            (matched[0], matched[-1]) if intact else None)

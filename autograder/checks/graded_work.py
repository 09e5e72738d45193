"""Part B judges only the student's graded run: the cells between the two locked cells.

The template hands out those cells as step headings and placeholders, comments only, while
the course's warm-up just before them leaves a demo model and its history in the kernel's
`my_model` and `my_history`. Handed in untouched, a notebook still runs, and the grader's
cell would find the warm-up's model: Part B would judge the teacher's demo (its curve shows
no overfitting). So when no cell between the locked cells holds a line of code, every Part B
check scores 0 with this one message. Anything written there (even one line) is judged as
usual; `partb.time` says whether the model is built and trained there.
"""
from __future__ import annotations

from ..i18n import _
from .context import Context

__all__ = ['untouched', 'has_code']


def has_code(source: str) -> bool:
    """Whether a cell holds anything but blank lines and comments (a magic counts as code)."""
    return any(line.strip() and not line.strip().startswith('#') for line in source.splitlines())


def untouched(ctx: Context) -> str | None:
    """The message of an untouched Deel B (no code between the locked cells); None when the
    student wrote a graded run, or when the locked cells are not intact (their own check)."""
    locked = ctx.locked.graded_run if ctx.locked is not None else None
    if not locked or ctx.notebook is None:
        return None
    between = [cell for cell in ctx.notebook.cells[locked[0] + 1:locked[1]] if cell.cell_type == 'code']
    if any(has_code(cell.source) for cell in between):
        return None
    return _('Deel B is not done: the {count} cells between the two locked cells hold no code, as in the template, '
             'so there is no graded run to judge. Part B judges only your own model, built and trained between '
             "the locked cells (cells {first}-{last}); what '{model}' holds now is the warm-up's demo model."
             ).format(count=len(between), first=locked[0] + 1, last=locked[1] - 1,
                      model=ctx.settings.part_b.model_variable)

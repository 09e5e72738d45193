"""Check `static.notebook-format`: the notebook is a valid nbformat-4 file, handed in with
its outputs cleared (the hand-in instructions, step 5).

An unreadable or invalid notebook is a clear failure of this check, never a crash: the
message says what is wrong, and the notebook is not run. `read()` is also the pipeline's
one way of reading the handed-in notebook.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..notebook.fast_read import loads
from ..results import Check
from .context import Context
from ..i18n import _

__all__ = ['Reading', 'read', 'judge', 'MAX_NOTEBOOK_BYTES']

# A notebook is parsed in the grader (twice: JSON, then nbformat's nodes) at ~10 times its size
# for dense JSON; handed in with outputs cleared, the course's is ~0.1 MB (with plots ~3 MB).
MAX_NOTEBOOK_BYTES = 32 << 20


@dataclass
class Reading:
    notebook: Any                 # nbformat 4, or None when it cannot be used
    fraction: float
    message: str
    details: dict[str, Any] = field(default_factory=dict)


def read(path: Path | None, shown: str) -> Reading:
    """The notebook converted to version 4 when it is usable, and the verdict on its format."""
    if path is None:
        return Reading(None, 0.0, _('There is no notebook.'))
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            return Reading(None, 0.0, _('{file} is {size} MB, more than the {limit} MB the grader reads of a notebook: '
                                        'clear its outputs (Cell > All Output > Clear) and save it again.').format(
                file=shown, size=f'{size / (1 << 20):.1f}', limit=MAX_NOTEBOOK_BYTES >> 20))
        text = path.read_bytes().decode('utf-8')
    except UnicodeDecodeError as error:
        return Reading(None, 0.0, _('{file} is not UTF-8 text (byte {byte}): save it again from Jupyter.').format(
            file=shown, byte=error.start))
    except OSError as error:
        return Reading(None, 0.0, _('{file} cannot be read: {error}.').format(file=shown, error=error.strerror))
    nb, version = loads(text), 4      # valid by nbformat's schema, without importing nbformat (fast_read.py)
    if nb is None:
        judged = _by_nbformat(text, shown)
        if isinstance(judged, Reading):
            return judged
        nb, version = judged
    notes, fraction = [], 1.0
    if version != 4:
        notes.append(_('it was saved as nbformat {version} and was converted to version 4').format(version=version))
    with_outputs = [i for i, c in enumerate(nb.cells) if c.cell_type == 'code' and c.get('outputs')]
    if with_outputs:
        fraction = 0.5
        notes.append(_('{count} code cells still have outputs (clear them before handing in: '
                       'Cell > All Output > Clear)').format(count=len(with_outputs)))
    code = sum(c.cell_type == 'code' for c in nb.cells)
    message = (_('{file}: a valid notebook of {cells} cells ({code} code), outputs cleared.').format(
        file=shown, cells=len(nb.cells), code=code) if not notes else
        _('{file}: {problems}.').format(file=shown, problems='; '.join(notes)))
    return Reading(nb, fraction, message, {'cells': len(nb.cells), 'code_cells': code, 'nbformat': version,
                                           'cells_with_outputs': with_outputs[:50]})


def _by_nbformat(text: str, shown: str) -> Reading | tuple[Any, Any]:
    """nbformat's own reading and verdict: (notebook, version), or why it cannot be used."""
    import nbformat
    from nbformat.reader import NotJSONError
    try:
        version = json.loads(text).get('nbformat')
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except (NotJSONError, json.JSONDecodeError) as error:
        return Reading(None, 0.0, _('{file} is not a notebook: its JSON does not parse ({error}).').format(
            file=shown, error=str(error)[:200]))
    except (nbformat.ValidationError, AttributeError, KeyError, TypeError, ValueError) as error:
        message = getattr(error, 'message', None) or str(error)
        return Reading(None, 0.0, _('{file} is not a valid notebook: {error}.').format(file=shown, error=message[:300]))
    return nb, version


def judge(ctx: Context) -> Check:
    reading = ctx.reading
    return ctx.scored('static.notebook-format', reading.fraction, reading.message, details=reading.details)

"""Check `static.notebook-format`: the notebook is a valid nbformat-4 file, handed in with
its outputs cleared (the hand-in instructions, step 5).

An unreadable or invalid notebook is a clear failure of this check, never a crash: the
message says what is wrong, and the notebook is not run.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.reader import NotJSONError

from ..results import Check
from . import TITLES

__all__ = ['read_notebook']


def read_notebook(path: Path | None, shown: str, max_points: float):
    """(Check, notebook or None): the notebook converted to version 4 when it is usable."""
    title = TITLES['static.notebook-format']
    if path is None:
        return Check.scored('static.notebook-format', title, 0.0, max_points, 'There is no notebook.'), None
    try:
        raw = path.read_bytes()
        text = raw.decode('utf-8')
    except UnicodeDecodeError as error:
        return Check.scored('static.notebook-format', title, 0.0, max_points,
                            f'{shown} is not UTF-8 text (byte {error.start}): save it again from Jupyter.'), None
    except OSError as error:
        return Check.scored('static.notebook-format', title, 0.0, max_points,
                            f'{shown} cannot be read: {error.strerror}.'), None
    try:
        version = json.loads(text).get('nbformat')
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except (NotJSONError, json.JSONDecodeError) as error:
        return Check.scored('static.notebook-format', title, 0.0, max_points,
                            f'{shown} is not a notebook: its JSON does not parse ({str(error)[:200]}).'), None
    except (nbformat.ValidationError, AttributeError, KeyError, TypeError, ValueError) as error:
        message = getattr(error, 'message', None) or str(error)
        return Check.scored('static.notebook-format', title, 0.0, max_points,
                            f'{shown} is not a valid notebook: {message[:300]}.'), None
    notes, fraction = [], 1.0
    if version != 4:
        notes.append(f'it was saved as nbformat {version} and was converted to version 4')
    with_outputs = [i for i, c in enumerate(nb.cells) if c.cell_type == 'code' and c.get('outputs')]
    if with_outputs:
        fraction = 0.5
        notes.append(f'{len(with_outputs)} code cells still have outputs (clear them before handing in: '
                     'Cell > All Output > Clear)')
    code = sum(c.cell_type == 'code' for c in nb.cells)
    message = (f'{shown}: a valid notebook of {len(nb.cells)} cells ({code} code), outputs cleared.'
               if not notes else f'{shown}: ' + '; '.join(notes) + '.')
    return Check.scored('static.notebook-format', title, fraction, max_points, message,
                        details={'cells': len(nb.cells), 'code_cells': code, 'nbformat': version,
                                 'cells_with_outputs': with_outputs[:50]}), nb

"""Check `partb.activation`: the Part B model uses ELiSH or HardELiSH somewhere.

Read from the trained model's layers after the graded run (each layer's `activation`
and its `__name__`). The function must be the student's own, from the module; whether it
is correct and overflow-safe is graded in Part A, and repeated here as a note.
"""
from __future__ import annotations

from typing import Any

from ..results import Check
from . import TITLES

__all__ = ['check_partb_activation']


def check_partb_activation(report: dict[str, Any] | None, required: list[str], max_points: float,
                           part_a_hidden: dict[str, bool]) -> Check:
    title = TITLES['partb.activation'] if set(required) == {'elish', 'hardelish'} else \
        f"Deel B uses {' or '.join(required)}"
    if report is None:
        return Check.scored('partb.activation', title, 0.0, max_points,
                            'The graded run did not leave a model to inspect (see the notebook run).')
    if not report.get('model_found'):
        return Check.scored('partb.activation', title, 0.0, max_points,
                            'There is no trained model to inspect after the graded run.')
    layers = report.get('layers') or []
    used = sorted({layer['activation'] for layer in layers if layer.get('activation') in required})
    activations = [layer['activation'] for layer in layers if layer.get('activation')]
    details = {'layers': layers, 'used': used}
    if not used:
        return Check.scored('partb.activation', title, 0.0, max_points,
                            f"The model's activation layers use {', '.join(sorted(set(activations))) or 'no activation'}; "
                            f"the assignment requires {' or '.join(required)} in at least one of them.",
                            details=details)
    foreign = [layer['activation'] for layer in layers if layer.get('activation') in used
               and layer.get('activation_module') not in ('model',) and
               not str(layer.get('activation_module', '')).startswith(('vlearning', 'model'))]
    broken = [name for name in used if part_a_hidden.get(name) is False]
    notes = []
    if foreign:
        notes.append(f"{foreign[0]} is not taken from your module (it comes from "
                     f"'{next(l['activation_module'] for l in layers if l.get('activation') == foreign[0])}')")
    if broken:
        notes.append(f"{', '.join(broken)} fails Part A's probes outside the table, so it is not overflow-safe")
    fraction = 1.0 if not notes else 0.5
    message = (f"The model uses {', '.join(used)} in {sum(l.get('activation') in used for l in layers)} "
               'activation layer(s)' + (': but ' + '; '.join(notes) if notes else '') + '.')
    return Check.scored('partb.activation', title, fraction, max_points, message, details=details)

"""Check `partb.activation`: the Part B model uses ELiSH or HardELiSH somewhere.

Read from the trained model's layers after the graded run (each layer's `activation`
and its `__name__`). The function must be the student's own, from the module; whether it
is correct and overflow-safe is graded in Part A, and repeated here as a note.
"""
from __future__ import annotations


from ..results import Check
from .context import Context

__all__ = ['judge']


def judge(ctx: Context) -> Check:
    report, required = ctx.part_b.report, ctx.settings.part_b.required_activations
    hidden = ctx.checks.get('activations.hidden')       # is each function also right off the table?
    part_a_hidden = {row['function']: row['ok'] for row in hidden.details.get('functions', [])} if hidden else {}
    if report is None:
        return ctx.scored('partb.activation', 0.0,
                            'The graded run did not leave a model to inspect (see the notebook run).')
    if not report.get('model_found'):
        return ctx.scored('partb.activation', 0.0,
                            'There is no trained model to inspect after the graded run.')
    layers = report.get('layers') or []
    used = sorted({layer['activation'] for layer in layers if layer.get('activation') in required})
    activations = [layer['activation'] for layer in layers if layer.get('activation')]
    details = {'layers': layers, 'used': used}
    if not used:
        return ctx.scored('partb.activation', 0.0,
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
    return ctx.scored('partb.activation', fraction, message, details=details)

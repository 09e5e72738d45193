"""Check `partb.activation`: the Part B model uses the required activation somewhere
(settings: part_b.required_activations, e.g. ELiSH or HardELiSH), with the required keyword
arguments where the settings name them (part_b.required_parameters, e.g. NIPUNA with β = 1).

Read from the trained model's layers after the graded run (each layer's `activation`, its
`__name__`, the keyword arguments the layer passes on, else the function's defaults). The
function must be the student's own, from the module; whether it is correct and
overflow-safe is graded in Part A, and repeated here as a note. Names agree but for case and
underscores (`hard_elish` is HardELiSH), as in Part A's probes.
"""
from __future__ import annotations

import math

from ..i18n import _, join_or
from ..probes.vlgrader_probe.module import spelling
from ..results import Check
from .context import Context
from .graded_work import untouched

__all__ = ['judge']


def judge(ctx: Context) -> Check:
    not_done = untouched(ctx)          # an untouched Deel B: nothing of the student's to judge
    if not_done:
        return ctx.scored('partb.activation', 0.0, not_done)
    report, required = ctx.part_b.report, ctx.settings.part_b.required_activations
    hidden = ctx.checks.get('activations.hidden')       # is each function also right off the table?
    part_a_hidden = {row['function']: row['ok'] for row in hidden.details.get('functions', [])} if hidden else {}
    if report is None:
        return ctx.scored('partb.activation', 0.0,
                          _('The graded run did not leave a model to inspect (see the notebook run).'))
    if not report.get('model_found'):
        return ctx.scored('partb.activation', 0.0,
                          _('There is no trained model to inspect after the graded run.'))
    layers = report.get('layers') or []
    wanted = {spelling(name) for name in required}      # `hard_elish` is HardELiSH too
    used = sorted({layer['activation'] for layer in layers
                   if isinstance(layer.get('activation'), str) and spelling(layer['activation']) in wanted})
    activations = [layer['activation'] for layer in layers if layer.get('activation')]
    details = {'layers': layers, 'used': used}
    if not used:
        return ctx.scored('partb.activation', 0.0,
                          (_("The model's activation layers use {used}; the assignment requires {required} in at "
                             'least one of them.') if activations else
                           _("The model's activation layers use no activation; the assignment requires {required} "
                             'in at least one of them.')).format(used=', '.join(sorted(set(activations))),
                                                                 required=join_or(required)),
                          details=details)
    parameters = ctx.settings.part_b.required_parameters
    if parameters:
        wrong = _wrong_parameters([l for l in layers if l.get('activation') in used], parameters)
        if wrong is not None:
            wanted = ', '.join(f'{k} = {v:g}' for k, v in parameters.items())
            return ctx.scored('partb.activation', 0.0,
                              _('The model uses {used}, but with {found}; the assignment requires {wanted}.').format(
                                  used=', '.join(used), found=wrong or _('other arguments'), wanted=wanted),
                              details={**details, 'required_parameters': parameters})
    foreign = [layer['activation'] for layer in layers if layer.get('activation') in used
               and layer.get('activation_module') not in ('model',) and
               not str(layer.get('activation_module', '')).startswith(('vlearning', 'model'))]
    course_name = {spelling(name): name for name in required}
    broken = [name for name in used if part_a_hidden.get(course_name[spelling(name)]) is False]
    notes = []
    if foreign:
        notes.append(_("{function} is not taken from your module (it comes from '{module}')").format(
            function=foreign[0],
            module=next(l['activation_module'] for l in layers if l.get('activation') == foreign[0])))
    if broken:
        notes.append(_("{functions} fails Part A's probes outside the table, so it is not overflow-safe").format(
            functions=', '.join(broken)))
    fraction = 1.0 if not notes else 0.5
    count = sum(l.get('activation') in used for l in layers)
    message = (_('The model uses {used} in {count} activation layer(s): but {notes}.') if notes else
               _('The model uses {used} in {count} activation layer(s).')).format(
        used=', '.join(used), count=count, notes='; '.join(notes))
    return ctx.scored('partb.activation', fraction, message, details=details)


def _wrong_parameters(layers: list[dict], required: dict[str, float]) -> str | None:
    """None when some layer has the required keyword arguments (given, or its function's
    default); else what the layers have instead."""
    seen = []
    for layer in layers:
        values = {name: (layer.get('parameters') or {}).get(name, (layer.get('defaults') or {}).get(name))
                  for name in required}
        if all(v is None or math.isclose(v, required[n], rel_tol=1e-9, abs_tol=1e-12) for n, v in values.items()):
            return None            # a value the grader cannot read is the function's own default
        seen.append(', '.join(f'{n} = {v:g}' for n, v in values.items() if v is not None))
    return ' / '.join(dict.fromkeys(seen))

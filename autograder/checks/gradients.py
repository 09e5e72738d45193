"""Check `layers.gradients`: the gs each layer returns against finite differences.

For every layer type the runner builds a tiny chain with the student's classes, with the
layer under test right behind an InputLayer, and reports the gs it returns together with
its own losses at xₙᵢ ± h. Here gs is compared with (lₙ(x + h) − lₙ(x − h)) / 2h by the
relative error ‖gs − fd‖ / max(‖gs‖, ‖fd‖).

Tolerance, and why: a correct layer that takes φ' or L' from the course's numeric
derivative() with δ up to 0.03 is off by about δ²·f'''/6. Measured on these probes
(tests/test_grader_part_a.py, mutant 'numeric-derivatives'): at worst 0.006, for softmax
with a numeric −ln ŷ; the probes keep ŷ near 1/4 because that error grows like 1/ŷ³.
The mistakes worth catching are far off: a softmax Jacobian reduced to its diagonal 0.37,
a gradient taken after the update 0.60, a sign error 2.0. TOLERANCE = 0.03 sits 5× above
the worst correct case and 12× below the smallest mistake.

The losses themselves are cross-checked with the reference's forward pass on the same
inputs (and the student's own weights): when they agree, the student's finite
differences must also agree with the reference's gradient, or the report is inconsistent.

A probe whose subject is a function the module lacks (LossLayer with hinge, without a
`hinge`) is left out: the function tables charge that once, and the runner probed the
layer with the course's formula in its place.
"""
from __future__ import annotations

import math
from typing import Any

from .. import kit
from ..i18n import N_, _, join_and
from ..probes.reference import load_parameters, reference_network
from ..probes.request import ALPHA
from ..probes.values import failure_reason, flatten
from ..results import Check
from .compare import relative_error
from .context import Context
from .locate import Fix, with_fixes
from .per_instance_setting import PER_INSTANCE_CREDIT, per_instance_note
from .rubric import weigh

__all__ = ['judge', 'TOLERANCE', 'diagnose']

TOLERANCE = 0.03
RULES = {
    'LossLayer': N_("gₙᵢ = L'(ŷₙᵢ; yₙᵢ), the loss's derivative per output"),
    'ActivationLayer': "gₙᵢ = φ'(xₙᵢ)·qₙᵢ",
    'SoftmaxLayer': N_('gₙᵢ = Σₒ qₙₒ·ŷₙₒ·(δᵢₒ − ŷₙᵢ): the full Jacobian, not only its diagonal'),
    'DenseLayer': N_('gₙᵢ = Σₒ wₒᵢ·qₙₒ, with the weights from before the update'),
}


def diagnose(actual: list[float], expected: list[float], batch: int = 1) -> str:
    """Name the likely mistake when actual ≈ c·expected for a telling scalar c."""
    norm = math.sqrt(sum(e * e for e in expected))
    if norm == 0.0 or any(a is None for a in actual):
        return ''
    size = math.sqrt(sum(a * a for a in actual))
    if size <= 0.05 * norm:
        return _('it is (nearly) zero')
    c = sum(a * e for a, e in zip(actual, expected)) / norm ** 2
    misfit = math.sqrt(sum((a - c * e) ** 2 for a, e in zip(actual, expected)))
    if misfit > 0.05 * abs(c) * norm:
        return ''
    if abs(c + 1) < 0.05:
        return _('it has the wrong sign')
    if batch > 1 and abs(c - batch) < 0.05 * batch:
        return _('it is {batch}× too large: the batch size N = {batch} is not divided out').format(batch=batch)
    if batch > 1 and abs(c * batch - 1) < 0.05:
        return _('it is {batch}× too small: divided by the batch size once too often').format(batch=batch)
    return _('it is {factor} times what it should be').format(factor=f'{c:.3g}')


def _evaluate(task: dict[str, Any], record: dict[str, Any] | None) -> dict[str, Any]:
    """One gradient task → {'ok', 'error', 'message', ...}."""
    layer = task['network'][task['position']]['class']
    if record is None or not record.get('ok'):
        return {'ok': False, 'error': math.inf, 'message': _('raised {reason}').format(reason=failure_reason(record)),
                'raised_at': (record or {}).get('error')}
    value = record['value']
    h = task['h']
    plus, minus = flatten(value['plus']), flatten(value['minus'])
    if any(v is None for v in plus + minus):
        return {'ok': False, 'error': math.inf, 'message': _('returned losses that are not numbers')}
    fd = [(p - m) / (2 * h) for p, m in zip(plus, minus)]
    gs = flatten(value['gs']) if value['gs'] is not None else []
    if not gs:
        return {'ok': False, 'error': math.inf,
                'message': _('returned gs = None although alpha was given')}
    if len(gs) != len(fd):
        return {'ok': False, 'error': math.inf,
                'message': _('returned gs of {count} numbers for {inputs} inputs (N × inputs)').format(
                    count=len(gs), inputs=len(fd))}
    error = relative_error(gs, fd)
    result = {'ok': error <= TOLERANCE, 'error': error, 'gs': gs, 'fd': fd}
    batch = len(task['xs'])
    if not result['ok']:
        hint = diagnose(gs, fd, 1)
        result['message'] = (
            _('gs differ from the finite differences of its own losses (relative error {error}, tolerance '
              '{tolerance}): {hint}. Expected {rule}.') if hint else
            _('gs differ from the finite differences of its own losses (relative error {error}, tolerance '
              '{tolerance}). Expected {rule}.')).format(error=f'{error:.3g}', tolerance=TOLERANCE, hint=hint,
                                                        rule=_(RULES[layer]))
    consistency = _cross_check(task, value, fd)
    if consistency:
        result.update(ok=False, message=consistency, suspicious=True)
    result['batch'] = batch
    return result


def _cross_check(task: dict[str, Any], value: dict[str, Any], fd: list[float]) -> str:
    """'' when the reported losses are the reference's (then fd must be its gradient too);
    the student kit has no reference to compare with."""
    if kit.INSTALLED:
        return ''
    net = reference_network(task['network'])
    layer = net[task['position']]
    if hasattr(layer, 'weights') and not load_parameters(layer, value.get('bias') or [], value.get('weights') or []):
        return ''
    ls = flatten(value.get('ls') or [])
    _yhats, ref_ls, ref_gs = layer([list(x) for x in task['xs']], task['ys'], 0.0)
    if len(ls) != len(ref_ls) or relative_error(ls, ref_ls) > 1e-6:
        return ''          # a different forward pass: the function tables say why
    if relative_error(fd, flatten(ref_gs)) > 1e-3:
        return _('the losses the layer returns at x ± h do not belong to its own forward pass at x, so its gs '
                 'cannot be checked against them (does the layer keep state between calls?)')
    return ''


def _subject(task: dict[str, Any]) -> str | None:
    """The function a gradient probe is about (the activation or loss of its layer), if any."""
    kwargs = task['network'][task['position']].get('kwargs') or {}
    return kwargs.get('activation') or kwargs.get('loss')


def _missing_functions(ctx: Context) -> set[str]:
    names = ctx.probes.result('names')
    found = names['value']['names'] if names and names.get('ok') else {}
    return {name for name, entry in found.items() if not entry.get('found')}


def judge(ctx: Context) -> Check:
    run, missing = ctx.probes, _missing_functions(ctx)
    tasks = [t for t in ctx.request['tasks'] if t['kind'] != 'gradient' or _subject(t) not in missing]
    absent = _absent_optional(ctx)       # graded only when present: a note, not a charge
    left_out = sorted({_subject(t) for t in ctx.request['tasks'] if t['kind'] == 'gradient'} & missing - set(absent))
    # one group per layer type, in the order the probes ask about them
    groups: dict[str, list[dict[str, Any]]] = {t['network'][t['position']]['class']: []
                                               for t in tasks if t['kind'] == 'gradient'}
    raised: dict[str, dict[str, Any] | None] = {}      # per layer type: an error it raised, if any
    notes = [_('{function} is not in the module: its ActivationLayer is not probed (graded only when '
               'present)').format(function=name) for name in absent]
    for task in tasks:
        if task['kind'] != 'gradient' or _activation(task) in absent:
            continue
        layer = task['network'][task['position']]['class']
        outcome = _evaluate(task, run.result(task['id']))
        if not outcome['ok'] and layer == 'DenseLayer' and _per_instance(task, run.result(task['id'])):
            credit = PER_INSTANCE_CREDIT[ctx.settings.per_instance_updates]
            said = per_instance_note(ctx, _('DenseLayer (N={batch})').format(batch=len(task['xs'])))
            if credit == 1.0:
                notes.append(said)
            outcome = {**outcome, 'ok': credit == 1.0, 'credit': credit, 'per_instance': True,
                       'message': outcome.get('message', '') if credit == 1.0 else said}
        raised[layer] = raised.get(layer) or outcome.get('raised_at')
        label = task['id'].split(':', 2)[-1] if task['id'].count(':') == 2 else layer
        groups[layer].append({'task': task['id'], 'label': label, 'batch': len(task['xs']),
                              'relative_error': outcome['error'] if math.isfinite(outcome['error']) else None,
                              'ok': outcome['ok'], 'credit': outcome.get('credit', float(outcome['ok'])),
                              'message': outcome.get('message', ''),
                              'suspicious': outcome.get('suspicious', False),
                              **({'per_instance': True} if outcome.get('per_instance') else {})})
    # a layer type with nothing to probe (every activation optional and absent) costs nothing
    fraction, criteria = weigh(ctx, 'layers.gradients',
                               {layer: sum(r['credit'] for r in rows) / len(rows) if rows else 1.0
                                for layer, rows in groups.items()})
    wrong = [_('{layer} ({label}, N={batch}): {problem}').format(layer=layer, label=r['label'], batch=r['batch'],
                                                                 problem=r['message'].rstrip('.'))
             for layer, rows in groups.items() for r in rows if not r['ok']]
    fixes = [Fix(ctx.place(raised.get(layer), cls=layer, method='__call__'), '',
                 _('the gs that {layer} returns should be {rule}').format(layer=layer, rule=_(RULES[layer])))
             for layer, rows in groups.items() if any(not r['ok'] and not r['suspicious'] for r in rows)]
    message = (_('Every layer type returns gs that match finite differences of its own losses '
                 '(relative error below {tolerance}).').format(tolerance=TOLERANCE) if not wrong else
               with_fixes('; '.join(wrong) + '.', fixes))
    if left_out:
        message = _('{message} Not judged here: the layers with {functions} (missing, charged in the function '
                    'tables).').format(message=message, functions=join_and(left_out))
    details = {'tolerance': TOLERANCE, 'alpha': ALPHA, 'layers': groups, 'criteria': criteria, 'left_out': left_out,
               'fix': [f.as_dict() for f in fixes]}
    if notes:
        details['notes'] = notes
    return ctx.scored('layers.gradients', fraction, message, details=details)


def _activation(task: dict[str, Any]) -> str | None:
    return task['network'][task['position']]['kwargs'].get('activation')


def _absent_optional(ctx: Context) -> list[str]:
    """The activations graded only when present (activations.also_graded) that the module lacks:
    v2324.1 grades ELiSH and HardELiSH when the module has them."""
    names = ctx.probes.result('names')
    found = names['value']['names'] if names and names.get('ok') else None
    if found is None:
        return []
    return [name for name in ctx.settings.activations.also_graded if not (found.get(name) or {}).get('found')]


def _per_instance(task: dict[str, Any], record: dict[str, Any] | None) -> bool:
    """Whether the gs are those of a DenseLayer that updates instance by instance
    (probes/per_instance.py), from the student's own starting parameters."""
    if kit.INSTALLED or not record or not record.get('ok') or len(task['xs']) < 2:
        return False          # the student kit has no reference to replay the pattern with
    from ..probes.per_instance import per_instance_network      # the reference: never in the kit
    value = record['value']
    net = per_instance_network(task['network'])
    layer = net[task['position']]
    if not load_parameters(layer, value.get('bias') or [], value.get('weights') or []):
        return False
    _yhats, _ls, gs = layer([list(x) for x in task['xs']], task['ys'], task['alpha'])
    return relative_error(flatten(value['gs'] or []), flatten(gs)) <= TOLERANCE

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
"""
from __future__ import annotations

import math
from typing import Any

from .. import kit
from ..i18n import N_, _
from ..probes.reference import load_parameters, reference_network
from ..probes.request import ALPHA
from ..probes.values import failure_reason, flatten
from ..results import Check
from .compare import relative_error
from .context import Context
from .locate import Fix, with_fixes

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
        return _('the losses reported at x ± h do not belong to the losses the layer returns: '
                 'the probe output looks tampered with')
    return ''


def judge(ctx: Context) -> Check:
    run, tasks = ctx.probes, ctx.request['tasks']
    # one group per layer type, in the order the probes ask about them
    groups: dict[str, list[dict[str, Any]]] = {t['network'][t['position']]['class']: []
                                               for t in tasks if t['kind'] == 'gradient'}
    raised: dict[str, dict[str, Any] | None] = {}      # per layer type: an error it raised, if any
    for task in tasks:
        if task['kind'] != 'gradient':
            continue
        layer = task['network'][task['position']]['class']
        outcome = _evaluate(task, run.result(task['id']))
        raised[layer] = raised.get(layer) or outcome.get('raised_at')
        label = task['id'].split(':', 2)[-1] if task['id'].count(':') == 2 else layer
        groups[layer].append({'task': task['id'], 'label': label, 'batch': len(task['xs']),
                              'relative_error': outcome['error'] if math.isfinite(outcome['error']) else None,
                              'ok': outcome['ok'], 'message': outcome.get('message', ''),
                              'suspicious': outcome.get('suspicious', False)})
    fraction = sum(sum(r['ok'] for r in rows) / len(rows) for rows in groups.values() if rows) / len(groups)
    wrong = [_('{layer} ({label}, N={batch}): {problem}').format(layer=layer, label=r['label'], batch=r['batch'],
                                                                 problem=r['message'].rstrip('.'))
             for layer, rows in groups.items() for r in rows if not r['ok']]
    fixes = [Fix(ctx.place(raised.get(layer), cls=layer, method='__call__'), '',
                 _('the gs that {layer} returns should be {rule}').format(layer=layer, rule=_(RULES[layer])))
             for layer, rows in groups.items() if any(not r['ok'] and not r['suspicious'] for r in rows)]
    message = (_('Every layer type returns gs that match finite differences of its own losses '
                 '(relative error below {tolerance}).').format(tolerance=TOLERANCE) if not wrong else
               with_fixes('; '.join(wrong) + '.', fixes))
    return ctx.scored('layers.gradients', fraction, message,
                      details={'tolerance': TOLERANCE, 'alpha': ALPHA, 'layers': groups,
                               'fix': [f.as_dict() for f in fixes]})

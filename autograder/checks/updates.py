"""Check `layers.updates`: each DenseLayer's parameter change during one backward pass.

Expected: Δw = −(α/N)·∂(Σₙ lₙ)/∂w, where the gradient is taken by central differences
of the student's own losses, on copies made before the update. Probed with a batch of 1
and of 5 (where an update with α instead of α/N is 5× too large). Same tolerance as the
gradient check: correct code with δ = 0.03 numeric derivatives is off by 0.0003 here;
α instead of α/N by 0.8, a gradient taken after the update by 0.07. The likely mistake is
named from the ratio of the change to the expected one.
"""
from __future__ import annotations

import math
from typing import Any

from ..i18n import _
from ..probes.reference import load_parameters, reference_network
from ..probes.values import failure_reason, flatten
from ..results import Check
from .compare import relative_error
from .context import Context
from .gradients import TOLERANCE, diagnose
from .locate import Fix, with_fixes
from .per_instance_setting import PER_INSTANCE_CREDIT, per_instance_note

__all__ = ['judge']


def _expected_step(finite: dict[str, Any], h: float, scale: float) -> tuple[list[float], list[float]]:
    bias = [-scale * (p - m) / (2 * h) for p, m in finite['bias']]
    weights = [-scale * (p - m) / (2 * h) for row in finite['weights'] for p, m in row]
    return bias, weights


def _reference_step(task: dict[str, Any], before: dict[str, Any], network=reference_network):
    """The reference's total loss and own update from the student's starting parameters,
    for the cross-check (or, with per_instance_network, the update applied instance by
    instance); None when the parameters are unusable."""
    net = network(task['network'])
    for position in task['dense_positions']:
        params = before[str(position)]
        if not load_parameters(net[position], params['bias'], params['weights']):
            return None
    start = {p: (list(net[p].bias), [list(r) for r in net[p].weights]) for p in task['dense_positions']}
    _yhats, ls, _gs = net([list(x) for x in task['xs']], task['ys'], task['alpha'])
    steps = {str(p): [b1 - b0 for b0, b1 in zip(start[p][0], net[p].bias)] +
             [w1 - w0 for r0, r1 in zip(start[p][1], net[p].weights) for w0, w1 in zip(r0, r1)]
             for p in task['dense_positions']}
    return sum(ls), steps


def _same_forward(finite: dict[str, Any], reference_total: float) -> bool:
    """Whether the student's total loss (the mean of a ± h pair) is the reference's."""
    plus, minus = finite['bias'][0]
    return math.isclose((plus + minus) / 2, reference_total, rel_tol=1e-6, abs_tol=1e-9)


def judge(ctx: Context) -> Check:
    run, tasks = ctx.probes, ctx.request['tasks']
    rows, problems, fraction, raised, mistakes, notes = [], [], 0.0, None, 0, []
    update_tasks = [t for t in tasks if t['kind'] == 'update']
    for task in update_tasks:
        record = run.result(task['id'])
        n = len(task['xs'])
        share = 1.0 / len(update_tasks) / len(task['dense_positions'])
        if record is None or not record.get('ok'):
            reason = failure_reason(record)
            raised = raised or (record or {}).get('error')
            mistakes += 1
            problems.append(_('batch of {n}: one training step raised {reason}').format(n=n, reason=reason))
            rows.extend({'batch': n, 'layer': p, 'ok': False, 'relative_error': None}
                        for p in task['dense_positions'])
            continue
        value = record['value']
        reference = _reference_step(task, value['before'])
        for position in task['dense_positions']:
            key = str(position)
            exp_b, exp_w = _expected_step(value['finite'][key], task['h'], task['alpha'] / n)
            before, after = value['before'][key], value['after'][key]
            delta = [(a - b) if a is not None and b is not None else None
                     for a, b in zip(flatten(after['bias']) + flatten(after['weights']),
                                     flatten(before['bias']) + flatten(before['weights']))]
            expected = exp_b + exp_w
            error = relative_error(delta, expected)
            ok = error <= TOLERANCE
            per_instance = not ok and _per_instance(task, value, key, delta)
            if per_instance:
                credit = PER_INSTANCE_CREDIT[ctx.settings.per_instance_updates]
                said = per_instance_note(ctx, _('batch of {n}, DenseLayer at position {position}').format(
                    n=n, position=position))
                (notes if credit == 1.0 else problems).append(said)
                mistakes += credit < 1.0
                fraction += share * credit
                rows.append({'batch': n, 'layer': position, 'ok': credit == 1.0, 'per_instance': True,
                             'relative_error': error if math.isfinite(error) else None})
                continue
            if not ok:
                mistakes += 1
                hint = diagnose(delta, expected, n) if len(delta) == len(expected) else ''
                problems.append((
                    _('batch of {n}, DenseLayer at position {position}: the parameter change differs from '
                      '−(α/N)·∂L/∂w (relative error {error}): {hint}') if hint else
                    _('batch of {n}, DenseLayer at position {position}: the parameter change differs from '
                      '−(α/N)·∂L/∂w (relative error {error})')).format(n=n, position=position, error=f'{error:.3g}',
                                                                        hint=hint))
            elif (reference is not None and _same_forward(value['finite'][key], reference[0])
                  and relative_error(expected, reference[1][key]) > 1e-3):
                ok = False
                problems.append(_("batch of {n}, DenseLayer at position {position}: the losses the layer returns "
                                  "are not those of the course's formulas for its own parameters, so its update "
                                  'cannot be checked (does the layer change its parameters outside the update?)'
                                  ).format(n=n, position=position))
            fraction += share * ok
            rows.append({'batch': n, 'layer': position, 'ok': ok,
                         'relative_error': error if math.isfinite(error) else None})
    fixes = ([Fix(ctx.place(raised, cls='DenseLayer', method='__call__'), '',
                  _('during the backward pass, with the gradient qₙₒ from the next layer and before the weights '
                    'are used for gₙᵢ, update bₒ −= (α/N)·Σₙ qₙₒ and wₒᵢ −= (α/N)·Σₙ qₙₒ·xₙᵢ'))]
             if mistakes else [])
    message = (_('Both DenseLayers update bias and weights by −(α/N) times the gradient, for a batch of 1 '
                 'and of 5.') if not problems else with_fixes('; '.join(problems) + '.', fixes))
    details = {'tolerance': TOLERANCE, 'rows': rows, 'fix': [f.as_dict() for f in fixes]}
    if notes:
        details['notes'] = list(dict.fromkeys(notes))
    return ctx.scored('layers.updates', fraction, message, details=details)


def _per_instance(task: dict[str, Any], value: dict[str, Any], key: str, delta: list[float | None]) -> bool:
    """Whether the change is the update applied instance by instance (probes/per_instance.py)."""
    from ..probes.per_instance import per_instance_network      # the reference: never in the kit (LEFT_OUT)
    step = _reference_step(task, value['before'], per_instance_network)
    return step is not None and relative_error(delta, step[1][key]) <= TOLERANCE

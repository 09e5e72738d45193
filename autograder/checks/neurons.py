"""Checks `neuron.perceptron`, `neuron.svm`, `neuron.logistic`, `neuron.linear-regression`.

The cells In[9]–In[13] of Deel A, on seeded data with the student's default settings (as
the notebook calls fit(xs, ys)). Thresholds come from the reference on the same data, less
a margin, so they stay right when the data or the reference changes.
"""
from __future__ import annotations

import io
from contextlib import redirect_stdout
from typing import Any

from .. import kit
from ..i18n import _
from ..probes.values import decode, failure_reason
from ..results import Check
from .context import Context
from .locate import Fix, with_fixes
from .rubric import is_required, optional_note, weigh

__all__ = ['perceptron', 'svm', 'logistic', 'linear_regression']

def _accuracy(predictions: list[float | None], ys: list[float], threshold: float) -> float:
    hits = sum(p is not None and (p > threshold) == (y > threshold) for p, y in zip(predictions, ys))
    return hits / len(ys)


def _reference(task: dict[str, Any]) -> list[float]:
    kwargs = dict(task['kwargs'])
    for key, module in (('activation', 'activation_functions'), ('loss', 'loss_functions')):
        if key in kwargs:
            kwargs[key] = getattr(kit.reference(module), kwargs[key])
    model = getattr(kit.reference(), task['class'])(**kwargs)
    with redirect_stdout(io.StringIO()):
        model.fit(task['xs'], task['ys'])
    return model.predict(task['xs'])


def _perceptron(task, record):
    """The course asks only that fit(epochs=0) stops once an epoch changes nothing: what it
    prints then (a sentence of its own, or nothing) is the student's choice and not graded."""
    value = record['value']
    predictions = [decode(p) for p in value['predictions']]
    converged = predictions == [float(y) for y in task['ys']]
    repr_ok = value['repr'] == 'Perceptron(dim=2)'
    problems = []
    if not converged:
        wrong = sum(p != y for p, y in zip(predictions, task['ys']))
        problems.append(('converges', 'fit', _('after fit() it still misclassifies {wrong} of {total} linearly '
                                               'separable points (fit with epochs=0 should train until an epoch '
                                               'changes nothing)').format(wrong=wrong, total=len(predictions))))
    if not repr_ok:
        problems.append(('repr', '__repr__', _("repr should be 'Perceptron(dim=2)', found {found}").format(
            found=repr(value['repr']))))
    message = _('Converges and prints as Perceptron(dim=2).')
    return ({'converges': converged, 'repr': repr_ok}, problems, message,
            {'repr': value['repr'], 'printed': record.get('stdout', '')[-500:], 'converged': converged})


def _classifier(threshold, want_repr):
    """The SVM (sign of the output) or logistic regression (output above 0.5)."""
    def judge(task, record):
        value = record['value']
        predictions = [decode(p) for p in value['predictions']]
        accuracy = _accuracy(predictions, task['ys'], threshold)
        reference = _accuracy(_reference(task), task['ys'], threshold)
        needed = min(0.8, reference - 0.05)
        in_range = threshold == 0.0 or all(p is not None and 0.0 <= p <= 1.0 for p in predictions)
        repr_ok = value['repr'] == want_repr
        problems = []
        if accuracy < needed:
            problems.append(('accuracy', 'fit', _('after fit(xs, ys) with your default settings it classifies {accuracy} of the '
                                      'training points correctly; the reference reaches {reference} (needed: '
                                      '{needed})').format(accuracy=f'{accuracy:.0%}', reference=f'{reference:.0%}',
                                                          needed=f'{needed:.0%}')))
        if not in_range:
            problems.append(('probabilities', 'predict', _('with a sigmoid activation every prediction should lie between 0 and 1')))
        if not repr_ok:
            problems.append(('repr', '__repr__', _('repr should be {expected}, found {found}').format(
                expected=repr(want_repr), found=repr(value['repr']))))
        message = _('Classifies {accuracy} of the noisy training data correctly (reference {reference}) '
                    'and prints as expected.').format(accuracy=f'{accuracy:.0%}', reference=f'{reference:.0%}')
        outcomes = {'accuracy': accuracy >= needed, 'repr': repr_ok}
        if threshold != 0.0:            # the SVM's outputs are scores, not probabilities
            outcomes['probabilities'] = in_range
        return (outcomes, problems, message,
                {'accuracy': accuracy, 'reference_accuracy': reference, 'needed': needed, 'repr': value['repr']})
    return judge


def _linear_regression(task, record):
    value = record['value']
    predictions = [decode(p) for p in value['predictions']]
    mse = (sum((p - y) ** 2 for p, y in zip(predictions, task['ys'])) / len(predictions)
           if all(p is not None for p in predictions) else float('inf'))
    reference = sum((p - y) ** 2 for p, y in zip(_reference(task), task['ys'])) / len(task['ys'])
    allowed = max(1.5 * reference, reference + 0.05)
    repr_ok = value['repr'] == 'LinearRegression(dim=2)'
    problems = []
    if not mse <= allowed:
        problems.append(('fit', 'fit', _('after fit(xs, ys) the mean squared error is {mse}; the reference reaches '
                                  '{reference} (allowed: {allowed})').format(mse=f'{mse:.3g}', reference=f'{reference:.3g}',
                                                                            allowed=f'{allowed:.3g}')))
    if not repr_ok:
        problems.append(('repr', '__repr__', _("repr should be 'LinearRegression(dim=2)', found {found}").format(
            found=repr(value['repr']))))
    message = _('Mean squared error {mse} (reference {reference}) and the expected repr.').format(
        mse=f'{mse:.3g}', reference=f'{reference:.3g}')
    return ({'fit': mse <= allowed, 'repr': repr_ok}, problems, message,
            {'mse': mse if mse != float('inf') else None, 'reference_mse': reference, 'repr': value['repr']})


CALLS = {  # check id → (task id, the call the notebook makes, judge, the class)
    'neuron.perceptron': ('neuron:perceptron', 'Perceptron(dim=2).fit(xs, ys)', _perceptron, 'Perceptron'),
    'neuron.svm': ('neuron:svm', 'Neuron(dim=2, loss=hinge).fit(xs, ys)',
                   _classifier(0.0, 'Neuron(dim=2, activation=linear, loss=hinge)'), 'Neuron'),
    'neuron.logistic': ('neuron:logistic', 'Neuron(dim=2, activation=sigmoid, loss=binary_crossentropy).fit(xs, ys)',
                        _classifier(0.5, 'Neuron(dim=2, activation=sigmoid, loss=binary_crossentropy)'), 'Neuron'),
    'neuron.linear-regression': ('neuron:linear-regression', 'LinearRegression(dim=2).fit(xs, ys)',
                                 _linear_regression, 'LinearRegression'),
}


def _judge(ctx: Context, check_id: str) -> Check:
    task_id, call, judge, cls = CALLS[check_id]
    record = ctx.probes.result(task_id)
    if record is None or not record.get('ok'):
        error = dict((record or {}).get('error') or {})
        trace = error.pop('traceback', None)          # names the grader's files: the instructor's
        place = ctx.place(error, cls=cls, method='fit')
        fixes = [Fix(place, '')] if place else []
        return ctx.scored(check_id, 0.0, with_fixes(_('{call} failed: {reason}.').format(
            call=call, reason=failure_reason(record)), fixes),
                          details={'error': error, 'fix': [f.as_dict() for f in fixes]},
                          hidden={'traceback': trace} if trace else {})
    outcomes, problems, message, details = judge(ctx.task(task_id), record)
    fraction, criteria = weigh(ctx, check_id, outcomes)
    details = {**details, 'criteria': criteria}
    notes = [optional_note(text) for key, _m, text in problems if not is_required(ctx, check_id, key)]
    problems = [(method, text) for key, method, text in problems if is_required(ctx, check_id, key)]
    if notes:
        details['notes'] = notes
    if not problems:
        return ctx.scored(check_id, fraction, message, details=details)
    places = {method: ctx.place(cls=cls, method=method) for method, _text in problems}
    fixes = [Fix(place, '') for place in dict.fromkeys(places.values()) if place]
    return ctx.scored(check_id, fraction, with_fixes('; '.join(text for _m, text in problems) + '.', fixes),
                      details={**details, 'fix': [f.as_dict() for f in fixes]})


def perceptron(ctx: Context) -> Check:
    return _judge(ctx, 'neuron.perceptron')


def svm(ctx: Context) -> Check:
    return _judge(ctx, 'neuron.svm')


def logistic(ctx: Context) -> Check:
    return _judge(ctx, 'neuron.logistic')


def linear_regression(ctx: Context) -> Check:
    return _judge(ctx, 'neuron.linear-regression')

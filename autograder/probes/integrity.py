"""Integrity of the probe results: is each record what the probe runner would have sent?

The worker that runs the probes imports the student's module, so student code in that
process can rewrite any record before it leaves. The parent catches breaks of the protocol
(records out of turn, duplicates, a json.dumps that rewrites them: see runner.Parent and
the worker's `emit`); this module checks, in the grader:

* form: every record has the keys and shapes the runner's task functions produce (a
  forged record usually does not; and a malformed one must not crash a check). A record
  out of form is *tampering* with its task: the grader fails the checks that rely on it
  (autograder.checks.probe_failures);
* consistency: values that earn points should follow from other reported values the way the
  course's formulas say: a neuron's predictions from its reported bias and weights; a
  training history that claims a falling loss from the network's parameters before and
  after fit() (evaluated with the reference's forward pass, only when that forward pass
  reproduces the student's own predictions). Values that contradict each other are a bug
  far more often than a forgery (a `predict` that adds the bias once per input): they are
  never called tampering. The check judges the values on its own criteria and names the
  inconsistency in a note (`ProbeRun.inconsistent`). The gradient and update checks compare
  with the reference's backward pass themselves (checks/gradients.py, checks/updates.py).

What a forger can still do is documented in docs/security-model.md.
"""
from __future__ import annotations

import math
from typing import Any

from .. import kit
from ..i18n import _
from .reference import load_parameters, reference_network
from .values import decode, flatten

__all__ = ['validate_records']

_NEURON_RULES = {  # class (and loss) → how a prediction follows from z = b + w·x
    'Perceptron': 'sign', 'LinearRegression': 'value', 'hinge': 'sign', 'binary_crossentropy': 'logistic'}


def validate_records(request: dict[str, Any], run, history_aliases: dict[str, list[str]] | None = None) -> None:
    """Check every task's record; report problems with `run.tamper(task_id, note)`. A record
    not in the runner's form is replaced by a failure, so that no check has to read it.
    history_aliases: other names of the history keys (the settings' module.history_aliases)."""
    record = run.result('import')
    if record is not None and (not isinstance(record.get('ok'), bool) or (
            not record['ok'] and not _is_error(record.get('error'))) or any(
            key in record and not isinstance(record[key], str) for key in ('stdout', 'stderr'))):
        run.records['import'] = {'event': 'result', 'task': 'import', 'ok': False,
                                 'error': {'type': 'Tampered', 'message': _('the import record was malformed')}}
        run.tamper('import', _("import: the record is not the runner's import record"))
    for task in request['tasks']:
        record = run.result(task['id'])
        if record is None:
            continue
        try:
            problem = _form(task, record)
            if problem:
                run.records[task['id']] = {'event': 'result', 'task': task['id'], 'ok': False,
                                           'error': {'type': 'Tampered', 'message': problem}}
            elif record.get('ok'):
                inconsistency = _consistency(task, record['value'], history_aliases or {})
                if inconsistency:
                    run.inconsistency(task['id'], inconsistency)
        except Exception as error:          # a shape the checks below did not foresee
            problem = _('the record cannot be read ({error})').format(error=type(error).__name__)
        if problem:
            run.tamper(task['id'], f"{task['id']}: {problem}")


# --- form ----------------------------------------------------------------------------------
def _is_error(value: Any) -> bool:
    """The runner's error record: {'type', 'message', 'where': [...], 'traceback'} (texts)."""
    return (isinstance(value, dict) and isinstance(value.get('type', ''), str)
            and isinstance(value.get('message', ''), str) and isinstance(value.get('traceback', ''), str)
            and isinstance(value.get('where', []), list) and all(isinstance(w, str) for w in value.get('where', [])))


def _keys(value: Any, keys: tuple[str, ...]) -> str:
    if not isinstance(value, dict):
        return _("its value is a {name}, not the runner's record").format(name=type(value).__name__)
    missing = [k for k in keys if k not in value]
    return _('its value lacks {missing}').format(missing=', '.join(missing)) if missing else ''


def _matrix(value: Any, rows: int, columns: int) -> bool:
    return (isinstance(value, list) and len(value) == rows and
            all(isinstance(r, list) and len(r) == columns for r in value))


def _form(task: dict[str, Any], record: dict[str, Any]) -> str:
    """'' when the record has the runner's form, else what is wrong."""
    for key in ('stdout', 'stderr'):
        if key in record and not isinstance(record[key], str):
            return _('{key} is not text').format(key=key)
    if not record.get('ok'):
        return '' if _is_error(record.get('error', {})) else _("its error is not the runner's error record")
    form = FORMS.get(task['kind'])
    return form(task, record.get('value')) if form else ''


def _form_names(task, value) -> str:
    problem = _keys(value, ('names', 'public'))
    if not problem and not (isinstance(value['names'], dict) and isinstance(value['public'], list)
                            and all(isinstance(v, dict) for v in value['names'].values())):
        problem = _('names and public are not a table and a list')
    return problem


def _form_call(task, value) -> str:
    problem = _keys(value, ('values',))
    if problem:
        return problem
    values = value['values']
    if not isinstance(values, list) or len(values) != len(task['args']):
        return _('it holds {count} values for {calls} calls').format(
            count=len(values) if isinstance(values, list) else 0, calls=len(task['args']))
    if not all(isinstance(v, dict) and ('value' in v or _is_error(v.get('error'))) for v in values):
        return _("its values are not the runner's value-or-error records")
    return ''


def _form_derivative(task, value) -> str:
    problem = _keys(value, ('name', 'default'))
    return problem or ('' if isinstance(value['default'], list) else _('default is not a list'))


def _form_single_neuron(task, value) -> str:
    problem = _keys(value, ('repr', 'predictions', 'state', 'repr_after', 'stage'))
    if not problem and (value['stage'] != 'done' or not isinstance(value['state'], dict)
                        or not isinstance(value['repr'], str)):
        problem = _('its stage, state or repr is not what the runner records')
    return problem


def _form_gradient(task, value) -> str:
    problem = _keys(value, ('gs', 'ls', 'plus', 'minus', 'layer', 'bias', 'weights'))
    n, i = len(task['xs']), len(task['xs'][0])
    if not problem and not (_matrix(value['plus'], n, i) and _matrix(value['minus'], n, i)):
        problem = _('the losses at x ± h are not {n} × {i}').format(n=n, i=i)
    return problem


def _form_update(task, value) -> str:
    problem = _keys(value, ('before', 'after', 'finite'))
    if problem:
        return problem
    for part in ('before', 'after', 'finite'):
        entries = value[part]
        if not isinstance(entries, dict) or any(
                not isinstance(entries.get(str(p)), dict) or
                any(k not in entries[str(p)] for k in ('bias', 'weights'))
                for p in task['dense_positions']):
            return _('{part} does not hold bias and weights of every DenseLayer').format(part=part)
    return ''


def _form_layers_api(task, value) -> str:
    return '' if isinstance(value, dict) else _("its value is not the runner's record")


def _form_training(task, value) -> str:
    return _keys(value, ('initial', 'fitted', 'history', 'data_unchanged', 'predictions', 'evaluate',
                         'ls', 'partial_fit', 'second_history'))


FORMS = {'names': _form_names, 'call': _form_call, 'derivative': _form_derivative,
         'single_neuron': _form_single_neuron, 'gradient': _form_gradient, 'update': _form_update,
         'layers_api': _form_layers_api, 'training': _form_training}   # task kind → its record's form


# --- consistency -----------------------------------------------------------------------------
def _consistency(task: dict[str, Any], value: dict[str, Any], history_aliases: dict[str, list[str]]) -> str:
    if task['kind'] == 'single_neuron':
        return _neuron(task, value)
    if task['kind'] == 'training':
        return _training(task, value, history_aliases.get('loss', []))
    return ''


def _numbers(value: Any, count: int | None = None) -> list[float] | None:
    if not isinstance(value, list):
        return None
    numbers = [decode(v) for v in value]
    if any(v is None or not math.isfinite(v) for v in numbers) or (count is not None and len(numbers) != count):
        return None
    return numbers


def _neuron(task: dict[str, Any], value: dict[str, Any]) -> str:
    """The predictions should be those of the reported bias and weights (when reported); if not,
    which formula they follow, when it is one of the usual slips."""
    state = value['state']
    bias = decode(state.get('bias'))
    weights = _numbers(state.get('weights'), len(task['xs'][0]))
    predictions = [decode(p) for p in value['predictions']] if isinstance(value['predictions'], list) else None
    if bias is None or not math.isfinite(bias) or weights is None or predictions is None:
        return ''      # no usable parameters reported (other attribute names): nothing to compare
    if len(predictions) != len(task['xs']):
        return ''      # the check reports a wrong number of predictions itself
    rule = _NEURON_RULES.get(task['class']) or _NEURON_RULES.get(task.get('kwargs', {}).get('loss', ''), '')
    if not rule:
        return ''
    wrong = _disagreements(rule, task['xs'], predictions, bias, weights)
    if not wrong:
        return ''
    for formula, b in (('b·dim + w·x', bias * len(task['xs'][0])), ('w·x', 0.0)):
        if not _disagreements(rule, task['xs'], predictions, b, weights):
            return _('predict uses {found} instead of b + w·x (with the bias and weights the model reports)').format(
                found=formula)
    what = {'sign': _('the sign of b + w·x'), 'value': 'b + w·x', 'logistic': 'σ(b + w·x) > 0.5'}[rule]
    return (_("the predictions do not follow from the model's own bias and weights ({what} differs at {wrong} of "
              "{predictions} points)").format(what=what, wrong=wrong, predictions=len(predictions)))


def _disagreements(rule: str, xs: list[list[float]], predictions: list[float | None], bias: float,
                   weights: list[float]) -> int:
    """How many predictions do not follow from z = bias + weights·x by the rule (a tie on the
    boundary may take any one fixed answer)."""
    wrong, ties = 0, set()
    for x, p in zip(xs, predictions):
        z = bias + sum(w * xi for w, xi in zip(weights, x))
        scale = abs(bias) + sum(abs(w * xi) for w, xi in zip(weights, x))
        if p is None or math.isnan(p):
            continue            # not a number: the check marks it wrong anyway
        if rule == 'value':
            wrong += not math.isclose(p, z, rel_tol=1e-6, abs_tol=1e-9 * max(1.0, scale))
        elif abs(z) <= 1e-9 * max(1.0, scale):
            ties.add(p)         # on the boundary: any fixed answer will do, but one answer
        elif rule == 'sign':
            wrong += (p > 0) != (z > 0) or p == 0
        else:
            wrong += (p > 0.5) != (z > 0)
    return wrong + max(0, len(ties) - 1)


def _training(task: dict[str, Any], value: dict[str, Any], loss_aliases: list[str]) -> str:
    """A history claiming a falling loss must come with parameters that lower the loss."""
    if kit.INSTALLED:
        return ''           # the student kit has no reference network to replay the parameters in
    history = value.get('history')
    entries = history['dict'] if isinstance(history, dict) and isinstance(history.get('dict'), dict) else {}
    key = next((k for k in ('loss', *loss_aliases) if k in entries), 'loss')
    loss = flatten(entries.get(key, []))
    claims_fall = (len(loss) >= 2 and all(v is not None and math.isfinite(v) for v in loss)
                   and loss[-1] < 0.8 * loss[0])
    if not claims_fall:
        return ''
    nets = {}
    for key in ('initial', 'fitted'):
        params = value[key]
        if not isinstance(params, dict):
            return _("{key} is not the runner's record of the parameters").format(key=key)
        net = reference_network(task['network'])
        layers = list(net)
        positions = [p for p, layer in enumerate(layers) if hasattr(layer, 'weights')]
        if sorted(params, key=str) != sorted(map(str, positions), key=str):
            return ''          # other attribute names: nothing to compare
        for p in positions:
            entry = params[str(p)]
            if not isinstance(entry, dict) or not load_parameters(layers[p], entry.get('bias'), entry.get('weights')):
                return ''
        nets[key] = net
    predicted = value.get('predictions')
    ours = nets['fitted'].predict([list(x) for x in task['val_xs']])
    theirs = flatten(predicted) if isinstance(predicted, list) else []
    mine = [v for row in ours for v in row]
    if len(theirs) != len(mine) or any(t is None or not math.isclose(t, m, rel_tol=1e-6, abs_tol=1e-9)
                                       for t, m in zip(theirs, mine)):
        return ''              # a forward pass unlike the reference's: the checks judge it as it is
    before = _mean_loss(nets['initial'], task['xs'], task['ys'])
    after = _mean_loss(nets['fitted'], task['xs'], task['ys'])
    if not after < 0.95 * before:
        return (_("the history claims the training loss fell from {first} to {last}, but the network's parameters "
                   "after fit() give {after} against {before} before").format(
                    first=f'{loss[0]:.3g}', last=f'{loss[-1]:.3g}', after=f'{after:.3g}', before=f'{before:.3g}'))
    return ''


def _mean_loss(net, xs, ys) -> float:
    _yhats, ls, _gs = net([list(x) for x in xs], ys, None)
    return sum(ls) / len(ls)

"""Check `layers.api`: the layer classes exist under the course's names and behave as a chain.

Sub-checks, weighed by the assignment's rubric (none at all when no layer can be built:
names alone earn nothing; an optional one, such as `__len__`/`__iter__`, is a note worth 0): the five classes under their names (a known alias such as
`Dense` is graded for function elsewhere but loses this point), default names
`<Class>_<n>` counted per class, explicit names, the InputLayer repr, a chain repr that
shows every layer (a known defect stops after the first activation layer), len / iter /
indexing by position and by name, `+` copying its operands, DenseLayer shapes and
Xavier-uniform initialisation, and ActivationLayer passing keyword arguments on.
"""
from __future__ import annotations

import math
import re
from typing import Any

from .. import kit
from ..i18n import N_, _
from ..probes.values import decode, error_text, failure_reason
from ..results import Check
from ..results.student_text import shown
from ..settings.schema import LAYER_CLASSES
from .context import Context
from .locate import Fix, with_fixes
from .rubric import is_required, optional_note, weigh

__all__ = ['judge']

INPUT_REPR = re.compile(r"InputLayer\((num_)?outputs=2, name='InputLayer_\d+'\)")
UNNAMED_INPUT_REPR = re.compile(r"InputLayer\((num_)?outputs=2, name=None\)")


# What each sub-check is called in the report, and where in the module it is made.
# (Its criterion in the rubric: CRITERION; 'class X' is 'class-X'.)
ITEMS = {
    'default names': (N_('default names'), 'DenseLayer', '__init__'),
    'explicit names': (N_('explicit names'), 'DenseLayer', '__init__'),
    'InputLayer repr': (N_('InputLayer repr'), 'InputLayer', '__repr__'),
    'chain repr': (N_('chain repr'), 'InputLayer', '__repr__'),
    'len()': ('len()', 'InputLayer', '__len__'),
    'iteration': (N_('iteration'), 'InputLayer', '__iter__'),
    'indexing by position': (N_('indexing by position'), 'InputLayer', '__getitem__'),
    'indexing by name': (N_('indexing by name'), 'InputLayer', '__getitem__'),
    '+ copies': (N_('+ copies'), 'InputLayer', '__add__'),
    'DenseLayer shapes': (N_('DenseLayer shapes'), 'DenseLayer', 'set_inputs'),
    'Xavier initialisation': (N_('Xavier initialisation'), 'DenseLayer', 'set_inputs'),
    'ActivationLayer keyword arguments': (N_('ActivationLayer keyword arguments'), 'ActivationLayer', '__call__'),
    'building layers': (N_('building layers'), None, None),
}


CRITERION = {'default names': 'default-names', 'explicit names': 'explicit-names', 'InputLayer repr': 'input-repr',
             'chain repr': 'chain-repr', 'len()': 'len', 'iteration': 'iter',
             'indexing by position': 'index-position', 'indexing by name': 'index-name',
             '+ copies': 'plus-copies', 'DenseLayer shapes': 'dense-shapes', 'Xavier initialisation': 'xavier',
             'ActivationLayer keyword arguments': 'activation-kwargs'}


def _criterion(what: str) -> str | None:
    return f"class-{what.removeprefix('class ')}" if what.startswith('class ') else CRITERION.get(what)


def _failed(value: Any) -> str | None:
    if isinstance(value, dict) and 'error' in value:
        return failure_reason({'error': value['error']}) if isinstance(value['error'], dict) else error_text(None)
    return None


def _found(value: Any) -> str:
    """A probed value as the student reads it: the error it raised, or the value."""
    return _failed(value) or shown(value)


def judge(ctx: Context) -> Check:
    run, task = ctx.probes, ctx.task('layers_api')
    names = run.result('names')
    found = names['value']['names'] if names and names.get('ok') else {}
    results: list[tuple[str, bool, str]] = []      # (what, ok, problem)
    fixes: list[Fix] = []

    def sub(what: str, ok: bool, problem: str = '', error: dict | None = None) -> None:
        results.append((what, bool(ok), '' if ok else problem))
        key = _criterion(what)
        if not ok and key and not is_required(ctx, 'layers.api', key):
            return                                   # an optional criterion: a note, nothing to fix
        if not ok and what in ITEMS:
            label, cls, method = ITEMS[what]
            place = ctx.place(error, cls=cls, method=method) if cls or error else None
            if place:
                fixes.append(Fix(place, _(label)))

    for cls in LAYER_CLASSES:
        entry = found.get(cls, {})
        if entry.get('via') == cls:
            sub(f'class {cls}', True)
        elif entry.get('found'):
            sub(f'class {cls}', False, _("the class is named '{found}' instead of '{name}'").format(
                found=entry['via'], name=cls))
            place = ctx.locator.definition(entry['via'])
            if place:
                fixes.append(Fix(place, _("rename the class to '{name}'").format(name=cls)))
        else:
            sub(f'class {cls}', False, _("the module has no class '{name}'").format(name=cls))

    record = run.result('layers_api')
    if record is None or not record.get('ok'):
        reason = failure_reason(record)
        cell = _classifier_cell(ctx.notebook)
        sub('building layers', False, (_('building the layers of the classifier of cell {index} failed: {reason}')
                                       if cell is not None else
                                       _("building the layers of the notebook's fractal classifier failed: {reason}")
                                       ).format(index=cell, reason=reason),
            error=(record or {}).get('error'))
        value: dict[str, Any] = {}
    else:
        value = record['value']
    spec = task['network']
    n_layers = len(spec)

    def get(key):
        item = value.get(key)
        return None if item is None or _failed(item) else item

    default = get('default_names')
    if default is not None:
        m = [re.fullmatch(r'(\w+)_(\d+)', str(n) if n else '') for n in default]
        ok = (all(m) and m[0].group(1) == 'DenseLayer' and m[2].group(1) == 'ActivationLayer'
              and m[3].group(1) == 'InputLayer' and int(m[1].group(2)) == int(m[0].group(2)) + 1)
        sub('default names', ok, _("default names should be '<ClassName>_<n>', counted per class "
                                   '(two new DenseLayers, an ActivationLayer, an InputLayer gave {found})').format(
            found=default))
    elif value:
        sub('default names', False, _('reading layer.name failed: {error}').format(
            error=_failed(value.get('default_names'))))
    if value:
        sub('explicit names', get('explicit_name') == 'hidden1',
            _("DenseLayer(3, name='hidden1').name should be 'hidden1', found {found}").format(
                found=repr(value.get('explicit_name'))))
        # Layers without a default name are charged once, in 'default names': the repr may show
        # name=None, and indexing by name is judged on names the grader gives.
        names_lost = isinstance(default, list) and None in default
        input_repr = get('input_repr')
        sub('InputLayer repr', isinstance(input_repr, str) and (INPUT_REPR.fullmatch(input_repr) or names_lost and
                                                                 UNNAMED_INPUT_REPR.fullmatch(input_repr)),
            _("repr(InputLayer(2)) should read InputLayer(outputs=2, name='InputLayer_1') "
              '(the seed: num_outputs=2), found {found}').format(found=repr(input_repr)))
        chain_repr, layer_names = get('chain_repr'), get('names')
        ok = (isinstance(chain_repr, str) and isinstance(layer_names, list) and len(layer_names) == n_layers
              and _in_order(chain_repr, layer_names))
        sub('chain repr', ok, _('the repr of a chain should show every layer joined by " + " ({count} layers), '
                                'found {found}').format(count=n_layers, found=repr(chain_repr)[:300]))
        sub('len()', get('len') == n_layers, _('len(model) should be {count}, found {found}').format(
            count=n_layers, found=_found(value.get('len'))))
        sub('iteration', get('iter') == layer_names, _('iterating over a model should give its layers in order'))
        sub('indexing by position', get('index_int') == layer_names,
            _('model[i] should give the i-th layer'))
        sub('indexing by name', get('index_name') == layer_names or names_lost and
            get('index_name_given') == ['first', 'second'],
            _("model['name'] should give the layer of that name"))
        plus = get('plus') or {}
        sub('+ copies', plus.get('head_next_is_none') and plus.get('result_is_new') and not plus.get('tail_reused'),
            _('a + b should deep-copy both and return a new chain, leaving a and b unchanged'))
        shapes = get('shapes') or []
        dense = [(s, spec[i]) for i, s in enumerate(shapes) if spec[i]['class'] == 'DenseLayer']
        ok = bool(dense) and all(s['weights'] == [item['args'][0], s['inputs']] and s['bias'] == item['args'][0]
                                 for s, item in dense)
        sub('DenseLayer shapes', ok, _('a DenseLayer should hold bias[o] and weights[o][i] '
                                       '(outputs × inputs) once it is chained'))
        xavier = get('xavier')
        n_in, n_out = task['xavier']
        limit = math.sqrt(6 / (n_in + n_out))
        ok = (isinstance(xavier, dict) and xavier['count'] == n_in * n_out and
              -limit <= xavier['min'] and xavier['max'] <= limit and
              xavier['max'] > 0.9 * limit and xavier['min'] < -0.9 * limit and
              all(decode(b) == 0.0 for b in xavier.get('bias') or [None]))
        sub('Xavier initialisation', ok, _('weights should start uniform in ±√(6/(nᵢ+nₒ)) = ±{limit} '
                                           'and biases at 0 ({inputs}→{outputs}), found {found}').format(
            limit=f'{limit:.4f}', inputs=n_in, outputs=n_out, found=xavier))
    functions = kit.reference('activation_functions')   # None in the student kit (the reference's values)
    if value and functions is not None:
        got = get('activation_kwargs')
        phi = getattr(functions, task['kwargs_activation'])
        want = [[phi(x, **task['kwargs']) for x in task['kwargs_inputs']]]
        ok = isinstance(got, list) and len(got) == 1 and all(
            decode(a) is not None and math.isclose(decode(a), b, rel_tol=1e-6, abs_tol=1e-9)
            for a, b in zip(got[0], want[0]))
        sub('ActivationLayer keyword arguments', ok,
            _('ActivationLayer(3, activation={activation}, beta={beta}) should pass beta on to its activation: '
              'expected {expected}, found {found}').format(activation=task['kwargs_activation'],
                                                           beta=task['kwargs']['beta'], expected=want,
                                                           found=_found(value.get('activation_kwargs'))))

    built = bool(value) and not all(_failed(item) for item in value.values())
    return _scored(ctx, results, fixes, built=built)


def _scored(ctx: Context, results: list[tuple[str, bool, str]], fixes: list[Fix], *, built: bool) -> Check:
    """The sub-checks weighed by the rubric; an optional one that failed is a note."""
    outcomes = {_criterion(w): ok for w, ok, _p in results if _criterion(w)}
    fraction, criteria = weigh(ctx, 'layers.api', outcomes)
    if not built:        # nothing could be built: correct names alone earn nothing
        fraction = 0.0
    optional = {w for w, _ok, _p in results if _criterion(w) and not is_required(ctx, 'layers.api', _criterion(w))}
    problems = [p for w, ok, p in results if not ok and w not in optional]
    notes = [optional_note(p) for w, ok, p in results if not ok and w in optional]
    message = (_('Classes, names, chaining, indexing, reprs and initialisation all as the course prescribes.')
               if not problems else with_fixes('; '.join(problems) + '.', fixes))
    details = {'items': [{'key': w, 'what': _label(w), 'ok': ok, 'problem': p,
                          **({'optional': True} if w in optional else {})} for w, ok, p in results],
               'criteria': criteria, 'fix': [f.as_dict() for f in fixes]}
    if notes:
        details['notes'] = notes
    return ctx.scored('layers.api', fraction, message, details=details)


def _classifier_cell(notebook: Any) -> int | None:
    """The cell that builds the fractal classifier the probes build (the seed's In[12]),
    numbered as the report numbers cells; None without a readable notebook."""
    for index, cell in enumerate(getattr(notebook, 'cells', None) or []):
        source = cell.get('source', '') if isinstance(cell, dict) else ''
        if cell.get('cell_type') == 'code' and 'fractal(' in source and 'InputLayer(2)' in source:
            return index
    return None


def _label(key: str) -> str:
    """A sub-check's name in the current language ('class DenseLayer' names a class)."""
    if key.startswith('class '):
        return _('class {name}').format(name=key.removeprefix('class '))
    return _(ITEMS[key][0]) if key in ITEMS else key


def _in_order(text: str, names: list[Any]) -> bool:
    position = 0
    for name in names:
        position = text.find(str(name), position)
        if position < 0:
            return False
        position += len(str(name))
    return True

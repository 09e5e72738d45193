"""The probe tasks: each runs the student's code on the grader's data and returns raw values
(the grader judges them). TASKS maps a task's kind to its function(task, resolve, module)."""
import copy
import inspect
import time

from .calls import call_layer, invoke, method_of, note
from .standins import STANDINS
from .portable import set_timer
from .encoding import MAX_TEXT, HarnessError, ProbeTimeout, describe_error, encode

__all__ = ['TASKS']


def task_names(task, resolve, module):
    found = {}
    for name in task['names']:
        entry = {'found': False}
        via, value = resolve.lookup(name)
        if value is not None:
            entry = {'found': True, 'via': via, 'kind': 'class' if inspect.isclass(value)
                     else 'function' if callable(value) else type(value).__name__}
            try:
                entry['signature'] = str(inspect.signature(value))
            except (TypeError, ValueError):
                pass
        found[name] = entry
    return {'names': found, 'public': module.public_names()[:500]}


def _call_each(function, calls, per_call):
    values = []
    for args, kwargs in calls:
        set_timer(per_call)
        try:
            values.append({'value': encode(function(*args, **kwargs))})
        except ProbeTimeout:
            values.append({'error': {'type': 'Timeout', 'message': f'no answer within {per_call} s'}})
        except Exception as error:
            values.append({'error': describe_error(error)})
        finally:
            set_timer(0)
    return values


def task_call(task, resolve, module):
    """A function at many points: [{'value': v} | {'error': e}] per call, each with a time limit."""
    function = resolve(task['function'])
    calls = [(args, task.get('kwargs', {})) for args in task['args']]
    return {'name': getattr(function, '__name__', None), 'values': _call_each(function, calls, task.get('per_call', 2.0))}


def cube(x, *args):
    return x * x * x


def scaled_square(x, c):
    return c * x * x


def task_derivative(task, resolve, module):
    derivative = resolve('derivative')
    result = {}
    d = derivative(cube)
    result['name'] = encode(getattr(d, '__name__', None))
    result['default'] = [v.get('value') if 'value' in v else v for v in
                         _call_each(d, [((x,), {}) for x in task['points']], 2.0)]
    try:
        fine = derivative(cube, delta=1e-4)
        result['delta'] = [v.get('value') if 'value' in v else v for v in
                           _call_each(fine, [((x,), {}) for x in task['points']], 2.0)]
    except Exception as error:
        result['delta_error'] = describe_error(error)
    try:
        d2 = derivative(scaled_square)
        result['args'] = [v.get('value') if 'value' in v else v for v in
                          _call_each(d2, [((x, 3.0), {}) for x in task['points']], 2.0)]
    except Exception as error:
        result['args_error'] = describe_error(error)
    return result


def _model_state(model, resolve):
    state = {}
    for attribute in ('bias', 'weights'):
        _, value = resolve.attribute(model, attribute)
        if value is not None:
            state[attribute] = encode(value)
    return state


def function_of(resolve, name):
    """The student's function `name` for building a model; the course's formula in its place
    when the module lacks it (noted: the function tables charge the missing function)."""
    try:
        return resolve(name)
    except HarnessError as error:
        if error.code != 'missing-name' or name not in STANDINS:
            raise
    note('standin', name=name)
    return STANDINS[name]


def _with_functions(kwargs, resolve):
    kwargs = dict(kwargs)
    for key in ('activation', 'loss'):
        if key in kwargs:
            kwargs[key] = function_of(resolve, kwargs[key])
    return kwargs


def task_single_neuron(task, resolve, module):
    """Perceptron / LinearRegression / Neuron: construct, fit, predict, repr."""
    cls = resolve(task['class'])
    kwargs = _with_functions(task.get('kwargs', {}), resolve)
    result = {'stage': 'construct'}
    model = invoke(cls, task['class'], **kwargs)
    result['repr'] = repr(model)[:MAX_TEXT]
    xs, ys = task['xs'], task['ys']
    result['stage'] = 'fit'
    invoke(method_of(model, 'fit'), 'fit', [list(x) for x in xs], list(ys), **task.get('fit_kwargs', {}))
    result['stage'] = 'predict'
    result['predictions'] = encode(invoke(method_of(model, 'predict'), 'predict', [list(x) for x in xs]))
    result['state'] = _model_state(model, resolve)
    result['repr_after'] = repr(model)[:MAX_TEXT]
    result['stage'] = 'done'
    return result


def build(spec, resolve):
    """A chain of layers from a spec [{'class', 'args', 'kwargs'}], built with `+`."""
    layers = []
    for item in spec:
        kwargs = _with_functions(item.get('kwargs', {}), resolve)
        layers.append(invoke(resolve(item['class']), item['class'], *item.get('args', []), **kwargs))
    net = layers[0]
    for layer in layers[1:]:
        net = net + layer
    return net


def _losses(layer, xs, ys):
    _, ls, _ = call_layer(layer, xs, ys)
    return [float(v) for v in ls]


def task_gradient(task, resolve, module):
    """gs returned by one layer, and the losses at ±h around every input, for central FD."""
    spec = task['network']
    net = build(spec, resolve)
    position, h = task['position'], task['h']
    xs, ys = task['xs'], task['ys']
    probe = copy.deepcopy(net)
    layer = resolve.layer_at(net, position, spec)
    under_test = resolve.layer_at(probe, position, spec)
    params = _parameters(layer, resolve)
    plus, minus = [], []
    for n in range(len(xs)):
        row_plus, row_minus = [], []
        for i in range(len(xs[n])):
            shifted = copy.deepcopy(xs)
            shifted[n][i] += h
            row_plus.append(_losses(under_test, shifted, ys)[n])
            shifted[n][i] -= 2 * h
            row_minus.append(_losses(under_test, shifted, ys)[n])
        plus.append(row_plus)
        minus.append(row_minus)
    _, ls, gs = call_layer(layer, copy.deepcopy(xs), ys, task['alpha'])
    return {'gs': encode(gs), 'ls': encode(ls), 'plus': plus, 'minus': minus,
            'layer': type(layer).__name__, 'bias': encode(params[0]), 'weights': encode(params[1])}


def _parameters(layer, resolve):
    """Copies of the layer's bias and weights (under the course's names or an alias)."""
    return (copy.deepcopy(resolve.attribute(layer, 'bias')[1]),
            copy.deepcopy(resolve.attribute(layer, 'weights')[1]))


def task_update(task, resolve, module):
    """Every DenseLayer's parameters before and after one call with alpha, and the total
    loss at ±h around each parameter (on copies taken before the update), for central FD."""
    spec = task['network']
    net = build(spec, resolve)
    h, xs, ys = task['h'], task['xs'], task['ys']
    positions = task['dense_positions']
    before = {p: _parameters(resolve.layer_at(net, p, spec), resolve) for p in positions}

    def total_loss_shifted(p, attribute, o, i, shift):
        probe = copy.deepcopy(net)
        _, params = resolve.attribute(resolve.layer_at(probe, p, spec), attribute)
        if i is None:
            params[o] += shift
        else:
            params[o][i] += shift
        return sum(_losses(probe, xs, ys))

    finite = {}
    for p in positions:
        bias, weights = before[p]
        if bias is None or weights is None:
            raise HarnessError('no-parameters', position=p, bias=', '.join(resolve.names_of('bias')),
                               weights=', '.join(resolve.names_of('weights')))
        finite[str(p)] = {
            'bias': [[total_loss_shifted(p, 'bias', o, None, shift) for shift in (h, -h)]
                     for o in range(len(bias))],
            'weights': [[[total_loss_shifted(p, 'weights', o, i, shift) for shift in (h, -h)]
                         for i in range(len(weights[o]))] for o in range(len(weights))],
        }
    call_layer(net, copy.deepcopy(xs), ys, task['alpha'])
    after = {p: _parameters(resolve.layer_at(net, p, spec), resolve) for p in positions}
    return {
        'before': {str(p): {'bias': encode(b), 'weights': encode(w)} for p, (b, w) in before.items()},
        'after': {str(p): {'bias': encode(b), 'weights': encode(w)} for p, (b, w) in after.items()},
        'finite': finite,
    }


def task_layers_api(task, resolve, module):
    """Naming, chaining, indexing, reprs and initialisation of the student's layers."""
    result = {}

    def attempt(key, function):
        try:
            result[key] = function()
        except ProbeTimeout:
            raise
        except Exception as error:
            result[key] = {'error': describe_error(error)}

    def make(name, /, *args, **kwargs):      # a class the module lacks fails only what needs it
        return invoke(resolve(name), name, *args, **kwargs)

    attempt('default_names', lambda: [make('DenseLayer', 3).name, make('DenseLayer', 3).name,
                                      make('ActivationLayer', 3).name, make('InputLayer', 2).name])
    attempt('explicit_name', lambda: make('DenseLayer', 3, name='hidden1').name)
    attempt('input_repr', lambda: repr(make('InputLayer', 2)))
    def index_given_names():      # indexing by name, on names given: apart from the default names
        chain = make('InputLayer', 2, name='first') + make('DenseLayer', 3, name='second')
        return [chain['first'].name, chain['second'].name]
    attempt('index_name_given', index_given_names)
    spec = task['network']
    try:           # a class the chain needs may be missing: the checks of single layers go on
        net = build(spec, resolve)
        layers = resolve.layers(net, spec)
    except ProbeTimeout:
        raise
    except Exception as error:
        result['chain_error'] = {'error': describe_error(error)}
    else:
        attempt('chain_repr', lambda: repr(net))
        attempt('names', lambda: [layer.name for layer in layers])
        attempt('len', lambda: len(net))
        attempt('iter', lambda: [getattr(layer, 'name', None) for layer in net])
        attempt('index_int', lambda: [net[i].name for i in range(len(layers))])
        attempt('index_name', lambda: [net[layer.name].name for layer in layers])
        attempt('shapes', lambda: [_shape(layer, resolve) for layer in layers])

    def plus_copies():
        head, tail = make('InputLayer', 2), make('DenseLayer', 3)
        chained = head + tail
        after_head = resolve.layers(head)
        return {'head_next_is_none': len(after_head) == 1, 'result_is_new': chained is not head,
                'tail_reused': any(layer is tail for layer in resolve.layers(chained))}
    attempt('plus', plus_copies)

    def iadd():
        head = make('InputLayer', 2)
        original = head
        head += make('DenseLayer', 3)
        return {'same_object': head is original, 'length': len(resolve.layers(head))}
    attempt('iadd', iadd)

    def xavier():
        wide_spec = [{'class': 'InputLayer'}, {'class': 'DenseLayer'}]
        wide = make('InputLayer', task['xavier'][0]) + make('DenseLayer', task['xavier'][1])
        bias, weights = _parameters(resolve.layer_at(wide, 1, wide_spec), resolve)
        weights = [w for row in weights for w in row]
        return {'min': min(weights), 'max': max(weights), 'count': len(weights),
                'bias': encode(bias)}
    attempt('xavier', xavier)

    def kwargs():
        chain = make('InputLayer', 3) + make('ActivationLayer', 3, activation=function_of(resolve, task['kwargs_activation']),
                                             **task['kwargs'])
        return encode(call_layer(chain, [list(task['kwargs_inputs'])])[0])
    attempt('activation_kwargs', kwargs)
    return result


def _shape(layer, resolve):
    bias, weights = _parameters(layer, resolve)
    return {'class': type(layer).__name__, 'inputs': encode(resolve.attribute(layer, 'inputs')[1]),
            'outputs': encode(resolve.attribute(layer, 'outputs')[1]),
            'weights': [len(weights), len(weights[0]) if weights else 0] if weights else None,
            'bias': len(bias) if bias is not None else None}


def _dense_parameters(net, resolve, spec):
    """{position: {'bias', 'weights'}} of every layer with weights (a list of rows)."""
    found = {}
    for position, layer in enumerate(resolve.layers(net, spec)):
        bias, weights = _parameters(layer, resolve)
        if isinstance(weights, list):
            found[str(position)] = {'bias': encode(bias), 'weights': encode(weights)}
    return found


def task_training(task, resolve, module):
    """fit / predict / evaluate / partial_fit on a small problem."""
    spec = task['network']
    net = build(spec, resolve)
    xs, ys = task['xs'], task['ys']
    vxs, vys = task['val_xs'], task['val_ys']
    xs_copy, ys_copy = copy.deepcopy(xs), copy.deepcopy(ys)
    result = {'initial': _dense_parameters(net, resolve, spec)}
    start = time.perf_counter()
    history = invoke(method_of(net, 'fit'), 'fit', xs, ys, validation_data=(vxs, vys), **task['fit_kwargs'])
    result['fit_seconds'] = time.perf_counter() - start
    result['fitted'] = _dense_parameters(net, resolve, spec)     # for the grader's cross-check of the history
    result['history'] = encode(history)
    result['data_unchanged'] = xs == xs_copy and ys == ys_copy
    result['predictions'] = encode(invoke(method_of(net, 'predict'), 'predict', vxs))
    result['evaluate'] = encode(invoke(method_of(net, 'evaluate'), 'evaluate', vxs, vys))
    _, ls, _ = call_layer(net, vxs, vys)
    result['ls'] = encode(ls)
    result['partial_fit'] = encode(invoke(method_of(net, 'partial_fit'), 'partial_fit', xs, ys,
                                          **task['partial_fit_kwargs']))
    result['partial_fitted'] = _dense_parameters(net, resolve, spec)   # did the epoch train?
    second = invoke(method_of(net, 'fit'), 'fit', xs, ys, validation_data=(vxs, vys),
                    **dict(task['fit_kwargs'], epochs=1))
    result['second_history'] = encode(second)
    return result


TASKS = {
    'names': task_names, 'call': task_call, 'derivative': task_derivative,
    'single_neuron': task_single_neuron, 'gradient': task_gradient, 'update': task_update,
    'layers_api': task_layers_api, 'training': task_training,
}

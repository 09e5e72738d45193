"""Probe runner: executed in the student's (sandboxed) process tree, standard library only.

    python runner.py CHANNEL_FD < request.json

Two roles. The *parent* never imports student code: it holds the grader's result channel
and a per-run token, makes itself non-dumpable, and starts a *worker* (`--worker`) that
imports the student's module and runs the tasks, reporting raw values over its own pipe.
The parent validates every line, forwards genuine results with the token, and when a
worker crashes or hangs it records that for the task at hand and starts a fresh worker for
the rest, so one segfault or os._exit does not lose the other probes. Every judgement is
made by the grader; student code's prints are captured per task.
"""
import copy
import importlib
import inspect
import io
import json
import math
import os
import pkgutil
import random
import signal
import sys
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout



def _beside(file_name):
    """A module file copied beside this one, loaded under a name no student file can shadow."""
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), file_name)
    spec = importlib.util.spec_from_file_location('_vlgrader_' + file_name[:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


layers_of = _beside('chain.py').layers_of

MAX_TEXT = 4000
SUBMODULES = ('activation_functions', 'loss_functions', 'layers', 'model', 'neurons',
              'neuron', 'functions', 'activations', 'losses')


class ProbeTimeout(BaseException):
    """Raised by the interval timer; a BaseException so `except Exception` can't swallow it."""


def _on_alarm(signum, frame):
    raise ProbeTimeout()


# --- encoding of raw values ------------------------------------------------------------
def encode(value, depth=0):
    """A JSON-safe rendering of what student code returned, keeping -0.0, nan and inf."""
    if value is None or isinstance(value, (bool, str)):
        return value if not isinstance(value, str) else value[:MAX_TEXT]
    if isinstance(value, int):
        return value if abs(value) < 2 ** 63 else {'float': float(value)}
    if isinstance(value, float):
        return value if math.isfinite(value) else {'float': repr(value)}
    if depth < 3 and isinstance(value, (list, tuple)):
        return [encode(v, depth + 1) for v in value[:10000]]
    if depth < 2 and isinstance(value, dict):
        return {'dict': {str(k)[:200]: encode(v, depth + 1) for k, v in list(value.items())[:50]}}
    try:
        number = float(value)            # numpy scalars and the like
        return {'float': repr(number), 'type': type(value).__name__}
    except Exception:
        return {'repr': repr(value)[:200], 'type': type(value).__name__}


GRADER_FILES = {os.path.abspath(__file__), os.path.abspath(layers_of.__code__.co_filename)}


class HarnessError(Exception):
    """The grader could not use the module the way the course's API offers (a name, a
    signature, a way to reach the layers); the message says what it tried and expected."""


def describe_error(error):
    """The error as the student should read it: where in *their* files it was raised. An error
    raised by the grader's own code (a call their signature does not take, an attribute the
    harness looked for) is marked 'harness' and carries no grader location."""
    tb = traceback.extract_tb(error.__traceback__)
    own = [f for f in tb if os.path.abspath(f.filename) not in GRADER_FILES]
    record = {
        'type': type(error).__name__,
        'message': str(error)[:MAX_TEXT],
        'where': [f'{os.path.basename(f.filename)}:{f.lineno} in {f.name}' for f in own[-4:]],
        'traceback': ''.join(traceback.format_exception(error))[-MAX_TEXT:],
    }
    if isinstance(error, HarnessError) or not tb or os.path.abspath(tb[-1].filename) in GRADER_FILES:
        record['harness'] = True
    return record


# --- the student's module ----------------------------------------------------------------
class Module:
    """Name lookup across the student's module: a flat model.py or a package and its parts."""

    def __init__(self, kind, package_name):
        self.kind = kind
        self.namespaces = []
        root = importlib.import_module('model' if kind == 'flat' else package_name)
        self.root = root
        self.namespaces.append(root)
        if kind == 'package':
            names = list(SUBMODULES)
            for info in pkgutil.iter_modules(getattr(root, '__path__', [])):
                if info.name not in names and info.name != 'data':
                    names.append(info.name)
            self.submodule_errors = {}
            for name in names:
                try:
                    self.namespaces.append(importlib.import_module(f'{package_name}.{name}'))
                except ModuleNotFoundError as error:
                    if error.name != f'{package_name}.{name}':
                        self.submodule_errors[name] = describe_error(error)
                except Exception as error:
                    self.submodule_errors[name] = describe_error(error)

    def find(self, name):
        for namespace in self.namespaces:
            value = getattr(namespace, name, None)
            if value is not None:
                return value
        return None

    def public_names(self):
        names = set()
        for namespace in self.namespaces:
            names.update(n for n in vars(namespace) if not n.startswith('_'))
        return sorted(names)


class Resolver:
    """Find the names the tasks use, following the assignment's aliases: of classes
    (`Dense` for DenseLayer) and of attributes (`biases` for bias, `next_layer` for next)."""

    LAYERS = ('InputLayer', 'DenseLayer', 'ActivationLayer', 'SoftmaxLayer', 'LossLayer', 'Layer')

    def __init__(self, module, aliases, attribute_aliases=None):
        self.module, self.aliases = module, aliases
        self.attribute_aliases = attribute_aliases or {}

    def __call__(self, name):
        for candidate in [name, *self.aliases.get(name, [])]:
            value = self.module.find(candidate)
            if value is not None:
                return value
        raise HarnessError(f"the module has no '{name}'")

    def names_of(self, attribute):
        return [attribute, *self.attribute_aliases.get(attribute, [])]

    def attribute(self, obj, attribute):
        """(name, value) of the attribute the course calls `attribute`, under any alias."""
        for name in self.names_of(attribute):
            value = getattr(obj, name, None)
            if value is not None:
                return name, value
        return attribute, None

    def layer_kinds(self):
        kinds = []
        for name in self.LAYERS:
            try:
                kind = self(name)
            except HarnessError:
                continue
            if inspect.isclass(kind):
                kinds.append(kind)
        return kinds

    def layers(self, net, spec=None):
        """The layers of a chain, reached as chain.layers_of does; `spec`: what was chained."""
        expected = None
        if spec is not None:
            try:
                expected = [self(item['class']) for item in spec]
            except HarnessError:
                expected = None
        return layers_of(net, self.names_of('next'), self.layer_kinds(), expected)[0]

    def layer_at(self, net, position, spec):
        layers = self.layers(net, spec)
        if position >= len(layers):
            raise HarnessError(
                f"the grader could not reach layer {position} ({spec[position]['class']}) of the chain it built "
                f"with +: model[{position}] did not give it, and no attribute links the layers "
                f"(looked for {', '.join(self.names_of('next'))})")
        return layers[position]


NOTES = {}      # what the grader had to adapt to in the current task (no penalty): key → text


def note(key, text):
    """Record one note per kind of adaptation (the first layer class that needed it says it)."""
    if key not in NOTES and len(NOTES) < 10:
        NOTES[key] = text[:500]


def _signature(function):
    try:
        return inspect.signature(function)
    except (TypeError, ValueError):
        return None


def invoke(function, name, /, *args, **kwargs):
    """Call student code as the course writes the call. A call its signature cannot take is
    the grader's HarnessError, saying which call and which signature; it is never retried."""
    signature = _signature(function)
    if signature is not None:
        try:
            signature.bind(*args, **kwargs)
        except TypeError as error:
            shown = ', '.join([*('…' for _ in args), *(f'{k}=…' for k in kwargs)])
            raise HarnessError(f'the grader called {name}({shown}) as the course does, but its signature '
                               f'{name}{signature} does not take that call ({error})') from None
    return function(*args, **kwargs)


def call_layer(layer, xs, ys=None, alpha=None):
    """The course's protocol, written as the course writes it: layer(xs, ys, alpha). Where the
    signature makes ys or alpha keyword-only, by keyword (noted, no penalty)."""
    args = [xs] + ([ys, alpha] if alpha is not None else [ys] if ys is not None else [])
    name = f'{type(layer).__name__}.__call__'
    signature = _signature(layer)
    if signature is not None and len(args) > 1:
        keyword_only = [n for n in ('ys', 'alpha')[:len(args) - 1]
                        if n in signature.parameters
                        and signature.parameters[n].kind is inspect.Parameter.KEYWORD_ONLY]
        if keyword_only:
            given = dict(zip(('ys', 'alpha'), args[1:]))
            positional = [xs] + [given[n] for n in ('ys', 'alpha') if n in given and n not in keyword_only]
            note('keyword-only', f"{' and '.join(keyword_only)} keyword-only in the layers' __call__{signature}: the grader "
                                 f"passed {'them' if len(keyword_only) > 1 else 'it'} by keyword. The course writes "
                                 'layer(xs, ys, alpha); a notebook cell calling a layer that way would fail')
            return invoke(layer, name, *positional, **{n: given[n] for n in keyword_only})
    return invoke(layer, name, *args)


# --- tasks -----------------------------------------------------------------------------
def task_names(task, resolve, module):
    found = {}
    for name in task['names']:
        entry = {'found': False}
        for candidate in [name, *resolve.aliases.get(name, [])]:
            value = module.find(candidate)
            if value is not None:
                entry = {'found': True, 'via': candidate, 'kind': 'class' if inspect.isclass(value)
                         else 'function' if callable(value) else type(value).__name__}
                try:
                    entry['signature'] = str(inspect.signature(value))
                except (TypeError, ValueError):
                    pass
                break
        found[name] = entry
    return {'names': found, 'public': module.public_names()[:500]}


def _call_each(function, calls, per_call):
    values = []
    for args, kwargs in calls:
        signal.setitimer(signal.ITIMER_REAL, per_call)
        try:
            values.append({'value': encode(function(*args, **kwargs))})
        except ProbeTimeout:
            values.append({'error': {'type': 'Timeout', 'message': f'no answer within {per_call} s'}})
        except Exception as error:
            values.append({'error': describe_error(error)})
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
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


def _method(obj, name):
    method = getattr(obj, name, None)
    if not callable(method):
        raise HarnessError(f"{type(obj).__name__} has no method {name}() (the course's API has it)")
    return method


def task_single_neuron(task, resolve, module):
    """Perceptron / LinearRegression / Neuron: construct, fit, predict, repr."""
    cls = resolve(task['class'])
    kwargs = dict(task.get('kwargs', {}))
    for key in ('activation', 'loss'):
        if key in kwargs:
            kwargs[key] = resolve(kwargs[key])
    result = {'stage': 'construct'}
    model = invoke(cls, task['class'], **kwargs)
    result['repr'] = repr(model)[:MAX_TEXT]
    xs, ys = task['xs'], task['ys']
    result['stage'] = 'fit'
    invoke(_method(model, 'fit'), 'fit', [list(x) for x in xs], list(ys), **task.get('fit_kwargs', {}))
    result['stage'] = 'predict'
    result['predictions'] = encode(invoke(_method(model, 'predict'), 'predict', [list(x) for x in xs]))
    result['state'] = _model_state(model, resolve)
    result['repr_after'] = repr(model)[:MAX_TEXT]
    result['stage'] = 'done'
    return result


def build(spec, resolve):
    """A chain of layers from a spec [{'class', 'args', 'kwargs'}], built with `+`."""
    layers = []
    for item in spec:
        kwargs = dict(item.get('kwargs', {}))
        for key in ('activation', 'loss'):
            if key in kwargs:
                kwargs[key] = resolve(kwargs[key])
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
            raise HarnessError(f'the DenseLayer at position {p} has no bias and weights the grader can read '
                               f"(looked for {', '.join(resolve.names_of('bias'))} and "
                               f"{', '.join(resolve.names_of('weights'))})")
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

    classes = {name: resolve(name) for name in
               ('InputLayer', 'DenseLayer', 'ActivationLayer', 'SoftmaxLayer', 'LossLayer')}

    def make(name, /, *args, **kwargs):
        return invoke(classes[name], name, *args, **kwargs)

    attempt('default_names', lambda: [make('DenseLayer', 3).name, make('DenseLayer', 3).name,
                                      make('ActivationLayer', 3).name, make('InputLayer', 2).name])
    attempt('explicit_name', lambda: make('DenseLayer', 3, name='hidden1').name)
    attempt('input_repr', lambda: repr(make('InputLayer', 2)))
    spec = task['network']
    net = build(spec, resolve)
    layers = resolve.layers(net, spec)
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
        chain = make('InputLayer', 3) + make('ActivationLayer', 3, activation=resolve(task['kwargs_activation']),
                                             **task['kwargs'])
        return encode(call_layer(chain, [list(task['kwargs_inputs'])])[0])
    attempt('activation_kwargs', kwargs)
    return result


def _shape(layer, resolve):
    bias, weights = _parameters(layer, resolve)
    return {'class': type(layer).__name__, 'inputs': encode(getattr(layer, 'inputs', None)),
            'outputs': encode(getattr(layer, 'outputs', None)),
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
    history = invoke(_method(net, 'fit'), 'fit', xs, ys, validation_data=(vxs, vys), **task['fit_kwargs'])
    result['fit_seconds'] = time.perf_counter() - start
    result['fitted'] = _dense_parameters(net, resolve, spec)     # for the grader's cross-check of the history
    result['history'] = encode(history)
    result['data_unchanged'] = xs == xs_copy and ys == ys_copy
    result['predictions'] = encode(invoke(_method(net, 'predict'), 'predict', vxs))
    result['evaluate'] = encode(invoke(_method(net, 'evaluate'), 'evaluate', vxs, vys))
    _, ls, _ = call_layer(net, vxs, vys)
    result['ls'] = encode(ls)
    result['partial_fit'] = encode(invoke(_method(net, 'partial_fit'), 'partial_fit', xs, ys,
                                          **task['partial_fit_kwargs']))
    result['partial_fitted'] = _dense_parameters(net, resolve, spec)   # did the epoch train?
    second = invoke(_method(net, 'fit'), 'fit', xs, ys, validation_data=(vxs, vys),
                    **dict(task['fit_kwargs'], epochs=1))
    result['second_history'] = encode(second)
    return result


TASKS = {
    'names': task_names, 'call': task_call, 'derivative': task_derivative,
    'single_neuron': task_single_neuron, 'gradient': task_gradient, 'update': task_update,
    'layers_api': task_layers_api, 'training': task_training,
}


def hide_grader_packages():
    """Outside the sandbox the grader's own environment is visible: drop its editable-install
    finders, so `import vlearning` finds the student's package or nothing, never the reference."""
    sys.meta_path[:] = [f for f in sys.meta_path
                        if '__editable__' not in getattr(type(f), '__module__', '')]
    for name in list(sys.modules):
        if name.split('.')[0] in ('vlearning', 'autograder'):
            del sys.modules[name]


# --- worker: runs inside the process that imports the student's module -------------------
class Acks:
    """The parent's receipts. The worker waits for the receipt of each result before it runs
    more student code, so code that kills the parent cannot take earlier results with it
    (they would otherwise still sit unread in the pipe)."""

    def __init__(self, fd):
        self.fd, self.buffer = fd, b''

    def wait(self, task_id):
        wanted = task_id.encode() + b'\n'
        while True:
            line, newline, rest = self.buffer.partition(b'\n')
            if newline:
                self.buffer = rest
                if line + newline == wanted:
                    return
                continue
            chunk = os.read(self.fd, 4096)
            if not chunk:               # the parent is gone: nobody would hear another result
                os._exit(3)
            self.buffer += chunk


def worker():
    """Import the module and run the tasks; raw records go to a pipe to the parent."""
    request = json.loads(sys.stdin.read())
    channel = os.fdopen(int(sys.argv[2]), 'w', encoding='utf-8')
    acks = Acks(int(sys.argv[3]))

    def emit(record):
        channel.write(json.dumps(record, allow_nan=False) + '\n')
        channel.flush()
        if record['event'] == 'result':
            acks.wait(record['task'])

    workspace = request['workspace']
    os.chdir(workspace)
    sys.path.insert(0, workspace)
    hide_grader_packages()
    signal.signal(signal.SIGALRM, _on_alarm)
    emit({'event': 'start', 'task': 'import'})
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    limit = request.get('import_seconds', 20)
    try:
        signal.setitimer(signal.ITIMER_REAL, limit)
        with redirect_stdout(out), redirect_stderr(err):
            module = Module(request['kind'], request['package'])
        signal.setitimer(signal.ITIMER_REAL, 0)
    except (Exception, SystemExit, KeyboardInterrupt, ProbeTimeout) as error:
        signal.setitimer(signal.ITIMER_REAL, 0)
        failure = ({'type': 'Timeout', 'message': f'importing the module did not finish within {limit} s'}
                   if isinstance(error, ProbeTimeout) else describe_error(error))
        emit({'event': 'result', 'task': 'import', 'ok': False, 'error': failure,
              'stdout': out.getvalue()[-MAX_TEXT:], 'stderr': err.getvalue()[-MAX_TEXT:]})
        return
    root_file = getattr(module.root, '__file__', None)
    emit({'event': 'result', 'task': 'import', 'ok': True, 'seconds': time.perf_counter() - started,
          'file': os.path.relpath(root_file, workspace) if root_file else None,
          'submodule_errors': getattr(module, 'submodule_errors', {}),
          'stdout': out.getvalue()[-MAX_TEXT:], 'stderr': err.getvalue()[-MAX_TEXT:]})
    resolve = Resolver(module, request.get('aliases', {}), request.get('attribute_aliases', {}))

    for task in request['tasks']:
        emit({'event': 'start', 'task': task['id']})
        out, err = io.StringIO(), io.StringIO()
        random.seed(task.get('seed', 0))
        started = time.perf_counter()
        record = {'event': 'result', 'task': task['id']}
        seconds = task.get('seconds', 10)
        NOTES.clear()
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            with redirect_stdout(out), redirect_stderr(err):
                record['value'] = TASKS[task['kind']](task, resolve, module)
            record['ok'] = True
        except ProbeTimeout:
            record.update(ok=False, error={'type': 'Timeout', 'message': f'did not finish within {seconds} s'})
        except (Exception, SystemExit, KeyboardInterrupt) as error:
            record.update(ok=False, error=describe_error(error))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        record['seconds'] = time.perf_counter() - started
        if NOTES:
            record['notes'] = list(NOTES.values())
        record['stdout'] = out.getvalue()[-MAX_TEXT:]
        record['stderr'] = err.getvalue()[-MAX_TEXT:]
        try:
            emit(record)
        except (TypeError, ValueError) as error:   # an unencodable value: say so instead
            emit({'event': 'result', 'task': task['id'], 'ok': False,
                  'error': {'type': 'Unreportable', 'message': str(error)[:500]}})


# --- parent: never imports student code; the only writer of the grader's channel ----------
def _make_undumpable():
    """Keep same-uid processes (the worker running student code) from ptrace-ing this one
    or opening its /proc/<pid>/fd and /proc/<pid>/mem, where the token and channel live."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_DUMPABLE = 4
        return libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0
    except Exception:
        return False


class Parent:
    """Runs workers until every task has a result, a crash or a timeout recorded.

    The worker runs student code, so everything it sends is a claim. The parent forwards a
    task's result only while that task is the one running, and reports every break of the
    protocol (a line that does not parse, a start or result out of order, a second result
    for a task, a flood) as *tampering* with the task(s) concerned: the grader then fails
    their checks instead of trusting the first, possibly forged, result.
    """

    MAX_WORKERS = 8
    GRACE = 5.0

    def __init__(self, request, channel):
        self.request, self.channel = request, channel
        self.token = request['token']
        self.tasks = {t['id']: t for t in request['tasks']}
        self.pending = [t['id'] for t in request['tasks']]
        self.import_reported = False
        self.tampering = []
        self.notes = {}               # tampering notes sent per task (a flood of them is cut)
        self.last = 'import'          # the last task that reported (lines between tasks go there)

    def emit(self, record):
        record['token'] = self.token
        self.channel.write(json.dumps(record, allow_nan=False) + '\n')
        self.channel.flush()

    def tamper(self, task_ids, note):
        """Record a break of the protocol against the tasks it concerns."""
        note = note[:300]
        if len(self.tampering) < 200:
            self.tampering.append(note)
        for task_id in dict.fromkeys(t for t in task_ids if t is not None):
            if (task_id == 'import' or task_id in self.tasks) and self.notes.get(task_id, 0) < 20:
                self.notes[task_id] = self.notes.get(task_id, 0) + 1
                self.emit({'event': 'tampering', 'task': task_id, 'note': note})

    def run(self):
        self.emit({'event': 'hello', 'undumpable': _make_undumpable(), 'pid': os.getpid()})
        workers = 0
        while self.pending and workers < self.MAX_WORKERS:
            workers += 1
            if not self.run_worker():
                break
        for task_id in self.pending:
            self.emit({'event': 'result', 'task': task_id, 'ok': False,
                       'error': {'type': 'NotRun', 'message': 'not run: the module could not be '
                                 'imported or the probe process kept crashing'}})
        self.emit({'event': 'done', 'workers': workers, 'tampering': self.tampering[:20]})

    def run_worker(self):
        """One worker over the pending tasks; False when there is no point in another."""
        import select
        import subprocess
        read_end, write_end = os.pipe()
        ack_read, ack_write = os.pipe()
        request = dict(self.request, tasks=[self.tasks[t] for t in self.pending])
        request.pop('token')
        process = subprocess.Popen([sys.executable, __file__, '--worker', str(write_end), str(ack_read)],
                                   stdin=subprocess.PIPE, pass_fds=(write_end, ack_read),
                                   cwd=request['workspace'])
        os.close(write_end)
        os.close(ack_read)
        try:
            process.stdin.write(json.dumps(request).encode())
            process.stdin.close()
        except BrokenPipeError:
            pass
        import_seconds = request['import_seconds']
        state = {'current': 'import', 'started': False, 'seen_import': False, 'import_ok': False}
        deadline, buffer = time.monotonic() + import_seconds + self.GRACE, b''
        while True:
            ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                process.kill()
                current = state['current']
                self.fail(current, 'Timeout', 'no answer within the time limit; the process was stopped')
                if current == 'import':
                    process.wait()
                    os.close(read_end)
                    os.close(ack_write)
                    return False
                break
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            buffer += chunk
            if len(buffer) > 64 << 20:
                process.kill()
                self.tamper([state['current'] or self.last], 'the probe channel was flooded')
                break
            *lines, buffer = buffer.split(b'\n')
            for line in lines:
                event = self.accept(line, state)
                if event is None:
                    continue
                kind, task_id = event[:2]
                if kind == 'start':
                    state['current'] = task_id
                    limit = import_seconds if task_id == 'import' else self.tasks[task_id].get('seconds', 10)
                    deadline = time.monotonic() + limit + self.GRACE
                elif kind == 'result':
                    self._ack(ack_write, task_id)
                    self.last = task_id
                    state['current'] = None
                    deadline = time.monotonic() + 30
                    if task_id == 'import':
                        state['seen_import'] = True
                        state['import_ok'] = event[2]
                        if not event[2]:        # the worker only has to exit now
                            deadline = time.monotonic() + self.GRACE
        os.close(ack_write)
        returncode = process.wait()
        os.close(read_end)
        if buffer.strip():
            self.tamper([state['current'] or self.last], f'an unfinished line on the probe channel: {buffer[:80]!r}')
        current = state['current']
        if not state['seen_import']:
            self.fail('import', 'Crash', _ended(returncode) + ' while importing the module')
            return False
        if not state['import_ok']:
            return False        # another worker would fail the same way
        if current is not None and current != 'import':
            self.fail(current, 'Crash', _ended(returncode) + ' during this probe')
        return True

    def accept(self, line, state):
        """Validate one worker line; forward genuine results, report anything else."""
        current = state['current']
        try:
            record = json.loads(line, parse_constant=_no_constant)   # the worker never sends NaN
            event, task_id = record['event'], record['task']
            if not isinstance(event, str) or not isinstance(task_id, str):
                raise TypeError('event and task must be strings')
        except (ValueError, KeyError, TypeError, IndexError):
            self.tamper([current or self.last], f'an unreadable line on the probe channel: {line[:80]!r}')
            return None
        if event == 'start':
            if task_id == 'import' and current == 'import' and not state['started']:
                state['started'] = True
                return event, task_id
            if current is None and self.pending and task_id == self.pending[0]:
                return event, task_id
            self.tamper([task_id, current], f'a start of {task_id!r} out of turn (while ' + (f'{current!r} was running)' if current else 'no probe was running)'))
            return None
        if event != 'result':
            self.tamper([task_id, current or self.last], f'an unknown {event!r} line for {task_id!r}')
            return None
        if task_id != current:
            done = (task_id == 'import' and state['seen_import']) or (
                task_id in self.tasks and task_id not in self.pending)
            note = (f'a second result for {task_id!r}' if done else
                    f'a result for {task_id!r} while ' + (f'{current!r} was running' if current else 'no probe was running'))
            self.tamper([task_id, current], note)
            return None
        if not isinstance(record.get('ok'), bool):
            self.tamper([task_id], f"a result for {task_id!r} without a true/false 'ok'")
            record['ok'] = False
            record['error'] = {'type': 'Tampered', 'message': 'the record was malformed'}
        if task_id == 'import':
            if not self.import_reported:
                self.import_reported = True
                self.emit(record)
            return event, task_id, record['ok']
        self.pending.remove(task_id)
        self.emit(record)
        return event, task_id, record['ok']

    @staticmethod
    def _ack(fd, task_id):
        """The receipt the worker waits for; a worker that stopped reading is not our problem."""
        try:
            os.write(fd, task_id.encode() + b'\n')
        except OSError:
            pass

    def fail(self, task_id, kind, message):
        if task_id == 'import':
            if not self.import_reported:
                self.import_reported = True
                self.emit({'event': 'result', 'task': 'import', 'ok': False,
                           'error': {'type': kind, 'message': message}})
            return
        if task_id in self.pending:
            self.pending.remove(task_id)
            self.emit({'event': 'result', 'task': task_id, 'ok': False,
                       'error': {'type': kind, 'message': message}})


def _no_constant(name):
    raise ValueError(f'{name} is not JSON')


def _ended(returncode):
    if returncode is None:
        return 'the process did not end'
    if returncode < 0:
        names = {11: 'a segmentation fault (SIGSEGV)', 9: 'SIGKILL (a limit or the timeout)',
                 6: 'an abort (SIGABRT)', 24: 'the CPU-time limit (SIGXCPU)', 25: 'the file-size limit (SIGXFSZ)'}
        return f'the process was killed by {names.get(-returncode, f"signal {-returncode}")}'
    return f'the process exited with code {returncode}'


def main():
    if sys.argv[1:2] == ['--worker']:
        worker()
        return
    channel_fd = int(sys.argv[1])
    request = json.loads(sys.stdin.read())
    channel = os.fdopen(channel_fd, 'w', encoding='utf-8')
    os.chdir(request['workspace'])
    Parent(request, channel).run()


if __name__ == '__main__':
    main()

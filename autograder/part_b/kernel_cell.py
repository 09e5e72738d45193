"""The grader's cell, run in the student's kernel right after the locked end cell.

It reads only what the notebook left behind (the model, its history, the student's test
split), sends the hidden images — pixels only, in the order the grader chose (secret and
new at every run), each dithered as the course's loader does from a seed of its own — to
the model, and displays plain data under a private MIME type for the grader to parse.
Whatever it reports is checked in the grader (part_b/cell_report.py); it never sees a label.
"""
from __future__ import annotations

import json
from pathlib import Path

from .hidden_set import HiddenSet

__all__ = ['MIME', 'source', 'watch_source', 'WATCH']

MIME = 'application/vnd.vlearning.autograder+json'

_TEMPLATE = r'''
def __autograder_part_b(spec):
    import inspect, math, random, time, traceback
    from IPython.display import display
    namespace = globals()
    out = {}

    def failure(error):
        return {'type': type(error).__name__, 'message': str(error)[:1000],
                'traceback': traceback.format_exc()[-3000:]}

    def number(value):
        value = float(value)
        return value if math.isfinite(value) else repr(value)

    model = namespace.get(spec['model'])
    out['model_found'] = model is not None
    out['model_class'] = type(model).__name__ if model is not None else None
    try:
        chain = {}
        exec(spec['chain'], chain)          # autograder/probes/chain.py: how to reach the layers
        layers = []
        if model is not None:
            found, out['layers_reached_by'] = chain['layers_of'](model, spec['links'])
            for layer in found:
                activation, given = getattr(layer, 'activation', None), {}
                if hasattr(activation, 'func') and isinstance(getattr(activation, 'keywords', None), dict):
                    given.update(activation.keywords)          # functools.partial(nipuna, beta=1)
                    activation = activation.func
                for value in vars(layer).values() if hasattr(layer, '__dict__') else ():
                    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
                        given.update({k: v for k, v in value.items() if k in spec['parameters']})
                for name in spec['parameters']:
                    if name in vars(layer) if hasattr(layer, '__dict__') else False:
                        given.setdefault(name, getattr(layer, name))
                defaults = {}
                try:
                    signature = inspect.signature(activation)
                    defaults = {n: signature.parameters[n].default for n in spec['parameters']
                                if n in signature.parameters and signature.parameters[n].default is not inspect.Parameter.empty}
                except (TypeError, ValueError):
                    pass
                layers.append({'class': type(layer).__name__, 'name': str(getattr(layer, 'name', ''))[:100],
                               'outputs': getattr(layer, 'outputs', None) if isinstance(getattr(layer, 'outputs', None), int) else None,
                               'activation': getattr(activation, '__name__', None),
                               'activation_module': getattr(activation, '__module__', None),
                               'parameters': {k: number(v) for k, v in given.items()
                                              if isinstance(v, (int, float)) and not isinstance(v, bool)},
                               'defaults': {k: number(v) for k, v in defaults.items()
                                            if isinstance(v, (int, float)) and not isinstance(v, bool)}})
        out['layers'] = layers
    except Exception as error:
        out['layers_error'] = failure(error)
    try:
        history = namespace.get(spec['history'])
        if isinstance(history, dict):
            out['history'] = {str(k)[:50]: [number(v) for v in list(values)[:10000]]
                              for k, values in list(history.items())[:10] if isinstance(values, (list, tuple))}
        else:
            out['history_type'] = type(history).__name__
    except Exception as error:
        out['history_error'] = failure(error)
    if model is not None:
        try:
            xs = []
            for image in spec['images']:    # dithered per image: the same input in any order
                rng = random.Random(f"{spec['dither_seed']}:{image}")
                xs.append([(int(c, 16) + rng.random()) / 16.0 for c in image])
            start = time.perf_counter()
            predictions = []
            for i in range(0, len(xs), 100):
                for yhat in model.predict(xs[i:i + 100]):
                    yhat = list(yhat)
                    predictions.append(max(range(len(yhat)), key=yhat.__getitem__))
            out['predictions'] = predictions
            out['predict_seconds'] = time.perf_counter() - start
        except Exception as error:
            out['predict_error'] = failure(error)
        try:
            tst_xs, tst_ys = namespace.get(spec['test'][0]), namespace.get(spec['test'][1])
            if tst_xs is not None and tst_ys is not None and len(tst_xs):
                yhats = model.predict(list(tst_xs))
                hits = sum(max(range(len(p)), key=list(p).__getitem__) == max(range(len(y)), key=list(y).__getitem__)
                           for p, y in zip(yhats, tst_ys))
                out['own_test'] = {'instances': len(tst_xs), 'accuracy': hits / len(tst_xs)}
        except Exception as error:
            out['own_test_error'] = failure(error)
    watch = namespace.get(WATCH)
    if isinstance(watch, dict):
        watch['active'] = False
        try:
            watch['restore']()
        except Exception:
            pass
        history = namespace.get(spec['history'])
        out['watch'] = {'calls': [{k: v for k, v in c.items() if k != 'result'} for c in watch['calls']][:50],
                        'history_from': next((i for i, c in enumerate(watch['calls'])
                                              if history is not None and c.get('result') is history), None),
                        'opened': watch['opened'][:50]}
    display({MIME: out}, raw=True)


__autograder_part_b(SPEC)
del __autograder_part_b
'''


WATCH = '__autograder_watch'

# Run right after the first locked cell: records, until the grader cell after the second,
# the outermost fit()/partial_fit() calls of the classes the hand-in's own modules define
# (instances, alpha, epochs, and which call returned the history) and the files opened
# inside the workspace. Evidence for review flags only: nothing here changes a score.
_WATCH = r'''
def __autograder_watch_install(ignore):
    import builtins, functools, inspect, io, os, sys
    cwd = os.path.realpath(os.getcwd())
    watch = {'calls': [], 'opened': [], 'depth': 0, 'active': True}
    real_open, io_open, patched = builtins.open, io.open, []

    def inside(path):
        return path.startswith(cwd + os.sep)

    namespace = globals()
    shell_open = namespace.get('open')            # IPython puts its own open() in the user namespace

    def note(file, args, kwargs):
        try:
            if watch['active'] and isinstance(file, (str, bytes, os.PathLike)) and len(watch['opened']) < 50:
                path = os.path.realpath(os.fsdecode(os.fspath(file)))
                mode = args[0] if args else kwargs.get('mode', 'r')
                if inside(path) and os.path.basename(path) not in ignore:
                    watch['opened'].append({'path': os.path.relpath(path, cwd)[:200], 'mode': str(mode)[:5]})
        except Exception:
            pass

    def watched(opener):
        @functools.wraps(opener)
        def watched_open(file, *args, **kwargs):
            note(file, args, kwargs)
            return opener(file, *args, **kwargs)
        return watched_open

    def size(value):
        try:
            return len(value)
        except Exception:
            return None

    def number(value):
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    def wrap(original, method, owner):
        @functools.wraps(original)
        def watched_method(self, *args, **kwargs):
            outer = watch['active'] and watch['depth'] == 0
            watch['depth'] += 1
            try:
                result = original(self, *args, **kwargs)
            finally:
                watch['depth'] -= 1
            if outer and len(watch['calls']) < 100:
                call = {'class': owner, 'method': method, 'instances': size(args[0]) if args else None}
                try:
                    bound = inspect.signature(original).bind(self, *args, **kwargs)
                    bound.apply_defaults()
                    given = dict(bound.arguments)
                    given.update(given.pop('kwargs', None) or {})
                    call['alpha'] = number(given.get('alpha'))
                    call['epochs'] = number(given.get('epochs'))
                    if call['instances'] is None and 'xs' in given:
                        call['instances'] = size(given['xs'])
                except Exception:
                    pass
                call['result'] = result
                watch['calls'].append(call)
            return result
        watched_method.__autograder_original__ = original
        return watched_method

    for module in list(sys.modules.values()):
        where = getattr(module, '__file__', None)
        if not isinstance(where, str) or not inside(os.path.realpath(where)):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, type) and value.__module__ == module.__name__:
                for method in ('fit', 'partial_fit'):
                    original = value.__dict__.get(method)
                    if callable(original) and not hasattr(original, '__autograder_original__'):
                        setattr(value, method, wrap(original, method, value.__name__))
                        patched.append((value, method, original))

    def restore():
        builtins.open, io.open = real_open, io_open
        if shell_open is not None:
            namespace['open'] = shell_open
        for owner, method, original in patched:
            setattr(owner, method, original)

    builtins.open = io.open = watched(real_open)
    if shell_open is not None:
        namespace['open'] = watched(shell_open)
    watch['restore'] = restore
    return watch


WATCH = __autograder_watch_install(IGNORE)
del __autograder_watch_install
'''


def watch_source(ignore: list[str]) -> str:
    """The watch cell's code; `ignore`: file names whose opening is expected (the data file)."""
    return _WATCH.replace('WATCH', WATCH).replace('IGNORE', json.dumps(list(ignore)))


CHAIN = Path(__file__).resolve().parents[1] / 'probes' / 'vlgrader_probe' / 'chain.py'


def source(hidden: HiddenSet, *, model: str, history: str, test: tuple[str, str],
           links: list[str] | tuple[str, ...] = ('next',), parameters: list[str] | tuple[str, ...] = ()) -> str:
    """The cell's code. links: the names of the attribute that links a layer to the next
    (`next` and the settings' aliases), for a model whose indexing does not work."""
    spec = {'model': model, 'history': history, 'test': list(test), 'links': list(links),
            'parameters': list(parameters),
            'chain': CHAIN.read_text(encoding='utf-8'),
            'images': hidden.images, 'dither_seed': hidden.dither_seed}
    return (_TEMPLATE.replace('WATCH', repr(WATCH)).replace('MIME', repr(MIME)).replace('SPEC', json.dumps(spec)))

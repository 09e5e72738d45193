"""Calibration of the EMNIST-mini stand-in against the course's real file.

Trains the same models the same way on both files and prints JSON with their test
accuracies; the stand-in is calibrated when each pair agrees within 3 percentage points.

- softmax regression 144→26 (weights 0), minibatch SGD, course's update (mean gradient
  over the batch, step α): α=0.5, 20 epochs, batches of 100;
- the seed's Part B MLP 144-120-96-48-26, ELiSH, softmax + cross-entropy, Xavier-uniform,
  fit(α=0.25, 10 epochs, batch 100) then fit(α=0.1, 5 epochs, batch 100), reshuffled
  every epoch;
both on 23,400 training and 2,600 test instances of `emnist_mini(file, 26000, seed)`
(a numpy replica of the reference's arithmetic: the pure-Python MLP takes ~30 min a run);
- the notebook's Part B warm-up dummy model, Input(144)+Dense(26)+linear activation+MSE,
  fit(α=0.01, 3 epochs, batch 1) on 300 instances, tested on 300, run with the reference
  vlearning itself (it is small) and averaged over the runs.

Usage: python bench/calibrate_standin.py [--real PATH] [--standin PATH] [--runs N]
       [--params JSON]   (JSON overrides of standin.PARAMETERS; builds a fresh stand-in)
Without --standin the cached stand-in (ensure_standin(0)) is used. A `Target` holds what
differs between data sets; bench/calibrate_standin_signs.py runs main() for Sign-MNIST.
"""
import argparse
import contextlib
import dataclasses
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'reference'))

from vlearning import layers  # noqa: E402
from vlearning.data import emnist_mini  # noqa: E402
from vlearning.data import standin  # noqa: E402

DATA = ROOT.parent / 'shared' / 'data'


@dataclasses.dataclass(frozen=True)
class Target:
    """One data set's calibration: its loader, generator module and the models' settings."""
    name: str
    real: Path
    load: object              # emnist_mini or sign_mnist_mini
    module: object            # the stand-in's generator module
    classes: int
    train: int
    test: int
    sizes: tuple              # the MLP's layer sizes
    schedule: tuple           # the MLP's fits: (α, epochs, batch), ...
    activation: str = 'elish'
    softmax: tuple = ((0.5, 20, 100),)   # the softmax regression's fits


EMNIST = Target('EMNIST_mini', DATA / 'EMNIST_mini.dat', emnist_mini, standin, 26,
                23_400, 2_600, (144, 120, 96, 48, 26), ((0.25, 10, 100), (0.1, 5, 100)))


def elish(a):
    """a·σ(a) for a ≥ 0, (eᵃ − 1)·σ(a) for a < 0."""
    s = 1.0 / (1.0 + np.exp(-a))
    return np.where(a >= 0.0, a, np.expm1(np.minimum(a, 0.0))) * s


def elish_prime(a):
    s = 1.0 / (1.0 + np.exp(-a))
    return np.where(a >= 0.0, s + a * s * (1.0 - s),
                    np.exp(np.minimum(a, 0.0)) * s + np.expm1(np.minimum(a, 0.0)) * s * (1.0 - s))


def nipuna(a):
    """NIPUNA with β = 1: max(a·σ(a), a)."""
    return np.maximum(a / (1.0 + np.exp(-a)), a)


def nipuna_prime(a):
    s = 1.0 / (1.0 + np.exp(-a))
    return np.where(a * s >= a, s + a * s * (1.0 - s), 1.0)


ACTIVATIONS = {'elish': (elish, elish_prime), 'nipuna': (nipuna, nipuna_prime)}


def softmax(h):
    e = np.exp(h - h.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def train_mlp(xs, ys, rng, schedule, sizes, activation='elish'):
    """Xavier-uniform MLP; per batch: gradient at the logits ŷ − y, mean over the batch."""
    phi, phi_prime = ACTIVATIONS[activation]
    ws = [rng.uniform(-np.sqrt(6.0 / (i + o)), np.sqrt(6.0 / (i + o)), (i, o))
          for i, o in zip(sizes, sizes[1:])]
    bs = [np.zeros(o) for o in sizes[1:]]
    for alpha, epochs, batch in schedule:
        for _ in range(epochs):
            order = rng.permutation(len(xs))
            for start in range(0, len(xs), batch):
                idx = order[start:start + batch]
                acts, pre = [xs[idx]], []
                for k, (w, b) in enumerate(zip(ws, bs)):
                    h = acts[-1] @ w + b
                    pre.append(h)
                    acts.append(phi(h) if k < len(ws) - 1 else softmax(h))
                q = acts[-1] - ys[idx]
                scale = alpha / len(idx)
                for k in range(len(ws) - 1, -1, -1):
                    g = q @ ws[k].T if k else None
                    ws[k] -= scale * acts[k].T @ q
                    bs[k] -= scale * q.sum(axis=0)
                    if k:
                        q = g * phi_prime(pre[k - 1])
    def predict(x):
        for k, (w, b) in enumerate(zip(ws, bs)):
            x = x @ w + b
            x = phi(x) if k < len(ws) - 1 else x
        return x
    return predict


def train_softmax(xs, ys, rng, schedule=((0.5, 20, 100),)):
    """Softmax regression from zero weights; fits (α, epochs, batch), reshuffled every epoch."""
    w, b = np.zeros((xs.shape[1], ys.shape[1])), np.zeros(ys.shape[1])
    for alpha, epochs, batch in schedule:
        for _ in range(epochs):
            order = rng.permutation(len(xs))
            for start in range(0, len(xs), batch):
                idx = order[start:start + batch]
                q = softmax(xs[idx] @ w + b) - ys[idx]
                w -= alpha / len(idx) * xs[idx].T @ q
                b -= alpha / len(idx) * q.sum(axis=0)
    return lambda x: x @ w + b


def accuracy(predict, xs, ys):
    return float((predict(xs).argmax(axis=1) == ys.argmax(axis=1)).mean())


def dummy_accuracy(path, seed, target=EMNIST):
    """The notebook's warm-up, on the reference itself (seeded data and initialisation)."""
    n = target.classes
    xs, ys = target.load(str(path), num=900, seed=seed)
    random.seed(seed)
    model = (layers.InputLayer(144, name='input') + layers.DenseLayer(n, name='hidden1')
             + layers.ActivationLayer(n, name='hidden2') + layers.LossLayer(name='output'))
    with contextlib.redirect_stderr(io.StringIO()):
        model.fit(xs[:300], ys[:300], alpha=0.01, epochs=3, batch_size=1)
    hits = sum(max(range(n), key=p.__getitem__) == y.index(1.0)
               for p, y in zip(model.predict(xs[600:]), ys[600:]))
    return hits / 300


def evaluate(path, runs, dummy_runs, target=EMNIST):
    result = {'softmax': [], 'mlp': [], 'dummy': []}
    for seed in range(runs):
        xs, ys = target.load(str(path), num=target.train + target.test, seed=seed)
        xs, ys = np.array(xs), np.array(ys)
        rng = np.random.default_rng(seed)
        trn, tst = slice(0, target.train), slice(target.train, target.train + target.test)
        softmax_model = train_softmax(xs[trn], ys[trn], rng, target.softmax)
        result['softmax'].append(accuracy(softmax_model, xs[tst], ys[tst]))
        mlp = train_mlp(xs[trn], ys[trn], rng, target.schedule, target.sizes, target.activation)
        result['mlp'].append(accuracy(mlp, xs[tst], ys[tst]))
    result['dummy'] = [dummy_accuracy(path, 1000 + s, target) for s in range(dummy_runs)]
    summary = {key: round(100.0 * float(np.mean(values)), 2) for key, values in result.items()}
    summary['runs'] = {key: [round(100.0 * v, 2) for v in values]
                       for key, values in result.items()}
    return summary


def main(target=EMNIST, doc=__doc__):
    module = target.module
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument('--real', default=str(target.real))
    parser.add_argument('--standin', default=None)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--dummy-runs', type=int, default=20)
    parser.add_argument('--params', default=None,
                        help=f'JSON overrides of {module.__name__.rsplit(".", 1)[-1]}.PARAMETERS')
    parser.add_argument('--skip-real', action='store_true')
    parser.add_argument('--activation', choices=sorted(ACTIVATIONS), default=target.activation,
                        help=f'the MLP\'s hidden activation (default {target.activation})')
    args = parser.parse_args()
    target = dataclasses.replace(target, activation=args.activation)

    report = {'data': target.name, 'train': target.train, 'test': target.test, 'runs': args.runs,
              'mlp_model': {'sizes': target.sizes, 'activation': target.activation,
                            'schedule': target.schedule},
              'softmax_schedule': target.softmax,
              'generator': module.GENERATOR_VERSION}
    start = time.perf_counter()
    if args.params:
        params = json.loads(args.params)
        report['params'] = params
        folder = tempfile.mkdtemp()
        path = Path(folder) / 'standin.dat'
        path.write_bytes(module.build_standin(0, parameters=params))
    elif args.standin:
        path = Path(args.standin)
    else:
        path = module.ensure_standin(0)
    report['standin_build_or_load_s'] = round(time.perf_counter() - start, 1)
    report['standin'] = evaluate(path, args.runs, args.dummy_runs, target)
    real = Path(args.real)
    if args.skip_real:
        report['real'] = None
    elif real.is_file():
        report['real'] = evaluate(real, args.runs, args.dummy_runs, target)
    else:
        report['real'] = None
        report['real_skipped'] = f'{real} is absent'
    if report['real']:
        report['gap_pp'] = {key: round(report['standin'][key] - report['real'][key], 2)
                            for key in ('softmax', 'mlp', 'dummy')}
    report['seconds'] = round(time.perf_counter() - start, 1)
    print(json.dumps(report, indent=1))


if __name__ == '__main__':
    main()

"""Training throughput of the reference vs a straightforward triple-loop network.

Workload: the seed's Part B network 144-120-96-48-26 (ELiSH, softmax, categorical
cross-entropy), mini-batches of 100, random 144-pixel data. Prints JSON: seconds per 1000
training instances (min of 3 runs) for both implementations and their ratio.

Runs on any interpreter without installing anything:  pythonX.Y bench/train_throughput.py

Before/after a change to the reference, in one run (the two alternate, each in its own
process, so that a busy machine slows both alike):
    pythonX.Y bench/train_throughput.py --against OTHER/reference [--rounds 3]
prints both timings and their ratio (this tree's / the other's).
"""
import argparse
import json
import math
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()

SIZES = [144, 120, 96, 48, 26]
INSTANCES = 1000
BATCH = 100
RUNS = 3


def make_data(seed=0):
    rng = random.Random(seed)
    xs = [[rng.random() for _ in range(SIZES[0])] for _ in range(INSTANCES)]
    ys = []
    for _ in range(INSTANCES):
        y = [0.0] * SIZES[-1]
        y[rng.randrange(SIZES[-1])] = 1.0
        ys.append(y)
    return xs, ys


def reference_model():
    model = layers.InputLayer(SIZES[0])
    for width in SIZES[1:-1]:
        model += layers.DenseLayer(width)
        model += layers.ActivationLayer(width, activation=activation_functions.elish)
    model += layers.DenseLayer(SIZES[-1])
    model += layers.SoftmaxLayer(SIZES[-1])
    model += layers.LossLayer(loss=loss_functions.categorical_crossentropy)
    return model


class NaiveNetwork:
    """The same network written the obvious way: explicit loops over every index."""

    def __init__(self, sizes, rng):
        self.weights, self.biases = [], []
        for n_in, n_out in zip(sizes, sizes[1:]):
            limit = math.sqrt(6 / (n_in + n_out))
            self.weights.append([[rng.uniform(-limit, limit) for _ in range(n_in)] for _ in range(n_out)])
            self.biases.append([0.0] * n_out)

    def train_batch(self, xs, ys, alpha):
        last = len(self.weights) - 1
        grad_w = [[[0.0] * len(w[0]) for _ in w] for w in self.weights]
        grad_b = [[0.0] * len(b) for b in self.biases]
        for x, y in zip(xs, ys):
            inputs, pre = [x], []
            for k, (w, b) in enumerate(zip(self.weights, self.biases)):
                h = []
                for o in range(len(w)):
                    s = b[o]
                    for i in range(len(w[o])):
                        s += w[o][i] * inputs[-1][i]
                    h.append(s)
                pre.append(h)
                if k < last:
                    inputs.append([activation_functions.elish(v) for v in h])
                else:
                    m = max(h)
                    e = [math.exp(v - m) for v in h]
                    total = sum(e)
                    inputs.append([v / total for v in e])
            yhat = inputs[-1]
            q = [yhat[o] - y[o] for o in range(len(y))]          # softmax + cross-entropy
            for k in range(last, -1, -1):
                w, a = self.weights[k], inputs[k]
                for o in range(len(w)):
                    grad_b[k][o] += q[o]
                    for i in range(len(w[o])):
                        grad_w[k][o][i] += q[o] * a[i]
                if k > 0:
                    g = []
                    for i in range(len(w[0])):
                        s = 0.0
                        for o in range(len(w)):
                            s += w[o][i] * q[o]
                        g.append(s * activation_functions.elish_prime(pre[k - 1][i]))
                    q = g
        step = alpha / len(xs)
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            for o in range(len(w)):
                b[o] -= step * grad_b[k][o]
                for i in range(len(w[o])):
                    w[o][i] -= step * grad_w[k][o][i]


def seconds_per_1000(train_epoch, clock=time.perf_counter):
    best = math.inf
    for _ in range(RUNS):
        start = clock()
        train_epoch()
        best = min(best, clock() - start)
    return best * 1000 / INSTANCES


def reference_seconds(clock=time.perf_counter):
    xs, ys = make_data()
    random.seed(1)
    model = reference_model()
    return seconds_per_1000(lambda: model.partial_fit(xs, ys, alpha=0.1, batch_size=BATCH), clock)


def compare(this: Path, other: Path, rounds: int) -> None:
    """Alternate this tree's reference and another one, best of `rounds` each, in CPU
    seconds of the process (less disturbed by other work on the machine than wall time)."""
    timings = {'this': [], 'other': []}
    for _ in range(rounds):
        for key, folder in (('this', this), ('other', other)):
            out = subprocess.run([sys.executable, str(HERE), '--reference-dir', str(folder), '--only-reference'],
                                 capture_output=True, text=True, check=True).stdout
            timings[key].append(json.loads(out)['reference_seconds_per_1000'])
    print(json.dumps({
        'benchmark': 'train_throughput_compare', 'python': platform.python_version(),
        'network': '-'.join(map(str, SIZES)), 'batch_size': BATCH, 'rounds': rounds,
        'clock': 'process CPU time', 'this': str(this), 'other': str(other),
        'this_seconds_per_1000': min(timings['this']), 'other_seconds_per_1000': min(timings['other']),
        'ratio_this_over_other': round(min(timings['this']) / min(timings['other']), 3),
        'all': timings,
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--reference-dir', type=Path, default=HERE.parents[1] / 'reference',
                        help='the folder holding the vlearning package to time (default: this tree\'s)')
    parser.add_argument('--against', type=Path, help='another reference folder to compare with')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--only-reference', action='store_true', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.against:
        compare(args.reference_dir.resolve(), args.against.resolve(), args.rounds)
        return
    sys.path.insert(0, str(args.reference_dir))
    global activation_functions, layers, loss_functions
    from vlearning import activation_functions, layers, loss_functions
    if args.only_reference:
        print(json.dumps({'reference_seconds_per_1000': reference_seconds(time.process_time)}))
        return
    reference = reference_seconds()
    xs, ys = make_data()
    naive_model = NaiveNetwork(SIZES, random.Random(1))

    def naive_epoch():
        for start in range(0, INSTANCES, BATCH):
            naive_model.train_batch(xs[start:start + BATCH], ys[start:start + BATCH], 0.1)

    naive = seconds_per_1000(naive_epoch)
    print(json.dumps({
        'benchmark': 'train_throughput',
        'python': platform.python_version(),
        'has_math_sumprod': hasattr(math, 'sumprod'),
        'network': '-'.join(map(str, SIZES)),
        'batch_size': BATCH,
        'instances_per_run': INSTANCES,
        'runs': RUNS,
        'reference_seconds_per_1000': round(reference, 3),
        'naive_seconds_per_1000': round(naive, 3),
        'speedup': round(naive / reference, 2),
    }))


if __name__ == '__main__':
    main()

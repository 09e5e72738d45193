"""Command line: `autograder <command>`; `autograder --help` lists the commands."""
from __future__ import annotations

import argparse
import sys

from . import __version__


def _demo(args: argparse.Namespace) -> int:
    """Until the grading pipeline lands: train the reference on the Part A tasks."""
    import io
    import random
    from contextlib import redirect_stderr, redirect_stdout

    import vlearning
    from vlearning import activation_functions as af, data, layers, loss_functions as lf

    xs, ys = data.linear('nominal', seed=1)
    perceptron = vlearning.Perceptron(dim=2)
    with redirect_stdout(io.StringIO()) as out:
        perceptron.fit(xs, ys)
    print(f'{perceptron!r}: {out.getvalue().strip()}')
    xs, ys = data.fractal(4, seed=1)
    random.seed(1)
    model = (layers.InputLayer(2) + layers.DenseLayer(20) + layers.ActivationLayer(20, activation=af.tanh)
             + layers.DenseLayer(10) + layers.ActivationLayer(10, activation=af.tanh)
             + layers.DenseLayer(4) + layers.SoftmaxLayer(4) + layers.LossLayer(loss=lf.categorical_crossentropy))
    with redirect_stderr(sys.stderr):
        model.fit(xs, ys, alpha=0.5, epochs=100, batch_size=20)
    hits = sum(max(range(4), key=p.__getitem__) == y.index(1.0) for p, y in zip(model.predict(xs), ys))
    print(f'fractal(4) classifier: training accuracy {hits / len(ys):.1%}')
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='autograder', description=__doc__)
    parser.add_argument('--version', action='version', version=f'%(prog)s {__version__}')
    commands = parser.add_subparsers(dest='command', required=True)
    demo = commands.add_parser('demo', help='run the main job on the embedded default')
    demo.add_argument('--out', default='demo-output', help='output folder')
    demo.set_defaults(run=_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == '__main__':
    sys.exit(main())

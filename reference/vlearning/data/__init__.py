"""The course's data module: toy data generators, the 12×12 image data and the plots.

Call signatures and behaviour follow the course's `data.py`, because the graded notebooks
call them. The generators and loaders are standard-library only; the plots import
matplotlib when called. Grader-side tools live in submodules that this module does not
import (they need numpy): `standin` and `standin_signs` (the embedded EMNIST-mini and
Sign-MNIST-mini stand-ins) and `convert` (official EMNIST → mini).
"""
from .generators import concentric, fractal, linear, segments, xorproblem
from .images import emnist_mini, sign_mnist_mini
from .plots import confusion, curve, gestures, graph, letters, scatter

__all__ = ['linear', 'xorproblem', 'segments', 'fractal', 'concentric',
           'emnist_mini', 'sign_mnist_mini',
           'scatter', 'graph', 'curve', 'letters', 'gestures', 'confusion']

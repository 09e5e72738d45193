"""Layers of a neural network, chained into a model with `+`.

Protocol (the course's): `layer(xs, ys=None, alpha=None) -> (yhats, ls, gs)` runs the chain
from `layer` on a batch of N instances. Going forward each layer transforms its inputs and
calls the next; coming back it receives qs = ∂lₙ/∂(its outputs) and returns
gs = ∂lₙ/∂(its inputs). `ls` is None without ys, `gs` None without alpha. A DenseLayer
updates its parameters on the way back, with step α/N.

The loops run over whole batches with a C-level dot product, so that no Python bytecode
runs per multiply-add.
"""
import math
import random
from collections import Counter
from contextlib import contextmanager
from copy import deepcopy
from functools import partial

from ._linalg import dot
from ._progress import progress
from .activation_functions import linear
from .calculus import exact_derivative
from .loss_functions import mean_squared_error

__all__ = ['Layer', 'InputLayer', 'DenseLayer', 'ActivationLayer', 'SoftmaxLayer', 'LossLayer']


class Layer:
    """A link in a chain of layers: naming, chaining, indexing and iteration."""

    classcounter = Counter()

    def __init__(self, outputs, *, name=None, next=None):
        Layer.classcounter[type(self)] += 1
        if name is None:
            name = f'{type(self).__name__}_{Layer.classcounter[type(self)]}'
        self.inputs = None
        self.outputs = outputs
        self.name = name
        self.next = next

    # --- description -------------------------------------------------------------------
    def describe(self):
        """This one layer, as it appears in the chain's repr."""
        return f'{type(self).__name__}(num_outputs={self.outputs}, name={self.name!r})'

    def __repr__(self):
        return ' +\n    '.join(layer.describe() for layer in self)

    # --- chaining ------------------------------------------------------------------------
    def add(self, next):
        """Append `next` (a layer or a chain) after the last layer of this chain."""
        last = self
        while last.next is not None:
            last = last.next
        if last.outputs is None:
            raise TypeError(f'{last.name} ends its chain; no layer can follow it')
        next.set_inputs(last.outputs)          # first: a layer that does not fit is not chained
        last.next = next

    keeps_width = False          # element-wise layers: as many outputs as inputs

    def set_inputs(self, inputs):
        if self.keeps_width and inputs != self.outputs:
            kind = type(self).__name__
            raise ValueError(f'{self.name} has {self.outputs} outputs but the layer before it has {inputs}: '
                             f'{kind} keeps the width, so make it {kind}({inputs})')
        self.inputs = inputs

    def __add__(self, next):
        result = deepcopy(self)
        result.add(deepcopy(next))
        return result

    def __iadd__(self, next):
        self.add(deepcopy(next))
        return self

    # --- navigation ----------------------------------------------------------------------
    def __iter__(self):
        layer = self
        while layer is not None:
            yield layer
            layer = layer.next

    def __len__(self):
        return sum(1 for _ in self)

    def __getitem__(self, index):
        if isinstance(index, int):
            layers = list(self)
            try:
                return layers[index]
            except IndexError:
                raise IndexError(f'layer index {index} out of range for a chain of '
                                 f'{len(layers)} layers') from None
        if isinstance(index, str):
            for layer in self:
                if layer.name == index:
                    return layer
            raise KeyError(f'no layer named {index!r} in this chain '
                           f'(names: {", ".join(layer.name for layer in self)})')
        raise TypeError(f'layers are indexed by position (int) or name (str), '
                        f'not {type(index).__name__}')

    def __call__(self, xs, ys=None, alpha=None):
        raise NotImplementedError(f'{type(self).__name__} does not implement __call__')

    def _forward(self, hs, ys, alpha):
        """Pass this layer's outputs on; the end of a chain without a loss layer has no loss."""
        if self.next is None:
            return hs, None, None
        return self.next(hs, ys, alpha)


class InputLayer(Layer):
    """The head of a model: passes the data on and offers fit / predict / evaluate."""

    def __call__(self, xs, ys=None, alpha=None):
        if xs and len(xs[0]) != self.outputs:     # a short dot product would silently drop values
            raise ValueError(f'{self.name} expects {self.outputs} values per instance, '
                             f'but xs[0] has {len(xs[0])}')
        return self._forward(xs, ys, alpha)

    def set_inputs(self, inputs):
        raise TypeError('an InputLayer starts a chain; it cannot follow another layer')

    def predict(self, xs):
        yhats, _, _ = self(xs)
        return yhats

    def evaluate(self, xs, ys):
        """Mean over instances of the loss (summed over outputs)."""
        _, ls, _ = self(xs, ys)
        return sum(self._losses(ls)) / len(ls)

    def partial_fit(self, xs, ys, *, alpha=0.001, batch_size=None):
        """One epoch in mini-batches (batch_size=None: one batch); returns the epoch's mean loss."""
        n = len(xs)
        size = batch_size or n
        total = 0.0
        with self._data_gradient_skipped():
            for start in range(0, n, size):
                _, ls, _ = self(xs[start:start + size], ys[start:start + size], alpha)
                total += sum(self._losses(ls))
        return total / n

    def _losses(self, ls):
        if ls is None:
            raise TypeError(f'{self.name}\'s chain ends without a LossLayer, so it has no loss to evaluate '
                            'or train on: end it with, e.g., + LossLayer(loss=mean_squared_error)')
        return ls

    @contextmanager
    def _data_gradient_skipped(self):
        """While training, nobody reads ∂l/∂x of the data itself: the DenseLayer right behind
        us may skip that product (the largest of a typical backward pass)."""
        first = self.next
        if not isinstance(first, DenseLayer) or not first.inputs_gradient:
            yield
            return
        first.inputs_gradient = False
        try:
            yield
        finally:
            first.inputs_gradient = True

    def fit(self, xs, ys, *, alpha=0.001, epochs=100, batch_size=None, validation_data=None):
        """Train `epochs` epochs, reshuffling a copy of the data each epoch.

        Returns the history {'loss': [...], 'val_loss': [...]} with one value per epoch
        ('val_loss' only with validation_data=(xs, ys)).
        """
        history = {'loss': []}
        if validation_data is not None:
            history['val_loss'] = []
        order = list(range(len(xs)))
        for _ in progress(range(epochs), desc='Epochs completed', unit='epoch'):
            random.shuffle(order)
            epoch_xs = [xs[i] for i in order]
            epoch_ys = [ys[i] for i in order]
            history['loss'].append(self.partial_fit(epoch_xs, epoch_ys, alpha=alpha,
                                                    batch_size=batch_size))
            if validation_data is not None:
                history['val_loss'].append(self.evaluate(*validation_data))
        return history


class DenseLayer(Layer):
    """hₙₒ = bₒ + Σᵢ wₒᵢ·xₙᵢ, with weights Xavier-uniform U(±√(6/(nᵢ + nₒ))) and biases 0."""

    inputs_gradient = True
    """Whether the backward pass returns gs. InputLayer.partial_fit switches it off for the
    layer right behind it while it trains: the gradient of the data itself is never read."""

    def __init__(self, outputs, *, name=None, next=None):
        super().__init__(outputs, name=name, next=next)
        self.bias = [0.0] * outputs
        self.weights = None

    def set_inputs(self, inputs):
        self.inputs = inputs
        limit = math.sqrt(6.0 / (inputs + self.outputs))
        self.weights = [[random.uniform(-limit, limit) for _ in range(inputs)]
                        for _ in range(self.outputs)]

    def __call__(self, xs, ys=None, alpha=None):
        bias, weights = self.bias, self.weights
        if weights is None:
            raise RuntimeError(f'{self.name} has no weights yet: chain it after a layer '
                               'so it knows its number of inputs')
        # forward: hₙₒ = bₒ + Σᵢ wₒᵢ·xₙᵢ
        hs = [[b + dot(w, x) for b, w in zip(bias, weights)] for x in xs]
        yhats, ls, qs = self._forward(hs, ys, alpha)
        if qs is None:
            return yhats, ls, None

        # backward, with the weights from before this update: gₙᵢ = Σₒ wₒᵢ·qₙₒ
        gs = None
        if self.inputs_gradient:
            columns = list(zip(*weights))
            gs = [[dot(column, q) for column in columns] for q in qs]

        # update: bₒ ← bₒ − (α/N)·Σₙ qₙₒ,  wₒᵢ ← wₒᵢ − (α/N)·Σₙ qₙₒ·xₙᵢ
        step = alpha / len(xs)
        x_columns = list(zip(*xs))
        for o, q_column in enumerate(zip(*qs)):
            bias[o] -= step * sum(q_column)
            weights[o] = [w - step * dot(q_column, x_column)
                          for w, x_column in zip(weights[o], x_columns)]
        return yhats, ls, gs


class ActivationLayer(Layer):
    """hₙᵢ = φ(xₙᵢ); extra keyword arguments (e.g. beta=1) are passed on to φ."""

    keeps_width = True

    def __init__(self, outputs, activation=linear, *, name=None, next=None, **kwargs):
        super().__init__(outputs, name=name, next=next)
        self.activation = activation
        self.activation_kwargs = kwargs

    def describe(self):
        extra = ''.join(f', {key}={value!r}' for key, value in self.activation_kwargs.items())
        return (f'{type(self).__name__}(num_outputs={self.outputs}, name={self.name!r}, '
                f'activation={self.activation.__name__!r}{extra})')

    def __call__(self, xs, ys=None, alpha=None):
        phi = self.activation
        phi_prime = exact_derivative(phi)
        if self.activation_kwargs:
            phi = partial(phi, **self.activation_kwargs)
            phi_prime = partial(phi_prime, **self.activation_kwargs)
        # forward: hₙᵢ = φ(xₙᵢ)
        hs = [[phi(v) for v in x] for x in xs]
        yhats, ls, qs = self._forward(hs, ys, alpha)
        if qs is None:
            return yhats, ls, None
        # backward: gₙᵢ = φ'(xₙᵢ)·qₙᵢ
        gs = [[phi_prime(v) * q for v, q in zip(x, qn)] for x, qn in zip(xs, qs)]
        return yhats, ls, gs


class SoftmaxLayer(Layer):
    """ŷₙᵢ = e^(xₙᵢ − mₙ) / Σₒ e^(xₙₒ − mₙ), mₙ = maxₒ xₙₒ (so exp never overflows)."""

    keeps_width = True

    def __call__(self, xs, ys=None, alpha=None):
        hs = []
        for x in xs:
            m = max(x)
            exps = [math.exp(v - m) for v in x]
            total = sum(exps)
            hs.append([e / total for e in exps])
        yhats, ls, qs = self._forward(hs, ys, alpha)
        if qs is None:
            return yhats, ls, None
        # backward: gₙᵢ = Σₒ qₙₒ·ŷₙₒ·(δᵢₒ − ŷₙᵢ) = ŷₙᵢ·(qₙᵢ − Σₒ qₙₒ·ŷₙₒ)
        gs = []
        for h, q in zip(hs, qs):
            mean_q = dot(q, h)
            gs.append([hi * (qi - mean_q) for hi, qi in zip(h, q)])
        return yhats, ls, gs


class LossLayer(Layer):
    """The tail of a model: lₙ = Σᵢ L(ŷₙᵢ; yₙᵢ), and on the way back gₙᵢ = L'(ŷₙᵢ; yₙᵢ)."""

    def __init__(self, loss=mean_squared_error, *, name=None):
        super().__init__(None, name=name)
        self.loss = loss

    def describe(self):
        return (f'{type(self).__name__}(num_inputs={self.inputs}, name={self.name!r}, '
                f'loss={self.loss.__name__!r})')

    def __call__(self, xs, ys=None, alpha=None):
        yhats, ls, gs = xs, None, None
        if ys is not None:
            if xs and ys and len(ys[0]) != len(xs[0]):
                raise ValueError(f'{self.name} gets {len(xs[0])} outputs per instance, '
                                 f'but ys[0] has {len(ys[0])} values')
            loss = self.loss
            ls = [sum(map(loss, yhat, y)) for yhat, y in zip(yhats, ys)]
            if alpha is not None:
                loss_prime = exact_derivative(loss)
                gs = [list(map(loss_prime, yhat, y)) for yhat, y in zip(yhats, ys)]
        return yhats, ls, gs

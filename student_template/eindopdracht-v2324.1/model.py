"""model.py: jouw eigen neurale-netwerkmodule / your own neural-network module.

NL: Vul elke functie en methode in met je eigen code uit de werkcolleges (vervang elke
`raise NotImplementedError`). Alleen de Python Standard Library is toegestaan (math,
random, copy, collections, ...); numpy, sklearn e.d. niet. Namen en signaturen zijn wat
het notebook en de autograder gebruiken: verander ze niet.

EN: Replace every `raise NotImplementedError` by your own code from the workshops. Only
the Python standard library is allowed (no numpy, sklearn, ...). The names and signatures
are what the notebook and the grader call: keep them.

Activation functions take one float and return one float; every one of them must work at
±1000 without OverflowError (math.exp overflows above about 709.78) and return the true
limit there. Loss functions take (yhat, y) for one output element. xs is a list of
instances (each a list of floats); ys a list of targets (a float each for the single-neuron
models, a list per instance for the layers).
"""
import math
import random


def linear(a):
    """Identity: φ(a) = a."""
    raise NotImplementedError


def tanh(a):
    """Hyperbolic tangent: φ(a) = (eᵃ − e⁻ᵃ) / (eᵃ + e⁻ᵃ); tanh(±1000) = ±1.
    No OverflowError for any float: math.exp(x) overflows for x > 709.78.
    """
    raise NotImplementedError


def softsign(a):
    """φ(a) = a / (1 + |a|)."""
    raise NotImplementedError


def sigmoid(a):
    """Logistic function: φ(a) = 1 / (1 + e⁻ᵃ); sigmoid(−1000) = 0, sigmoid(1000) = 1.
    No OverflowError for any float: math.exp(x) overflows for x > 709.78.
    """
    raise NotImplementedError


def softplus(a):
    """φ(a) = ln(1 + eᵃ); softplus(1000) = 1000, softplus(−1000) = 0.
    No OverflowError for any float: math.exp(x) overflows for x > 709.78.
    """
    raise NotImplementedError


def relu(a):
    """Rectified linear unit: φ(a) = max(0, a)."""
    raise NotImplementedError


def swish(a, beta=1):
    """φ(a) = a·sigmoid(β·a); swish(−1000) = −0, swish(1000) = 1000.
    No OverflowError for any float: math.exp(x) overflows for x > 709.78.
    """
    raise NotImplementedError


def sign(a):
    """φ(a) = −1 for a < 0, 0 for a = 0, +1 for a > 0."""
    raise NotImplementedError


def elish(a):
    """ELiSH (Basirat & Roth, 2018):
    φ(a) = a·sigmoid(a) for a ≥ 0 and (eᵃ − 1)·sigmoid(a) for a < 0; elish(−1000) = −0.
    No OverflowError for any float: math.exp(x) overflows for x > 709.78.
    """
    raise NotImplementedError


def hardelish(a):
    """HardELiSH, with the hard sigmoid h(a) = max(0, min(1, (a + 1) / 2)):
    φ(a) = a·h(a) for a ≥ 0 and (eᵃ − 1)·h(a) for a < 0 (every a gives a value).
    No OverflowError for any float: math.exp(x) overflows for x > 709.78.
    """
    raise NotImplementedError


def nipuna(a, beta=1):
    """NIPUNA: φ(a) = max(a·sigmoid(β·a), a), i.e. a for a ≥ 0 and a·sigmoid(β·a) below.
    No OverflowError for any float: math.exp(x) overflows for x > 709.78.
    """
    raise NotImplementedError


def mean_squared_error(yhat, y):
    """L(ŷ; y) = (ŷ − y)² for one output element."""
    raise NotImplementedError


def mean_absolute_error(yhat, y):
    """L(ŷ; y) = |ŷ − y| for one output element."""
    raise NotImplementedError


def categorical_crossentropy(yhat, y):
    """L(ŷ; y) = −y·pseudo_log(ŷ) for one output element."""
    raise NotImplementedError


def binary_crossentropy(yhat, y):
    """L(ŷ; y) = −y·pseudo_log(ŷ) − (1 − y)·pseudo_log(1 − ŷ) for one output element."""
    raise NotImplementedError


def hinge(yhat, y):
    """L(ŷ; y) = max(1 − ŷ·y, 0) for one output element (labels −1/+1)."""
    raise NotImplementedError


def pseudo_log(x):
    """ln(x) for x ≥ ε, else ln(ε) + (x − ε)/ε (the tangent at ε): a prediction of 0
    then costs a large finite loss instead of an error. Pick a small ε, at most 0.01
    (the table of Deel A needs L(0.01; 1) = 4.60517).
    """
    raise NotImplementedError


def derivative(function, delta=1e-06):
    """Return a function wrapper(x, *args) computing the central difference
    (f(x + δ, *args) − f(x − δ, *args)) / (2δ) with δ = delta,
    whose __name__ is the name of f plus ’ (e.g. "tanh’").
    """
    raise NotImplementedError


class Perceptron:
    """Rosenblatt's perceptron: ŷ = sign(b + Σᵢ wᵢ·xᵢ), learning one instance at a time."""

    def __init__(self, dim):
        """A perceptron with `dim` inputs; bias and weights start at 0."""
        raise NotImplementedError

    def __repr__(self):
        """Exactly 'Perceptron(dim=2)' (with this model's dim)."""
        raise NotImplementedError

    def predict(self, xs):
        """A list with the prediction (−1, 0 or +1) of every instance in xs."""
        raise NotImplementedError

    def partial_fit(self, xs, ys):
        """One epoch: per instance b ← b − (ŷ − y) and wᵢ ← wᵢ − (ŷ − y)·xᵢ."""
        raise NotImplementedError

    def fit(self, xs, ys, *, epochs=0):
        """Train `epochs` epochs; epochs=0 means: until an epoch changes nothing
        (then print after how many epochs).
        """
        raise NotImplementedError


class LinearRegression:
    """ŷ = b + Σᵢ wᵢ·xᵢ, trained by stochastic gradient descent on the squared error."""

    def __init__(self, dim):
        """A model with `dim` inputs; bias and weights start at 0."""
        raise NotImplementedError

    def __repr__(self):
        """Exactly 'LinearRegression(dim=2)' (with this model's dim)."""
        raise NotImplementedError

    def predict(self, xs):
        """A list with b + Σᵢ wᵢ·xᵢ for every instance in xs."""
        raise NotImplementedError

    def partial_fit(self, xs, ys, *, alpha=0.01):
        """One epoch: per instance b ← b − α·(ŷ − y) and wᵢ ← wᵢ − α·(ŷ − y)·xᵢ."""
        raise NotImplementedError

    def fit(self, xs, ys, *, alpha=0.01, epochs=100):
        """Train `epochs` epochs of partial_fit with learning rate alpha."""
        raise NotImplementedError


class Neuron:
    """ŷ = φ(b + Σᵢ wᵢ·xᵢ) with an activation function φ, trained on a loss function L
    (the perceptron, a support vector machine and logistic regression in one).
    """

    def __init__(self, dim, activation=linear, loss=mean_squared_error):
        """A neuron with `dim` inputs; bias and weights start at 0."""
        raise NotImplementedError

    def __repr__(self):
        """Exactly 'Neuron(dim=2, activation=linear, loss=hinge)' (the functions' names)."""
        raise NotImplementedError

    def predict(self, xs):
        """A list with φ(b + Σᵢ wᵢ·xᵢ) for every instance in xs."""
        raise NotImplementedError

    def partial_fit(self, xs, ys, *, alpha=0.01):
        """One epoch: per instance, with a = b + Σᵢ wᵢ·xᵢ and ŷ = φ(a):
        b ← b − α·L'(ŷ; y)·φ'(a) and wᵢ ← wᵢ − α·L'(ŷ; y)·φ'(a)·xᵢ
        (L' and φ' for instance with derivative()).
        """
        raise NotImplementedError

    def fit(self, xs, ys, *, alpha=0.01, epochs=100):
        """Train `epochs` epochs of partial_fit with learning rate alpha."""
        raise NotImplementedError


class Layer:
    """Base class of every layer: a name, a number of outputs and the next layer of the chain."""

    def __init__(self, outputs, *, name=None, next=None):
        """Without a name the name is '<ClassName>_<n>', counted per class (a class-wide
        counter). The number of inputs is known once the layer is chained (set_inputs).
        """
        raise NotImplementedError

    def __repr__(self):
        """The chain from this layer on, the layers joined by ' + ', starting e.g. with
        InputLayer(outputs=2, name='InputLayer_1'); show every layer of the chain.
        """
        raise NotImplementedError

    def add(self, next):
        """Append `next` after the last layer of this chain and give it its number of inputs."""
        raise NotImplementedError

    def set_inputs(self, inputs):
        """Store the number of inputs. A DenseLayer creates its weights here; an ActivationLayer
        or SoftmaxLayer must get as many inputs as it has outputs (raise an error otherwise).
        """
        raise NotImplementedError

    def __add__(self, next):
        """a + b: a new chain of (deep) copies of a and b; a and b themselves stay unchanged."""
        raise NotImplementedError

    def __iadd__(self, next):
        """a += b: append a copy of b to this chain and return self."""
        raise NotImplementedError

    def __iter__(self):
        """Iterate over the layers of the chain from this one on."""
        raise NotImplementedError

    def __len__(self):
        """The number of layers of the chain from this one on."""
        raise NotImplementedError

    def __getitem__(self, index):
        """net[2] is the layer at that position, net['name'] the layer with that name."""
        raise NotImplementedError

    def __call__(self, xs, ys=None, alpha=None):
        """Run the chain from this layer on a batch and return (yhats, ls, gs):
        yhats the outputs before the loss layer (N lists), ls the loss of each instance
        (None without ys), gs = ∂lₙ/∂(this layer's inputs) (None without alpha).
        Every subclass implements this.
        """
        raise NotImplementedError


class InputLayer(Layer):
    """The first layer of a model: passes the data on; offers predict, evaluate and training."""

    def __call__(self, xs, ys=None, alpha=None):
        """Pass xs on to the next layer and return its (yhats, ls, gs)."""
        raise NotImplementedError

    def set_inputs(self, inputs):
        """An InputLayer starts a chain: it cannot follow another layer (raise an error)."""
        raise NotImplementedError

    def predict(self, xs):
        """The model's outputs yhats: one list per instance in xs."""
        raise NotImplementedError

    def evaluate(self, xs, ys):
        """The mean over the instances of their loss ls."""
        raise NotImplementedError

    def partial_fit(self, xs, ys, *, alpha=0.001, batch_size=None):
        """One epoch in mini-batches of batch_size instances (None: all at once);
        return the mean loss of the epoch.
        """
        raise NotImplementedError

    def fit(self, xs, ys, *, alpha=0.001, epochs=100, batch_size=None, validation_data=None):
        """Train `epochs` epochs, shuffling xs and ys together each epoch (without changing
        the caller's lists). Return the history {'loss': [...], 'val_loss': [...]}: one
        value per epoch ('val_loss' with validation_data=(xs, ys)).
        """
        raise NotImplementedError


class DenseLayer(Layer):
    """A fully connected layer: hₙₒ = bₒ + Σᵢ wₒᵢ·xₙᵢ, with biases self.bias[o] and
    weights self.weights[o][i] (plain lists).
    """

    def __init__(self, outputs, *, name=None, next=None):
        """Biases start at 0; the weights are created by set_inputs."""
        raise NotImplementedError

    def set_inputs(self, inputs):
        """Create the weights Xavier-uniform: wₒᵢ ~ U(−√(6 / (nᵢ + nₒ)), +√(6 / (nᵢ + nₒ)))."""
        raise NotImplementedError

    def __call__(self, xs, ys=None, alpha=None):
        """Forward: hₙₒ = bₒ + Σᵢ wₒᵢ·xₙᵢ. Backward, with qₙₒ from the next layer:
        return gₙᵢ = Σₒ wₒᵢ·qₙₒ and update the parameters (N instances in the batch):
        bₒ ← bₒ − (α/N)·Σₙ qₙₒ and wₒᵢ ← wₒᵢ − (α/N)·Σₙ qₙₒ·xₙᵢ.
        """
        raise NotImplementedError


class ActivationLayer(Layer):
    """hₙᵢ = φ(xₙᵢ), element by element: as many outputs as inputs."""

    def __init__(self, outputs, activation=linear, *, name=None, next=None, **kwargs):
        """Extra keyword arguments (e.g. beta=1) are passed on to the activation function."""
        raise NotImplementedError

    def __call__(self, xs, ys=None, alpha=None):
        """Forward: hₙᵢ = φ(xₙᵢ). Backward: gₙᵢ = φ'(xₙᵢ)·qₙᵢ."""
        raise NotImplementedError


class SoftmaxLayer(Layer):
    """ŷₙᵢ = e^xₙᵢ / Σₒ e^xₙₒ: scores to probabilities; as many outputs as inputs."""

    def __call__(self, xs, ys=None, alpha=None):
        """Forward: subtract each instance's maximum before exp (no overflow).
        Backward: gₙᵢ = Σₒ qₙₒ·ŷₙₒ·(δᵢₒ − ŷₙᵢ).
        """
        raise NotImplementedError


class LossLayer(Layer):
    """The last layer of a model: the loss of each instance, summed over its outputs."""

    def __init__(self, loss=mean_squared_error, *, name=None):
        """A loss layer with loss function L(ŷ; y); it has no outputs of its own."""
        raise NotImplementedError

    def __call__(self, xs, ys=None, alpha=None):
        """Return yhats = xs; with ys also ls: lₙ = Σᵢ L(ŷₙᵢ; yₙᵢ);
        with alpha also gs: gₙᵢ = L'(ŷₙᵢ; yₙᵢ).
        """
        raise NotImplementedError

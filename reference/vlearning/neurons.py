"""Single-neuron models: the perceptron, linear regression and the general neuron.

Each learns online, one instance at a time, as the course prescribes; xs is a list of
instances (lists of floats) and ys a flat list of targets.
"""
from ._linalg import dot
from .activation_functions import linear, sign
from .calculus import exact_derivative
from .loss_functions import mean_squared_error

__all__ = ['Perceptron', 'LinearRegression', 'Neuron']


class Perceptron:
    """Rosenblatt's perceptron: ŷ = sign(b + Σ wᵢxᵢ), updated only when it errs."""

    def __init__(self, dim):
        self.dim = dim
        self.bias = 0.0
        self.weights = [0.0] * dim

    def __repr__(self):
        return f'Perceptron(dim={self.dim})'

    def predict(self, xs):
        return [sign(self.bias + dot(self.weights, x)) for x in xs]

    def partial_fit(self, xs, ys):
        """One epoch: b ← b − (ŷ − y), wᵢ ← wᵢ − (ŷ − y)·xᵢ per instance."""
        for x, y in zip(xs, ys):
            error = sign(self.bias + dot(self.weights, x)) - y
            if error:
                self.bias -= error
                self.weights = [w - error * xi for w, xi in zip(self.weights, x)]

    def fit(self, xs, ys, *, epochs=0):
        """Train `epochs` epochs; epochs=0 trains until an epoch changes nothing.

        With epochs=0 the data must be linearly separable, or this never ends.
        """
        epoch = 0
        while epochs == 0 or epoch < epochs:
            before = (self.bias, self.weights)
            self.partial_fit(xs, ys)
            epoch += 1
            if (self.bias, self.weights) == before:
                print(f'Model has been fully fitted after {epoch} epochs')
                break


class LinearRegression:
    """ŷ = b + Σ wᵢxᵢ, fitted by stochastic gradient descent on the squared error."""

    def __init__(self, dim):
        self.dim = dim
        self.bias = 0.0
        self.weights = [0.0] * dim

    def __repr__(self):
        return f'LinearRegression(dim={self.dim})'

    def predict(self, xs):
        return [self.bias + dot(self.weights, x) for x in xs]

    def partial_fit(self, xs, ys, *, alpha=0.01):
        """One epoch: b ← b − α(ŷ − y), wᵢ ← wᵢ − α(ŷ − y)·xᵢ per instance."""
        for x, y in zip(xs, ys):
            step = alpha * (self.bias + dot(self.weights, x) - y)
            self.bias -= step
            self.weights = [w - step * xi for w, xi in zip(self.weights, x)]

    def fit(self, xs, ys, *, alpha=0.01, epochs=100):
        for _ in range(epochs):
            self.partial_fit(xs, ys, alpha=alpha)


class Neuron:
    """ŷ = φ(b + Σ wᵢxᵢ) trained on a loss L: the perceptron, SVM and logistic regression in one."""

    def __init__(self, dim, activation=linear, loss=mean_squared_error):
        self.dim = dim
        self.activation = activation
        self.loss = loss
        self.bias = 0.0
        self.weights = [0.0] * dim

    def __repr__(self):
        return (f'Neuron(dim={self.dim}, activation={self.activation.__name__}, '
                f'loss={self.loss.__name__})')

    def predict(self, xs):
        phi, bias, weights = self.activation, self.bias, self.weights
        return [phi(bias + dot(weights, x)) for x in xs]

    def partial_fit(self, xs, ys, *, alpha=0.01):
        """One epoch: with a = b + w·x, b ← b − α·L'(ŷ; y)·φ'(a), wᵢ ← wᵢ − α·L'(ŷ; y)·φ'(a)·xᵢ."""
        phi, phi_prime = self.activation, exact_derivative(self.activation)
        loss_prime = exact_derivative(self.loss)
        for x, y in zip(xs, ys):
            a = self.bias + dot(self.weights, x)
            step = alpha * loss_prime(phi(a), y) * phi_prime(a)
            self.bias -= step
            self.weights = [w - step * xi for w, xi in zip(self.weights, x)]

    def fit(self, xs, ys, *, alpha=0.01, epochs=100):
        for _ in range(epochs):
            self.partial_fit(xs, ys, alpha=alpha)

"""Perceptron, LinearRegression and Neuron: the Part A single-neuron cells."""
import io
import re
from contextlib import redirect_stdout

import pytest

import vlearning
from vlearning import activation_functions as af
from vlearning import data
from vlearning import loss_functions as lf


def accuracy(predictions, ys, threshold=0.0):
    return sum((p > threshold) == (y > threshold) for p, y in zip(predictions, ys)) / len(ys)


@pytest.mark.parametrize('seed', range(5))
def test_perceptron_converges_on_separable_data_and_says_so(seed):
    xs, ys = data.linear('nominal', seed=seed)
    model = vlearning.Perceptron(dim=2)
    with redirect_stdout(io.StringIO()) as out:
        model.fit(xs, ys)
    match = re.fullmatch(r'Model has been fully fitted after (\d+) epochs\n', out.getvalue())
    assert match and int(match.group(1)) >= 1
    assert model.predict(xs) == ys
    assert repr(model) == 'Perceptron(dim=2)'


def test_perceptron_with_an_epoch_limit_stops_there():
    """On data it cannot separate, fit(epochs=3) runs exactly three epochs and never claims
    to have converged (epochs=0 would never end here)."""
    xs, ys = data.linear('nominal', noise=2.0, seed=3)
    model = vlearning.Perceptron(dim=2)
    epochs = []
    original = model.partial_fit
    model.partial_fit = lambda *args, **kwargs: epochs.append(1) or original(*args, **kwargs)
    with redirect_stdout(io.StringIO()) as out:
        model.fit(xs, ys, epochs=3)
    assert len(epochs) == 3
    assert 'fully fitted' not in out.getvalue()


def test_perceptron_update_rule():
    model = vlearning.Perceptron(dim=2)
    model.partial_fit([[2.0, -1.0]], [1.0])         # ŷ = sign(0) = 0, error −1
    assert (model.bias, model.weights) == (1.0, [2.0, -1.0])


@pytest.mark.parametrize('seed', range(3))
def test_svm_neuron_with_hinge_separates_noisy_classes(seed):
    xs, ys = data.linear(outcome='nominal', noise=1.0, seed=seed)
    model = vlearning.Neuron(dim=2, loss=lf.hinge)
    model.fit(xs, ys)
    assert accuracy(model.predict(xs), ys) >= 0.8
    assert repr(model) == 'Neuron(dim=2, activation=linear, loss=hinge)'


@pytest.mark.parametrize('seed', range(3))
def test_logistic_regression_neuron(seed):
    xs, ys = data.linear(outcome='nominal', noise=1.0, seed=seed)
    ys = [(y + 1.0) / 2.0 for y in ys]
    model = vlearning.Neuron(dim=2, activation=af.sigmoid, loss=lf.binary_crossentropy)
    model.fit(xs, ys)
    predictions = model.predict(xs)
    assert all(0.0 <= p <= 1.0 for p in predictions)
    assert accuracy(predictions, ys, threshold=0.5) >= 0.8
    assert repr(model) == 'Neuron(dim=2, activation=sigmoid, loss=binary_crossentropy)'


def test_neuron_update_rule_uses_loss_and_activation_derivatives():
    model = vlearning.Neuron(dim=1, activation=af.tanh, loss=lf.mean_squared_error)
    model.bias, model.weights = 0.2, [0.5]
    x, y, alpha = 1.5, 0.3, 0.1
    a = 0.2 + 0.5 * x
    step = alpha * 2 * (af.tanh(a) - y) * (1 - af.tanh(a) ** 2)
    model.partial_fit([[x]], [y], alpha=alpha)
    assert model.bias == pytest.approx(0.2 - step)
    assert model.weights[0] == pytest.approx(0.5 - step * x)


@pytest.mark.parametrize('seed', range(3))
def test_linear_regression_recovers_the_plane(seed):
    xs, ys = data.linear('numeric', noise=0.5, seed=seed)
    clean_xs, clean_ys = data.linear('numeric', seed=seed)
    model = vlearning.LinearRegression(dim=2)
    model.fit(xs, ys)
    residual = sum((p - y) ** 2 for p, y in zip(model.predict(xs), ys)) / len(ys)
    assert residual < 0.5          # noise of sd 0.5 on the xs leaves about 0.25
    assert repr(model) == 'LinearRegression(dim=2)'
    assert clean_ys == [pytest.approx(model.bias + sum(w * x for w, x in zip(model.weights, xi)), abs=1.5)
                        for xi in clean_xs]

"""The seed's multi-layer Part A cells (In[12], In[14]) run with the reference, exact settings."""
import io
import random
from contextlib import redirect_stderr
from statistics import mean

import pytest

from vlearning import activation_functions, data, layers, loss_functions


def fractal_cell(seed):
    """In[12]: a 2-20-10-4 tanh classifier on data.fractal(4)."""
    xs, ys = data.fractal(4, seed=seed)
    random.seed(seed)
    my_model = (
        layers.InputLayer(2) +
        layers.DenseLayer(20) + layers.ActivationLayer(20, activation=activation_functions.tanh) +
        layers.DenseLayer(10) + layers.ActivationLayer(10, activation=activation_functions.tanh) +
        layers.DenseLayer(4) + layers.SoftmaxLayer(4) +
        layers.LossLayer(loss=loss_functions.categorical_crossentropy)
    )
    with redirect_stderr(io.StringIO()):
        my_model.fit(xs, ys, alpha=0.5, epochs=100, batch_size=20)
        my_model.fit(xs, ys, alpha=0.5, epochs=10)
    hits = [max(range(4), key=yhat.__getitem__) == y.index(1.0)
            for yhat, y in zip(my_model.predict(xs), ys)]
    return sum(hits) / len(hits)


def test_fractal_classifier_averages_at_least_70_percent_over_five_seeds():
    accuracies = [fractal_cell(seed) for seed in range(5)]
    assert mean(accuracies) >= 0.70, accuracies
    assert min(accuracies) >= 0.60, accuracies


def concentric_cell(seed):
    """In[14]: a 2-20-10-1 tanh regression network on data.concentric(noise=0.1)."""
    xs, ys = data.concentric(noise=0.1, seed=seed)
    random.seed(seed)
    my_model = (
        layers.InputLayer(2) +
        layers.DenseLayer(20) + layers.ActivationLayer(20, activation=activation_functions.tanh) +
        layers.DenseLayer(10) + layers.ActivationLayer(10, activation=activation_functions.tanh) +
        layers.DenseLayer(1) + layers.ActivationLayer(1, activation=activation_functions.linear) +
        layers.LossLayer(loss=loss_functions.mean_squared_error)
    )
    with redirect_stderr(io.StringIO()):
        first = my_model.fit(xs, ys, alpha=0.05, epochs=200, batch_size=10)
        second = my_model.fit(xs, ys, alpha=0.05, epochs=20)
    variance = mean((y[0] - mean(v[0] for v in ys)) ** 2 for y in ys)
    return first['loss'][0], second['loss'][-1], my_model.evaluate(xs, ys), variance


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_concentric_regression_final_loss_bound(seed):
    # Measured with these settings: final MSE 0.17-0.29 against a target variance of
    # about 0.48 (seeds 0-4). The bound: below 0.35 and below 70 % of the variance.
    initial, final, evaluated, variance = concentric_cell(seed)
    assert final < 0.35
    assert final < 0.70 * variance
    assert final < initial
    assert evaluated == pytest.approx(final, rel=0.05)

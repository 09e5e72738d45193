"""Finite-difference checks of every layer's backward pass and of the DenseLayer updates."""
import math
import random
from copy import deepcopy

import pytest

from vlearning import activation_functions as af
from vlearning import layers
from vlearning import loss_functions as lf

H = 1e-6


def relative_error(a, b):
    """‖a − b‖ / max(‖a‖, ‖b‖) over flattened lists: the usual gradient-check measure."""
    a, b = _flat(a), _flat(b)
    diff = math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))
    scale = max(math.sqrt(sum(x * x for x in a)), math.sqrt(sum(y * y for y in b)), 1e-300)
    return diff / scale


def _flat(rows):
    return [v for row in rows for v in row] if rows and isinstance(rows[0], list) else list(rows)


def numeric_input_gradient(layer, xs, ys):
    """∂lₙ/∂xₙᵢ by central differences of the losses the chain returns (no update: alpha=None)."""
    grads = []
    for n in range(len(xs)):
        row = []
        for i in range(len(xs[n])):
            plus = deepcopy(xs); plus[n][i] += H
            minus = deepcopy(xs); minus[n][i] -= H
            row.append((layer(plus, ys)[1][n] - layer(minus, ys)[1][n]) / (2 * H))
        grads.append(row)
    return grads


def batch(n, width, rng, low=-1.5, high=1.5):
    return [[rng.uniform(low, high) for _ in range(width)] for _ in range(n)]


def one_hot_targets(n, width, rng):
    """n rows with a single 1.0 each, at a random position."""
    hot = [rng.randrange(width) for _ in range(n)]
    return [[1.0 if j == k else 0.0 for j in range(width)] for k in hot]


def chain(*parts):
    net = parts[0]
    for part in parts[1:]:
        net = net + part
    return net


def check_gs(layer, xs, ys):
    expected = numeric_input_gradient(deepcopy(layer), xs, ys)
    _, _, gs = deepcopy(layer)(deepcopy(xs), ys, alpha=0.0)
    assert gs is not None and len(gs) == len(xs)
    assert relative_error(gs, expected) < 1e-6


@pytest.mark.parametrize('n', [1, 5])
@pytest.mark.parametrize('loss', lf.__all__)
def test_loss_layer_gradient(n, loss):
    rng = random.Random(n)
    net = chain(layers.InputLayer(3), layers.LossLayer(loss=getattr(lf, loss)))
    xs = batch(n, 3, rng, 0.05, 0.95)
    ys = batch(n, 3, rng, 0.0, 1.0) if loss != 'hinge' else [[rng.choice((-1.0, 1.0)) for _ in range(3)] for _ in range(n)]
    check_gs(net[1], xs, ys)


@pytest.mark.parametrize('n', [1, 5])
@pytest.mark.parametrize('activation', ['linear', 'tanh', 'softsign', 'sigmoid', 'softplus',
                                        'swish', 'elish', 'hardelish', 'nipuna'])
def test_activation_layer_gradient(n, activation):
    rng = random.Random(n)
    net = chain(layers.InputLayer(4), layers.ActivationLayer(4, activation=getattr(af, activation)),
                layers.LossLayer(loss=lf.mean_squared_error))
    xs = batch(n, 4, rng)
    xs = [[x if abs(abs(x) - 1.0) > 1e-3 and abs(x) > 1e-3 else x + 0.01 for x in row] for row in xs]
    check_gs(net[1], xs, batch(n, 4, rng))


def test_activation_layer_passes_keyword_arguments_to_its_activation():
    rng = random.Random(3)
    net = chain(layers.InputLayer(3), layers.ActivationLayer(3, activation=af.nipuna, beta=2.5),
                layers.LossLayer())
    xs = batch(4, 3, rng)
    yhats = net.predict(xs)
    assert yhats == [[af.nipuna(x, beta=2.5) for x in row] for row in xs]
    check_gs(net[1], xs, batch(4, 3, rng))


@pytest.mark.parametrize('n', [1, 5])
@pytest.mark.parametrize('loss', ['categorical_crossentropy', 'mean_squared_error'])
def test_softmax_layer_gradient(n, loss):
    rng = random.Random(n)
    net = chain(layers.InputLayer(5), layers.SoftmaxLayer(5), layers.LossLayer(loss=getattr(lf, loss)))
    check_gs(net[1], batch(n, 5, rng, -3, 3), one_hot_targets(n, 5, rng))


def test_softmax_survives_huge_inputs():
    net = chain(layers.InputLayer(3), layers.SoftmaxLayer(3))
    assert net.predict([[1000.0, 0.0, -1000.0]]) == [[1.0, 0.0, 0.0]]


def deep_net(seed):
    random.seed(seed)
    return chain(layers.InputLayer(4), layers.DenseLayer(5), layers.ActivationLayer(5, activation=af.elish),
                 layers.DenseLayer(3), layers.ActivationLayer(3, activation=af.tanh),
                 layers.DenseLayer(3), layers.SoftmaxLayer(3),
                 layers.LossLayer(loss=lf.categorical_crossentropy))


@pytest.mark.parametrize('n', [1, 5])
def test_dense_layer_gradient(n):
    rng = random.Random(n)
    net = deep_net(n)
    xs, ys = batch(n, 4, rng), one_hot_targets(n, 3, rng)
    for position in (1, 3, 5):
        check_gs(net[position], _inputs_of(net, position, xs), ys)


def _inputs_of(net, position, xs):
    """The batch that arrives at net[position] (forward through the layers before it)."""
    head = deepcopy(net)
    layer = head[position - 1]
    layer.next = None
    return head.predict(xs)


@pytest.mark.parametrize('n', [1, 5])
def test_dense_updates_are_minus_alpha_over_n_times_the_gradient(n):
    rng = random.Random(10 + n)
    net = deep_net(100 + n)
    xs, ys = batch(n, 4, rng), one_hot_targets(n, 3, rng)
    alpha = 0.3
    before = deepcopy(net)
    net(xs, ys, alpha)
    for position in (1, 3, 5):
        old, new = before[position], net[position]
        expected_w, expected_b = [], []
        for o in range(old.outputs):
            row = []
            for i in range(old.inputs):
                row.append(-alpha / n * _numeric_parameter_gradient(before, position, 'weights', o, i, xs, ys))
            expected_w.append(row)
            expected_b.append(-alpha / n * _numeric_parameter_gradient(before, position, 'bias', o, None, xs, ys))
        delta_w = [[b - a for a, b in zip(ra, rb)] for ra, rb in zip(old.weights, new.weights)]
        delta_b = [b - a for a, b in zip(old.bias, new.bias)]
        assert relative_error(delta_w, expected_w) < 1e-6, position
        assert relative_error(delta_b, expected_b) < 1e-6, position


def _numeric_parameter_gradient(net, position, kind, o, i, xs, ys):
    """∂(Σₙ lₙ)/∂θ for one weight or bias of net[position], by central differences."""
    def total(shift):
        probe = deepcopy(net)
        params = getattr(probe[position], kind)
        if kind == 'weights':
            params[o][i] += shift
        else:
            params[o] += shift
        return sum(probe(xs, ys)[1])
    return (total(H) - total(-H)) / (2 * H)


def test_no_update_and_no_gradient_without_alpha():
    net = deep_net(7)
    before = deepcopy(net)
    yhats, ls, gs = net([[0.1, 0.2, 0.3, 0.4]], [[0.0, 1.0, 0.0]])
    assert gs is None and len(ls) == 1
    assert net[1].weights == before[1].weights and net[1].bias == before[1].bias
    yhats, ls, gs = net([[0.1, 0.2, 0.3, 0.4]])
    assert ls is None and gs is None and len(yhats[0]) == 3


# --- the whole chain's input gradients: model(xs, ys, alpha)[2] at the InputLayer ----------
def classifier(seed):
    random.seed(seed)
    return chain(layers.InputLayer(3), layers.DenseLayer(4), layers.ActivationLayer(4, activation=af.tanh),
                 layers.DenseLayer(3), layers.SoftmaxLayer(3), layers.LossLayer(loss=lf.categorical_crossentropy))


def regressor(seed):
    random.seed(seed)
    return chain(layers.InputLayer(3), layers.DenseLayer(5), layers.ActivationLayer(5, activation=af.elish),
                 layers.DenseLayer(1), layers.ActivationLayer(1, activation=af.linear),
                 layers.LossLayer(loss=lf.mean_squared_error))


@pytest.mark.parametrize('n', [1, 5])
@pytest.mark.parametrize('build, targets', [(classifier, 'one-hot'), (regressor, 'numeric')])
def test_the_input_layer_returns_the_gradient_of_the_whole_chain(n, build, targets):
    """The course's protocol at the head of a model: gs = ∂lₙ/∂xₙᵢ through every layer."""
    rng = random.Random(20 + n)
    net = build(n)
    xs = batch(n, 3, rng)
    ys = one_hot_targets(n, 3, rng) if targets == 'one-hot' else batch(n, 1, rng)
    check_gs(net, xs, ys)


class CountingDense(layers.DenseLayer):
    """A DenseLayer that counts the batches for which it returned gs."""

    def __call__(self, xs, ys=None, alpha=None):
        result = super().__call__(xs, ys, alpha)
        if result[2] is not None:
            self.gradients_returned += 1
        return result


def test_training_skips_only_the_gradient_of_the_data_itself():
    random.seed(3)
    net = chain(layers.InputLayer(3), CountingDense(4), layers.ActivationLayer(4, activation=af.tanh),
                CountingDense(2), layers.LossLayer())
    for layer in (net[1], net[3]):
        layer.gradients_returned = 0
    rng = random.Random(4)
    xs, ys = batch(12, 3, rng), batch(12, 2, rng)
    net.fit(xs, ys, alpha=0.1, epochs=2, batch_size=4)          # 2 epochs × 3 batches
    net.partial_fit(xs, ys, alpha=0.1, batch_size=6)            # 2 batches
    assert net[1].gradients_returned == 0                       # behind the InputLayer: never read
    assert net[3].gradients_returned == 8                       # the layer before it needs them
    assert net[1].inputs_gradient                               # switched back on after training
    _, _, gs = net(xs[:2], ys[:2], 0.1)                          # a direct call keeps the protocol
    assert net[1].gradients_returned == 1 and len(gs) == 2 and len(gs[0]) == 3


def test_training_switches_the_gradient_back_on_after_an_error():
    random.seed(5)
    net = chain(layers.InputLayer(2), layers.DenseLayer(2), layers.LossLayer())
    with pytest.raises(ValueError):
        net.partial_fit([[0.1, 0.2]], [[1.0, 2.0, 3.0]], alpha=0.1)     # ys of the wrong width
    assert net[1].inputs_gradient

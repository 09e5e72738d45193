"""Chaining, naming, indexing and the reprs of layers; fit/predict/evaluate behaviour."""
import io
import random
from contextlib import redirect_stderr

import pytest

from vlearning import activation_functions as af
from vlearning import layers
from vlearning import loss_functions as lf
from vlearning.layers import Layer


@pytest.fixture(autouse=True)
def fresh_counters(monkeypatch):
    """Default names count per class over the session; start each test at 1."""
    monkeypatch.setattr(Layer, 'classcounter', type(Layer.classcounter)())


def fractal_classifier():
    return (layers.InputLayer(2) +
            layers.DenseLayer(20) + layers.ActivationLayer(20, activation=af.tanh) +
            layers.DenseLayer(10) + layers.ActivationLayer(10, activation=af.tanh) +
            layers.DenseLayer(4) + layers.SoftmaxLayer(4) +
            layers.LossLayer(loss=lf.categorical_crossentropy))


SEED_REPR = """InputLayer(num_outputs=2, name='InputLayer_1') +
    DenseLayer(num_outputs=20, name='DenseLayer_1') +
    ActivationLayer(num_outputs=20, name='ActivationLayer_1', activation='tanh') +
    DenseLayer(num_outputs=10, name='DenseLayer_2') +
    ActivationLayer(num_outputs=10, name='ActivationLayer_2', activation='tanh') +
    DenseLayer(num_outputs=4, name='DenseLayer_3') +
    SoftmaxLayer(num_outputs=4, name='SoftmaxLayer_1') +
    LossLayer(num_inputs=4, name='LossLayer_1', loss='categorical_crossentropy')"""


def test_chain_repr_is_the_seeds():
    assert repr(fractal_classifier()) == SEED_REPR


def test_names_count_per_class_and_explicit_names_win():
    a, b, c = layers.DenseLayer(3), layers.DenseLayer(3), layers.ActivationLayer(3)
    named = layers.DenseLayer(3, name='hidden1')
    assert (a.name, b.name, c.name, named.name) == ('DenseLayer_1', 'DenseLayer_2',
                                                     'ActivationLayer_1', 'hidden1')


def test_indexing_by_position_and_name_len_and_iter():
    net = layers.InputLayer(144, name='input') + layers.DenseLayer(26, name='hidden1') + \
        layers.ActivationLayer(26, name='hidden2') + layers.LossLayer(name='output')
    assert len(net) == 4
    assert [layer.name for layer in net] == ['input', 'hidden1', 'hidden2', 'output']
    assert net[1] is net['hidden1'] and net[-1] is net['output']
    assert net[1].inputs == 144 and len(net[1].weights) == 26 and len(net[1].weights[0]) == 144
    assert net['output'].inputs == 26
    with pytest.raises(IndexError):
        net[4]
    with pytest.raises(KeyError, match='hidden3'):
        net['hidden3']


def test_plus_deep_copies_both_operands():
    head, tail = layers.InputLayer(2), layers.DenseLayer(3)
    net = head + tail
    assert head.next is None and tail.inputs is None
    assert net is not head and net.next is not tail and net.next.inputs == 2


def test_iadd_appends_in_place():
    net = layers.InputLayer(2)
    original = net
    net += layers.DenseLayer(3)
    net += layers.ActivationLayer(3, activation=af.relu)
    assert net is original and len(net) == 3 and net[2].inputs == 3


def test_xavier_uniform_initialisation(seeded):
    net = layers.InputLayer(144) + layers.DenseLayer(120)
    limit = (6 / (144 + 120)) ** 0.5
    weights = [w for row in net[1].weights for w in row]
    assert all(-limit <= w <= limit for w in weights)
    assert max(weights) > 0.95 * limit and min(weights) < -0.95 * limit
    assert net[1].bias == [0.0] * 120


def test_nothing_follows_a_loss_layer_and_widths_must_agree():
    with pytest.raises(TypeError, match='ends its chain'):
        layers.InputLayer(2) + layers.LossLayer() + layers.DenseLayer(2)
    with pytest.raises(ValueError, match='ActivationLayer keeps the width'):
        layers.InputLayer(2) + layers.DenseLayer(3) + layers.ActivationLayer(4)
    with pytest.raises(ValueError, match='SoftmaxLayer keeps the width'):
        layers.InputLayer(2) + layers.DenseLayer(3) + layers.SoftmaxLayer(2)
    assert len(layers.InputLayer(2) + layers.DenseLayer(3) + layers.SoftmaxLayer(3)) == 3


def test_a_layer_that_does_not_fit_is_not_chained():
    net = layers.InputLayer(2) + layers.DenseLayer(3)
    with pytest.raises(ValueError, match=r'has 4 outputs but the layer before it has 3: .* ActivationLayer\(3\)'):
        net += layers.ActivationLayer(4)
    net += layers.ActivationLayer(3)
    assert [type(layer).__name__ for layer in net] == ['InputLayer', 'DenseLayer', 'ActivationLayer']


def test_data_of_the_wrong_width_is_refused_by_name():
    net = layers.InputLayer(2) + layers.DenseLayer(1) + layers.LossLayer()
    with pytest.raises(ValueError, match=r'InputLayer_\d+ expects 2 values per instance, but xs\[0\] has 3'):
        net.predict([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match=r'LossLayer_\d+ gets 1 outputs per instance, but ys\[0\] has 2 values'):
        net.evaluate([[1.0, 2.0]], [[0.0, 1.0]])


def test_fit_keeps_the_callers_data_and_returns_a_history(seeded):
    xs = [[random.uniform(-1, 1), random.uniform(-1, 1)] for _ in range(40)]
    ys = [[1.0, 0.0] if x[0] > x[1] else [0.0, 1.0] for x in xs]
    xs_before, ys_before = [list(x) for x in xs], [list(y) for y in ys]
    net = layers.InputLayer(2) + layers.DenseLayer(2) + layers.SoftmaxLayer(2) + \
        layers.LossLayer(loss=lf.categorical_crossentropy)
    with redirect_stderr(io.StringIO()) as bar:
        history = net.fit(xs, ys, alpha=0.5, epochs=30, batch_size=8,
                          validation_data=(xs[:10], ys[:10]))
    assert xs == xs_before and ys == ys_before
    assert set(history) == {'loss', 'val_loss'}
    assert len(history['loss']) == len(history['val_loss']) == 30
    assert history['loss'][-1] < history['loss'][0] / 2
    assert 'Epochs completed' in bar.getvalue() and '30/30' in bar.getvalue()
    assert net.evaluate(xs, ys) == pytest.approx(
        sum(net(xs, ys)[1]) / len(xs))
    assert 'val_loss' not in net.fit(xs, ys, epochs=1)


def test_partial_fit_returns_the_mean_loss_of_the_epoch(seeded):
    xs = [[0.5, -0.5]] * 6
    ys = [[1.0]] * 6
    net = layers.InputLayer(2) + layers.DenseLayer(1) + layers.LossLayer()
    expected = net.evaluate(xs, ys)
    assert net.partial_fit(xs, ys, alpha=0.1) == pytest.approx(expected)   # one batch
    assert net.partial_fit(xs, ys, alpha=0.0, batch_size=4) == pytest.approx(net.evaluate(xs, ys))


def test_same_seed_same_training():
    results = []
    for _ in range(2):
        random.seed(99)
        net = fractal_classifier()
        with redirect_stderr(io.StringIO()):
            results.append(net.fit([[0.1, 0.2], [0.3, -0.4]] * 5, [[1.0, 0, 0, 0], [0, 0, 1.0, 0]] * 5,
                                   alpha=0.1, epochs=3, batch_size=3))
    assert results[0] == results[1]


def test_progress_fallback_without_tqdm(monkeypatch, capsys):
    from vlearning import _progress
    monkeypatch.setattr(_progress, '_tqdm', None)
    assert list(_progress.progress(range(4), desc='Epochs completed', unit='epoch')) == [0, 1, 2, 3]
    err = capsys.readouterr().err
    assert err.startswith('\rEpochs completed:   0%|          | 0/4')
    assert err.rstrip().endswith('epoch/s]')
    assert '100%|██████████| 4/4' in err


def test_a_chain_without_a_loss_layer_says_so_when_trained_or_evaluated():
    net = layers.InputLayer(2) + layers.DenseLayer(2)
    for call in (lambda: net.evaluate([[0.1, 0.2]], [[1.0, 0.0]]),
                 lambda: net.fit([[0.1, 0.2]], [[1.0, 0.0]], epochs=1),
                 lambda: net.partial_fit([[0.1, 0.2]], [[1.0, 0.0]], alpha=0.1)):
        with pytest.raises(TypeError, match='ends without a LossLayer'):
            call()
    assert len(net.predict([[0.1, 0.2]])[0]) == 2          # predicting needs no loss


def test_pseudo_log_has_its_exact_derivative_registered_like_every_loss():
    from vlearning.calculus import exact_derivative
    from vlearning.loss_functions import EPSILON, pseudo_log
    prime = exact_derivative(pseudo_log)
    assert prime is pseudo_log.prime
    assert prime(0.5) == 2.0 and prime(EPSILON / 2) == 1.0 / EPSILON

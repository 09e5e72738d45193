"""The loss functions against the seed's table (Out[8]) and their exact derivatives."""
import math

import pytest

import vlearning
from vlearning import loss_functions as lf
from vlearning.calculus import derivative

# The seed's cell Out[8] as printed; pandas prints each column with its own precision.
SEED_TABLE = {
    'mean_squared_error':       ['0.98010', '0.810000', '0.250000', '0.010000', '0.00010'],
    'mean_absolute_error':      ['0.99000', '0.900000', '0.500000', '0.100000', '0.01000'],
    'categorical_crossentropy': ['4.60517', '2.302585', '0.693147', '0.105361', '0.01005'],
    'binary_crossentropy':      ['4.60517', '2.302585', '0.693147', '0.105361', '0.01005'],
    'hinge':                    ['0.99000', '0.900000', '0.500000', '0.100000', '0.01000'],
}
SEED_ARGUMENTS = [0.01, 0.1, 0.5, 0.9, 0.99]


@pytest.mark.parametrize('name', list(SEED_TABLE))
def test_seed_table_to_printed_precision(name):
    loss = getattr(lf, name)
    for yhat, printed in zip(SEED_ARGUMENTS, SEED_TABLE[name]):
        decimals = len(printed.split('.')[1])
        assert f'{loss(yhat, 1.0):.{decimals}f}' == printed, (name, yhat)
        # and to six decimals as the issue demands, against the closed forms
    assert [f'{loss(a, 1.0):.6f}' for a in SEED_ARGUMENTS] == [f'{v:.6f}' for v in
                                                                _closed_forms(name)]


def _closed_forms(name):
    return {
        'mean_squared_error': [(a - 1) ** 2 for a in SEED_ARGUMENTS],
        'mean_absolute_error': [1 - a for a in SEED_ARGUMENTS],
        'categorical_crossentropy': [-math.log(a) for a in SEED_ARGUMENTS],
        'binary_crossentropy': [-math.log(a) for a in SEED_ARGUMENTS],
        'hinge': [1 - a for a in SEED_ARGUMENTS],
    }[name]


def test_all_lists_the_five_losses_in_table_order():
    assert lf.__all__ == list(SEED_TABLE)


def test_pseudo_log_is_ln_above_epsilon_and_its_tangent_below():
    eps = lf.EPSILON
    assert vlearning.pseudo_log(0.01) == math.log(0.01)
    assert vlearning.pseudo_log(eps) == pytest.approx(math.log(eps))
    assert vlearning.pseudo_log(0.0) == pytest.approx(math.log(eps) - 1.0)
    assert vlearning.pseudo_log(-1.0) == pytest.approx(math.log(eps) + (-1.0 - eps) / eps)
    # continuous at ε
    assert vlearning.pseudo_log(eps * (1 - 1e-12)) == pytest.approx(math.log(eps), abs=1e-9)


@pytest.mark.parametrize('y', [0.0, 0.3, 1.0])
def test_crossentropies_stay_finite_at_zero_and_one(y):
    for yhat in (0.0, 1.0, -0.5, 1.5):
        assert math.isfinite(lf.binary_crossentropy(yhat, y))
        assert math.isfinite(lf.categorical_crossentropy(yhat, y))


def test_hinge_on_labels_minus_one_and_plus_one():
    assert lf.hinge(0.3, -1.0) == pytest.approx(1.3)
    assert lf.hinge(2.0, 1.0) == 0.0
    assert lf.hinge(-2.0, -1.0) == 0.0


@pytest.mark.parametrize('name', lf.__all__)
@pytest.mark.parametrize('y', [0.0, 0.25, 1.0, -1.0])
def test_exact_derivative_matches_central_difference(name, y):
    loss = getattr(lf, name)
    numeric = derivative(loss, delta=1e-7)
    for yhat in (0.03, 0.2, 0.45, 0.7, 0.93):
        if name == 'mean_absolute_error' and abs(yhat - y) < 1e-3:
            continue
        if name == 'hinge' and abs(1 - yhat * y) < 1e-3:
            continue
        assert loss.prime(yhat, y) == pytest.approx(numeric(yhat, y), rel=1e-5, abs=1e-7), (name, yhat, y)

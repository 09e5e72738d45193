"""The activation functions against the seed's table (Out[5]) and an independent oracle."""
import math
from decimal import Decimal, localcontext

import pytest

import vlearning
from vlearning import activation_functions as af
from vlearning.calculus import derivative

# The seed's cell Out[5], as printed (6 decimals, signed zeros included).
SEED_TABLE = {
    'linear':    ['-1000.000000', '-1.000000', '0.000000', '1.000000', '1000.000000'],
    'tanh':      ['-1.000000', '-0.761594', '0.000000', '0.761594', '1.000000'],
    'softsign':  ['-0.999001', '-0.500000', '0.000000', '0.500000', '0.999001'],
    'sigmoid':   ['0.000000', '0.268941', '0.500000', '0.731059', '1.000000'],
    'softplus':  ['0.000000', '0.313262', '0.693147', '1.313262', '1000.000000'],
    'relu':      ['0.000000', '0.000000', '0.000000', '1.000000', '1000.000000'],
    'swish':     ['-0.000000', '-0.268941', '0.000000', '0.731059', '1000.000000'],
    'sign':      ['-1.000000', '-1.000000', '0.000000', '1.000000', '1.000000'],
    'elish':     ['-0.000000', '-0.170003', '0.000000', '0.731059', '1000.000000'],
    'hardelish': ['-0.000000', '-0.000000', '0.000000', '1.000000', '1000.000000'],
}
SEED_ARGUMENTS = [-1000, -1, 0, 1, 1000]


@pytest.mark.parametrize('name', list(SEED_TABLE))
def test_seed_table_to_six_decimals_with_signed_zeros(name):
    phi = getattr(af, name)
    assert [f'{phi(a):.6f}' for a in SEED_ARGUMENTS] == SEED_TABLE[name]


def test_all_lists_the_table_functions_in_order():
    assert af.__all__[:10] == list(SEED_TABLE)
    assert af.__all__[10] == 'nipuna'


# --- an independent oracle in 700-digit decimal arithmetic ------------------------------
def _sigma(x):
    return 1 / (1 + (-x).exp())


ORACLE = {
    'linear': lambda x: x,
    'tanh': lambda x: ((2 * x).exp() - 1) / ((2 * x).exp() + 1) if x < 0 else (1 - (-2 * x).exp()) / (1 + (-2 * x).exp()),
    'softsign': lambda x: x / (1 + abs(x)),
    'sigmoid': _sigma,
    'softplus': lambda x: (1 + x.exp()).ln(),
    'relu': lambda x: max(x, Decimal(0)),
    'swish': lambda x: x * _sigma(x),
    'sign': lambda x: Decimal((x > 0) - (x < 0)),
    'elish': lambda x: x * _sigma(x) if x >= 0 else (x.exp() - 1) * _sigma(x),
    'hardelish': lambda x: (x if x >= 0 else x.exp() - 1) * max(Decimal(0), min(Decimal(1), (x + 1) / 2)),
    'nipuna': lambda x: max(x * _sigma(x), x),
}
MODERATE = [-1000.0, -800.0, -745.2, -710.0, -709.8, -40.0, -5.0, -1.0000001, -1.0, -0.9999999,
            -0.5, -1e-300, 0.0, 1e-300, 0.5, 0.9999999, 1.0, 1.0000001, 5.0, 40.0, 709.8,
            710.0, 800.0, 1000.0]


def _oracle(name, x):
    with localcontext() as ctx:
        ctx.prec = 700   # enough digits for 1 ± 1e-300
        ctx.Emin, ctx.Emax = -999999, 999999
        return float(ORACLE[name](Decimal(x)))


@pytest.mark.parametrize('name', list(ORACLE))
@pytest.mark.parametrize('x', MODERATE)
def test_matches_oracle_including_overflow_range(name, x):
    value = getattr(af, name)(x)
    expected = _oracle(name, x)
    assert math.isfinite(value)
    assert value == pytest.approx(expected, rel=1e-12, abs=1e-300)
    if expected == 0.0 and name != 'sign':   # underflow keeps the sign of the true value
        assert math.copysign(1.0, value) == math.copysign(1.0, expected), (name, x, value)


LIMITS = {  # f(-1e300), f(+1e300): the true limits
    'linear': (-1e300, 1e300), 'tanh': (-1.0, 1.0), 'softsign': (-1.0, 1.0),
    'sigmoid': (0.0, 1.0), 'softplus': (0.0, 1e300), 'relu': (0.0, 1e300),
    'swish': (-0.0, 1e300), 'sign': (-1.0, 1.0), 'elish': (-0.0, 1e300),
    'hardelish': (-0.0, 1e300), 'nipuna': (-0.0, 1e300),
}


@pytest.mark.parametrize('name', list(LIMITS))
def test_finite_and_right_at_extreme_floats(name):
    phi = getattr(af, name)
    low, high = LIMITS[name]
    assert phi(-1e300) == low and math.copysign(1, phi(-1e300)) == math.copysign(1, low)
    assert phi(1e300) == high
    for x in (-1.7976931348623157e308, 1.7976931348623157e308, -5e-324, 5e-324):
        assert math.isfinite(phi(x)), (name, x)


def test_parameterised_activations_take_beta():
    assert af.swish(1.0, beta=2.0) == pytest.approx(1.0 / (1.0 + math.exp(-2.0)))
    assert af.nipuna(-1.0, beta=2.0) == pytest.approx(-1.0 / (1.0 + math.exp(2.0)))
    assert af.nipuna(3.0, beta=2.0) == 3.0


SMOOTH_POINTS = [-30.0, -3.3, -1.5, -0.7, -0.2, 0.3, 0.8, 1.7, 4.0, 30.0]


@pytest.mark.parametrize('name', af.__all__)
def test_exact_derivative_matches_central_difference(name):
    phi = getattr(af, name)
    numeric = derivative(phi, delta=1e-6)
    for x in SMOOTH_POINTS:
        assert phi.prime(x) == pytest.approx(numeric(x), rel=1e-6, abs=1e-8), (name, x)


def test_derivative_is_a_named_central_difference():
    d = vlearning.derivative(af.tanh)
    assert d.__name__ == 'tanh’'
    assert d(0.3) == pytest.approx(1 - math.tanh(0.3) ** 2, rel=1e-9)
    coarse = vlearning.derivative(af.swish, delta=0.03)
    x, beta, h = 0.5, 2.0, 0.03
    assert coarse(x, beta) == (af.swish(x + h, beta) - af.swish(x - h, beta)) / (2 * h)

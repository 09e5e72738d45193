"""The data module's toy generators: shapes, labels, determinism."""
import cmath
import math

import pytest

from vlearning import data

GENERATORS = {
    'linear': lambda seed: data.linear('nominal', seed=seed),
    'linear-numeric': lambda seed: data.linear('numeric', noise=0.5, seed=seed),
    'xorproblem': lambda seed: data.xorproblem(num=8, noise=0.1, seed=seed),
    'segments': lambda seed: data.segments(5, seed=seed),
    'fractal': lambda seed: data.fractal(4, seed=seed),
    'concentric': lambda seed: data.concentric(noise=0.1, seed=seed),
}


@pytest.mark.parametrize('name', list(GENERATORS))
def test_same_seed_same_data_other_seed_other_data(name):
    make = GENERATORS[name]
    assert make(1) == make(1)
    assert make(1) != make(2)


def test_linear_shapes_and_labels():
    xs, ys = data.linear('nominal', num=50, dim=3, seed=0)
    assert len(xs) == len(ys) == 50 and all(len(x) == 3 for x in xs)
    assert set(ys) == {-1.0, 1.0}
    with pytest.raises(ValueError, match="'nominal' or 'numeric'"):
        data.linear('ordinal')


def _det3(m):
    return (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))


def test_linear_numeric_is_an_exact_plane_with_unit_normal_and_unit_bias():
    xs, ys = data.linear('numeric', num=30, seed=4)
    a = [[1.0, *xs[k]] for k in range(3)]       # solve b + w·x = y through 3 points (Cramer)
    d = _det3(a)
    b, w1, w2 = (_det3([[ys[r] if c == j else a[r][c] for c in range(3)] for r in range(3)]) / d
                 for j in range(3))
    for x, y in zip(xs, ys):
        assert b + w1 * x[0] + w2 * x[1] == pytest.approx(y, abs=1e-9)
    assert abs(b) == pytest.approx(1.0) and math.hypot(w1, w2) == pytest.approx(1.0)


def test_xor_is_parity_of_the_corners():
    xs, ys = data.xorproblem()
    assert sorted(map(tuple, xs)) == [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)]
    for x, y in zip(xs, ys):
        assert y == [1.0 if x[0] != x[1] else -1.0]


def test_segments_label_is_the_angular_slice():
    xs, ys = data.segments(6, num=300, seed=2)
    for x, y in zip(xs, ys):
        assert math.hypot(*x) <= math.sqrt(3) + 1e-12
        slice_ = int((math.atan2(x[1], x[0]) % (2 * math.pi)) / (2 * math.pi) * 6)
        assert y.index(1.0) == slice_ and sum(y) == 1.0


def test_fractal_points_converge_to_their_labelled_root():
    xs, ys = data.fractal(3, num=100, seed=5)
    roots = [-cmath.exp(1j * math.pi * (2 * j + 1) / 3) for j in range(3)]
    for x, y in zip(xs, ys):
        assert math.hypot(*x) <= math.sqrt(0.75) + 1e-12
        z = complex(*x)
        for _ in range(200):
            z -= (1 + (-z) ** 3) / (-3 * (-z) ** 2)
        assert abs(z - roots[y.index(1.0)]) < 1e-6
    assert len({y.index(1.0) for y in ys}) == 3


def test_concentric_targets_are_rings():
    xs, ys = data.concentric(num=50, density=2.0, seed=1)
    for x, y in zip(xs, ys):
        assert all(-1.5 <= v <= 1.5 for v in x)
        assert y == [math.sin(2.0 * (x[0] ** 2 + x[1] ** 2))]

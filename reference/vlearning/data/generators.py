"""Toy data sets of the course's Part A, standard library only.

Every generator calls random.seed(seed) first, so the same seed gives the same data.
Nominal targets are ±1.0 floats; class targets are one-hot lists.
"""
import cmath
import math
import random

__all__ = ['linear', 'xorproblem', 'segments', 'fractal', 'concentric']


def _point_in_disc(radius):
    """A uniformly distributed point in the disc |x| ≤ radius."""
    r = radius * math.sqrt(random.random())
    angle = 2.0 * math.pi * random.random()
    return [r * math.cos(angle), r * math.sin(angle)]


def _one_hot(index, classes):
    y = [0.0] * classes
    y[index] = 1.0
    return y


def linear(outcome, *, num=100, dim=2, noise=0.0, seed=None):
    """Points around the plane b + w·x = 0 (w a random unit vector, b = ±1).

    outcome='numeric': ys = b + w·x; outcome='nominal': ys = sign(b + w·x) ∈ {−1.0, +1.0}.
    xs ~ N(0, 2) per coordinate; Gaussian noise of sd `noise` is then added to the xs, so
    with noise > 0 the nominal classes overlap. ys are flat floats.
    """
    if outcome not in ('nominal', 'numeric'):
        raise ValueError(f"outcome must be 'nominal' or 'numeric', not {outcome!r}")
    random.seed(seed)
    weights = [random.gauss(0.0, 1.0) for _ in range(dim)]
    norm = math.sqrt(sum(w * w for w in weights))
    weights = [w / norm for w in weights]
    bias = random.choice((-1.0, 1.0))
    xs = [[random.gauss(0.0, 2.0) for _ in range(dim)] for _ in range(num)]
    ys = [bias + sum(w * x for w, x in zip(weights, xi)) for xi in xs]
    if outcome == 'nominal':
        ys = [1.0 if y >= 0.0 else -1.0 for y in ys]
    if noise:
        xs = [[x + random.gauss(0.0, noise) for x in xi] for xi in xs]
    return xs, ys


def xorproblem(*, num=4, dim=2, noise=0.0, seed=None):
    """The corners of the cube [±1]^dim in turn; y = +1.0 when an odd number of coordinates
    is +1 (the parity, XOR for dim=2), else −1.0; plus Gaussian noise of sd `noise` on xs."""
    random.seed(seed)
    xs, ys = [], []
    for n in range(num):
        corner = [1.0 if (n >> d) & 1 else -1.0 for d in range(dim)]
        odd = sum(c > 0 for c in corner) % 2 == 1
        xs.append([c + random.gauss(0.0, noise) if noise else c for c in corner])
        ys.append([1.0 if odd else -1.0])
    return xs, ys


def segments(classes, *, num=200, noise=0.0, seed=None):
    """Points in a disc of radius √3; the class is the angular slice (of `classes` equal
    "pizza slices") a point lies in; Gaussian noise of sd `noise` is added afterwards."""
    random.seed(seed)
    xs, ys = [], []
    for _ in range(num):
        x = _point_in_disc(math.sqrt(3.0))
        angle = math.atan2(x[1], x[0]) % (2.0 * math.pi)
        label = min(int(angle / (2.0 * math.pi) * classes), classes - 1)
        if noise:
            x = [v + random.gauss(0.0, noise) for v in x]
        xs.append(x)
        ys.append(_one_hot(label, classes))
    return xs, ys


def _newton_basin(z, classes, roots, iterations=100):
    """Index of the root of 1 + (−z)^k = 0 that Newton's method reaches from z."""
    for _ in range(iterations):
        derivative = -classes * (-z) ** (classes - 1)
        if derivative == 0:
            break
        step = (1.0 + (-z) ** classes) / derivative
        z -= step
        if abs(step) < 1e-12:
            break
    return min(range(classes), key=lambda j: abs(z - roots[j]))


def fractal(classes, *, num=200, seed=None):
    """Points in a disc of radius √0.75; the class is the root of 1 + (−z)^classes = 0 that
    Newton's method converges to from the point z = x₁ + i·x₂ (a Newton fractal)."""
    random.seed(seed)
    # (−z)^k = −1  ⇔  z = −e^(iπ(2j+1)/k), j = 0 … k−1
    roots = [-cmath.exp(1j * math.pi * (2 * j + 1) / classes) for j in range(classes)]
    xs, ys = [], []
    for _ in range(num):
        x = _point_in_disc(math.sqrt(0.75))
        xs.append(x)
        ys.append(_one_hot(_newton_basin(complex(*x), classes, roots), classes))
    return xs, ys


def concentric(*, num=200, dim=2, noise=0.0, density=2.5, seed=None):
    """xs uniform in [−1.5, 1.5]^dim, y = sin(density·|x|²) (concentric rings), then
    uniform noise in ±noise on the xs."""
    random.seed(seed)
    xs = [[random.uniform(-1.5, 1.5) for _ in range(dim)] for _ in range(num)]
    ys = [[math.sin(density * sum(x * x for x in xi))] for xi in xs]
    if noise:
        xs = [[x + random.uniform(-noise, noise) for x in xi] for xi in xs]
    return xs, ys

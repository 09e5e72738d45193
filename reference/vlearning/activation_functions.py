"""Activation functions φ(a): one float in, one float out, finite for every finite float.

Every function avoids math.exp of a large positive argument (OverflowError past ~709.78)
by choosing, per sign of the argument, the algebraically equal form that only takes exp of
a non-positive number. Each function's exact derivative follows it (see calculus.prime_of).
"""
import math

from .calculus import prime_of

__all__ = ['linear', 'tanh', 'softsign', 'sigmoid', 'softplus', 'relu', 'swish', 'sign',
           'elish', 'hardelish', 'nipuna']


def linear(a):
    """φ(a) = a"""
    return a


@prime_of(linear)
def linear_prime(a):
    return 1.0


def tanh(a):
    """φ(a) = (eᵃ − e⁻ᵃ) / (eᵃ + e⁻ᵃ); math.tanh saturates to ±1 without overflow."""
    return math.tanh(a)


@prime_of(tanh)
def tanh_prime(a):
    t = math.tanh(a)
    return 1.0 - t * t


def softsign(a):
    """φ(a) = a / (1 + |a|)"""
    return a / (1.0 + abs(a))


@prime_of(softsign)
def softsign_prime(a):
    d = 1.0 + abs(a)
    return 1.0 / (d * d)


def sigmoid(a):
    """φ(a) = 1 / (1 + e⁻ᵃ), written as eᵃ / (1 + eᵃ) for a < 0 so exp never overflows."""
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


@prime_of(sigmoid)
def sigmoid_prime(a):
    s = sigmoid(a)
    return s * (1.0 - s)


def softplus(a):
    """φ(a) = ln(1 + eᵃ) = max(a, 0) + ln(1 + e^−|a|)"""
    return max(a, 0.0) + math.log1p(math.exp(-abs(a)))


@prime_of(softplus)
def softplus_prime(a):
    return sigmoid(a)


def relu(a):
    """φ(a) = max(0, a)"""
    return a if a > 0.0 else 0.0


@prime_of(relu)
def relu_prime(a):
    return 1.0 if a > 0.0 else 0.0


def swish(a, beta=1):
    """φ(a) = a·σ(βa)"""
    return a * sigmoid(beta * a)


@prime_of(swish)
def swish_prime(a, beta=1):
    s = sigmoid(beta * a)
    return s + beta * a * s * (1.0 - s)


def sign(a):
    """φ(a) = −1, 0 or +1"""
    if a > 0.0:
        return 1.0
    if a < 0.0:
        return -1.0
    return 0.0


@prime_of(sign)
def sign_prime(a):
    return 0.0


def elish(a):
    """ELiSH: φ(a) = a·σ(a) for a ≥ 0, (eᵃ − 1)·σ(a) for a < 0 (Basirat & Roth, 2018)."""
    if a >= 0.0:
        return a * sigmoid(a)
    return math.expm1(a) * sigmoid(a)


@prime_of(elish)
def elish_prime(a):
    s = sigmoid(a)
    if a >= 0.0:
        return s + a * s * (1.0 - s)
    return math.exp(a) * s + math.expm1(a) * s * (1.0 - s)


def _hard_sigmoid(a):
    """h(a) = max(0, min(1, (a + 1) / 2))"""
    return max(0.0, min(1.0, (a + 1.0) / 2.0))


def hardelish(a):
    """HardELiSH: φ(a) = a·h(a) for a ≥ 0, (eᵃ − 1)·h(a) for a < 0, h the hard sigmoid."""
    if a >= 0.0:
        return a * _hard_sigmoid(a)
    return math.expm1(a) * _hard_sigmoid(a)


@prime_of(hardelish)
def hardelish_prime(a):
    h = _hard_sigmoid(a)
    h_prime = 0.5 if -1.0 < a < 1.0 else 0.0
    if a >= 0.0:
        return h + a * h_prime
    return math.exp(a) * h + math.expm1(a) * h_prime


def nipuna(a, beta=1):
    """NIPUNA: φ(a) = max(a·σ(βa), a): a for a ≥ 0, a·σ(βa) below (β > 0)."""
    return max(a * sigmoid(beta * a), a)


@prime_of(nipuna)
def nipuna_prime(a, beta=1):
    s = sigmoid(beta * a)
    if a * s >= a:
        return s + beta * a * s * (1.0 - s)
    return 1.0

"""Loss functions L(ŷ; y) on one output element, and the course's pseudo_log.

The layers sum these over the outputs of an instance. Each is followed by its exact
derivative with respect to ŷ (see calculus.prime_of).
"""
import math

from .calculus import prime_of

__all__ = ['mean_squared_error', 'mean_absolute_error', 'categorical_crossentropy',
           'binary_crossentropy', 'hinge']

EPSILON = 1e-10
"""Below ε, pseudo_log continues ln linearly, so a prediction of 0 costs a large finite loss."""


def pseudo_log(x):
    """ln(x) for x ≥ ε, else its tangent at ε: ln(ε) + (x − ε)/ε."""
    if x >= EPSILON:
        return math.log(x)
    return math.log(EPSILON) + (x - EPSILON) / EPSILON


@prime_of(pseudo_log)
def pseudo_log_prime(x):
    return 1.0 / x if x >= EPSILON else 1.0 / EPSILON


def mean_squared_error(yhat, y):
    """L = (ŷ − y)²"""
    d = yhat - y
    return d * d


@prime_of(mean_squared_error)
def mean_squared_error_prime(yhat, y):
    return 2.0 * (yhat - y)


def mean_absolute_error(yhat, y):
    """L = |ŷ − y|"""
    return abs(yhat - y)


@prime_of(mean_absolute_error)
def mean_absolute_error_prime(yhat, y):
    if yhat > y:
        return 1.0
    if yhat < y:
        return -1.0
    return 0.0


def categorical_crossentropy(yhat, y):
    """L = −y·ln(ŷ)"""
    return -y * pseudo_log(yhat)


@prime_of(categorical_crossentropy)
def categorical_crossentropy_prime(yhat, y):
    return -y * pseudo_log_prime(yhat)


def binary_crossentropy(yhat, y):
    """L = −y·ln(ŷ) − (1 − y)·ln(1 − ŷ)"""
    return -y * pseudo_log(yhat) - (1.0 - y) * pseudo_log(1.0 - yhat)


@prime_of(binary_crossentropy)
def binary_crossentropy_prime(yhat, y):
    return -y * pseudo_log_prime(yhat) + (1.0 - y) * pseudo_log_prime(1.0 - yhat)


def hinge(yhat, y):
    """L = max(1 − ŷ·y, 0)"""
    return max(1.0 - yhat * y, 0.0)


@prime_of(hinge)
def hinge_prime(yhat, y):
    return -y if 1.0 - yhat * y > 0.0 else 0.0

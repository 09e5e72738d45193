"""The course's activation and loss functions, as the assignment writes their formulas: what
the runner puts in a network in place of a function the student's module lacks.

A missing function costs points once, in the function tables that name it; the layers,
neurons and training that only need *a* loss or activation are probed with these instead
(and the grader says so), so one missing function does not zero unrelated checks. They are
never judged themselves: the grader leaves out every probe whose subject is a stand-in.
"""
import math

__all__ = ['STANDINS']


def _sigmoid(a):
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _hard_sigmoid(a):
    return max(0.0, min(1.0, (a + 1.0) / 2.0))


def _log(x, epsilon=1e-10):
    return math.log(x) if x >= epsilon else math.log(epsilon) + (x - epsilon) / epsilon


STANDINS = {
    'linear': lambda a: a,
    'tanh': lambda a: math.tanh(a),
    'softsign': lambda a: a / (1.0 + abs(a)),
    'sigmoid': _sigmoid,
    'softplus': lambda a: max(a, 0.0) + math.log1p(math.exp(-abs(a))),
    'relu': lambda a: a if a > 0.0 else 0.0,
    'swish': lambda a, beta=1: a * _sigmoid(beta * a),
    'sign': lambda a: 1.0 if a > 0.0 else -1.0 if a < 0.0 else 0.0,
    'elish': lambda a: (a if a >= 0.0 else math.expm1(a)) * _sigmoid(a),
    'hardelish': lambda a: (a if a >= 0.0 else math.expm1(a)) * _hard_sigmoid(a),
    'nipuna': lambda a, beta=1: max(a * _sigmoid(beta * a), a),
    'mean_squared_error': lambda yhat, y: (yhat - y) ** 2,
    'mean_absolute_error': lambda yhat, y: abs(yhat - y),
    'categorical_crossentropy': lambda yhat, y: -y * _log(yhat),
    'binary_crossentropy': lambda yhat, y: -y * _log(yhat) - (1.0 - y) * _log(1.0 - yhat),
    'hinge': lambda yhat, y: max(1.0 - yhat * y, 0.0),
}
for _name, _function in STANDINS.items():
    _function.__name__ = _function.__qualname__ = _name     # a layer's repr shows the course's name

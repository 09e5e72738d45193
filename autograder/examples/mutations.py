"""Student mistakes, as exact edits of the bundled reference `model.py`.

Each mutation is a list of (old, new) replacements that must each match exactly once, so
a change in the reference that breaks a mutation fails loudly instead of silently giving
an unflawed "flawed" example. The mistakes are the ones real submissions make (see the
course API's list of known defects).
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ['Mutation', 'MUTATIONS', 'apply']


@dataclass(frozen=True)
class Mutation:
    name: str
    description: str
    edits: tuple[tuple[str, str], ...]


def apply(source: str, mutation: Mutation) -> str:
    for old, new in mutation.edits:
        count = source.count(old)
        if count != 1:
            raise ValueError(f'mutation {mutation.name!r}: expected the text once, found it {count} times:\n{old}')
        source = source.replace(old, new)
    return source


_GS_BEFORE = '''        gs = None
        if self.inputs_gradient:
            columns = list(zip(*weights))
            gs = [[dot(column, q) for column in columns] for q in qs]
'''
_UPDATE_END = '''            weights[o] = [w - step * dot(q_column, x_column)
                          for w, x_column in zip(weights[o], x_columns)]
'''

MUTATIONS = {m.name: m for m in [
    Mutation('numeric-derivatives', "φ' and L' from the course's derivative() with δ = 0.03 (correct, "
             'but inexact): must still pass every check', (
                 ("    prime = getattr(function, 'prime', None)\n    return prime if prime is not None else derivative(function)",
                  '    return derivative(function, delta=0.03)'),)),
    Mutation('alpha-not-over-n', 'DenseLayer updates with α instead of α/N', (
        ('step = alpha / len(xs)', 'step = alpha'),)),
    Mutation('softmax-diagonal', "SoftmaxLayer backpropagates with only the Jacobian's diagonal ŷ(1 − ŷ)", (
        ('gs.append([hi * (qi - mean_q) for hi, qi in zip(h, q)])',
         'gs.append([hi * (1.0 - hi) * qi for hi, qi in zip(h, q)])'),)),
    Mutation('dense-gradient-sign', 'DenseLayer returns gs with the wrong sign', (
        ('gs = [[dot(column, q) for column in columns] for q in qs]',
         'gs = [[-dot(column, q) for column in columns] for q in qs]'),)),
    Mutation('gradient-after-update', 'DenseLayer computes gs with the weights after its own update', (
        (_GS_BEFORE, ''),
        (_UPDATE_END, _UPDATE_END + _GS_BEFORE),)),
    Mutation('tanh-overflow', 'tanh written with exp: OverflowError at ±1000', (
        ('    return math.tanh(a)\n',
         '    return (math.exp(a) - math.exp(-a)) / (math.exp(a) + math.exp(-a))\n'),)),
    Mutation('softplus-710', 'softplus special-cases 1000 but overflows between 710 and 1000', (
        ('    return max(a, 0.0) + math.log1p(math.exp(-abs(a)))',
         '    if a >= 1000:\n        return float(a)\n    return math.log(1.0 + math.exp(a))'),)),
    Mutation('softplus-inf', 'softplus returns inf where exp overflows (not an error: a value JSON cannot hold)', (
        ('    return max(a, 0.0) + math.log1p(math.exp(-abs(a)))',
         "    try:\n        return math.log(1.0 + math.exp(a))\n    except OverflowError:\n        return float('inf')"),)),
    Mutation('sigmoid-catch', 'sigmoid catches the OverflowError wrongly: σ(−1000) = 1, so swish(−1000) = −1000', (
        ('''    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)''', '''    try:
        return 1.0 / (1.0 + math.exp(-a))
    except OverflowError:
        return 1.0'''),)),
    Mutation('elish-minus-one', 'elish returns −1 below −709', (
        ('    return math.expm1(a) * sigmoid(a)\n\n\n@prime_of(elish)',
         '    if a < -709:\n        return -1.0\n    return math.expm1(a) * sigmoid(a)\n\n\n@prime_of(elish)'),)),
    Mutation('hardelish-unbound', 'hardelish raises UnboundLocalError for 0 ≤ x < 1', (
        ('''    if a >= 0.0:
        return a * _hard_sigmoid(a)
    return math.expm1(a) * _hard_sigmoid(a)''', '''    if a >= 1.0:
        h = 1.0
    elif a < 0.0:
        h = _hard_sigmoid(a)
    return (a if a >= 0.0 else math.expm1(a)) * h'''),)),
    Mutation('numpy-import', 'numpy imported in the module, against the rule', (
        ('import math\nfrom operator import mul\n', 'import math\nfrom operator import mul\n\nimport numpy as np\n'),)),
    Mutation('renamed-layers', "layer classes named 'Dense' and 'Activation' instead of the course's names", (
        ('class DenseLayer(Layer):', 'class Dense(Layer):'),
        ('class ActivationLayer(Layer):', 'class Activation(Layer):'),
        ('isinstance(first, DenseLayer)', 'isinstance(first, Dense)'),
        ("__all__ = [\n", "__all__ = [\n    'Dense',\n    'Activation',\n"),
        ("    'DenseLayer',\n", ''), ("    'ActivationLayer',\n", ''))),
    Mutation('import-error', 'the module raises on import (a stray line at the end)', (
        ("__all__ = [\n", "raise RuntimeError('work in progress')\n\n__all__ = [\n"),)),
]}

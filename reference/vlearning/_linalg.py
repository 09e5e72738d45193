"""The one numeric kernel of the layers: a dot product, as fast as the interpreter allows.

math.sumprod (3.12+) runs the whole loop in C with extended-precision accumulation;
on 3.11 sum(map(mul, ...)) is the fastest pure-Python equivalent.
"""
import math
from operator import mul

__all__ = ['dot']

try:
    dot = math.sumprod
except AttributeError:  # Python 3.11
    def dot(a, b):
        """Σ aᵢ·bᵢ"""
        return sum(map(mul, a, b))

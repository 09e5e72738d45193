"""The reference's version of a probed network, for cross-checking what a student reported."""
from __future__ import annotations

from typing import Any

from .. import kit
from .values import decode

__all__ = ['reference_network', 'load_parameters']


def reference_network(spec: list[dict[str, Any]], classes: dict[str, type] | None = None):
    """The reference's chain of `spec` (`classes` may replace some of its layer classes); never in the
    student kit, whose checks do without."""
    activation_functions, loss_functions, layers = (kit.reference(m) for m in
                                                    ('activation_functions', 'loss_functions', 'layers'))
    chain = None
    for item in spec:
        kwargs = dict(item.get('kwargs', {}))
        if 'activation' in kwargs:
            kwargs['activation'] = getattr(activation_functions, kwargs['activation'])
        if 'loss' in kwargs:
            kwargs['loss'] = getattr(loss_functions, kwargs['loss'])
        layer = ((classes or {}).get(item['class']) or getattr(layers, item['class']))(*item.get('args', []), **kwargs)
        chain = layer if chain is None else chain + layer
    return chain


def load_parameters(layer, bias: Any, weights: Any) -> bool:
    """Give a reference DenseLayer the student's parameters; False when they are unusable."""
    try:
        b = [decode(v) for v in bias]
        w = [[decode(v) for v in row] for row in weights]
    except TypeError:
        return False
    if (len(b) != len(layer.bias) or len(w) != len(layer.weights)
            or any(len(row) != len(ref) for row, ref in zip(w, layer.weights))
            or any(v is None for v in b) or any(v is None for row in w for v in row)):
        return False
    layer.bias[:] = b
    layer.weights[:] = w
    return True

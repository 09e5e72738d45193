"""The point-bearing criteria inside each check, as the checks judge them.

Every check has at least one criterion; the assignment's `[rubric]` gives each its weight,
whether this edition requires it, and where the course asks for it (load.py validates that
the rubric names exactly these). A check with one criterion is judged as a whole; the checks
with several (neurons, layers) score each criterion and weigh them by the rubric
(checks/rubric.py).
"""
from __future__ import annotations

from .schema import LAYER_CLASSES

__all__ = ['WHOLE', 'criteria_of']

# check id → its criteria, in the order the check judges them
_SEVERAL: dict[str, tuple[str, ...]] = {
    'neuron.perceptron': ('converges', 'repr'),
    'neuron.svm': ('accuracy', 'repr'),
    'neuron.logistic': ('accuracy', 'probabilities', 'repr'),
    'neuron.linear-regression': ('fit', 'repr'),
    'layers.api': (*(f'class-{name}' for name in LAYER_CLASSES), 'default-names', 'explicit-names',
                   'input-repr', 'chain-repr', 'len', 'iter', 'index-position', 'index-name',
                   'plus-copies', 'dense-shapes', 'xavier', 'activation-kwargs'),
    'layers.gradients': ('LossLayer', 'ActivationLayer', 'SoftmaxLayer', 'DenseLayer'),
    'layers.training': ('loss-per-epoch', 'val-loss-per-epoch', 'loss-falls', 'data-unchanged',
                        'new-history', 'evaluate', 'predict', 'partial-fit'),
}
WHOLE = 'whole'        # the one criterion of a check judged as a whole


def criteria_of(check_id: str) -> tuple[str, ...]:
    """The criteria of a check (a check registered without any has one: the check as a whole)."""
    return _SEVERAL.get(check_id, (WHOLE,))

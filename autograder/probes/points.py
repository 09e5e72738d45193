"""The points the probes ask the student's functions about: the hidden ones (fixed points
where real submissions fail, plus seeded random ones) and the public grids the report plots.
Drawn from the settings' seeds, so a regrade asks exactly the same questions."""
from __future__ import annotations

import random

from ..settings import FunctionTable

__all__ = ['hidden_points', 'hidden_loss_pairs', 'activation_grid', 'loss_grid']


def hidden_points(table: FunctionTable) -> list[float]:
    """The fixed hidden points, then `count` uniform points from the table's own seed."""
    rnd = table.hidden_random
    rng = random.Random(rnd.seed)
    drawn = [round(rng.uniform(rnd.low, rnd.high), 6) for _ in range(rnd.count)]
    return list(table.hidden_points) + drawn


def hidden_loss_pairs(table: FunctionTable) -> list[tuple[float, float]]:
    """(ŷ, y) pairs: every hidden ŷ with every hidden target."""
    return [(yhat, y) for y in table.hidden_targets for yhat in hidden_points(table)]


def activation_grid() -> list[float]:
    """Public plotting points: [−5, 5] and the overflow range, for the report's overlays."""
    ordinary = [round(-5.0 + 0.25 * i, 2) for i in range(41)]
    overflow = [float(x) for x in range(700, 1001, 25)]
    return [-x for x in reversed(overflow)] + ordinary + overflow


def loss_grid() -> list[float]:
    return [round(0.01 + 0.0245 * i, 4) for i in range(41)]

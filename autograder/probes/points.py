"""The points the probes ask the student's functions about: the hidden ones (anchors where
real submissions fail, each moved by a secret-derived jitter, plus random ones drawn from
the course secret) and the public grids the report plots.

The settings' `hidden_points` are public anchors (the overflow range around ±709.78, tiny
and ordinary arguments): they say what *kind* of point is probed. The points themselves come
from the course secret (settings/course_secret.py), so a module that hard-codes the values at
the anchors, or at points drawn from a seed in the repository, misses them. A regrade with
the same secret asks exactly the same questions.
"""
from __future__ import annotations

import random

from ..settings import FunctionTable
from ..settings.course_secret import CourseSecret, derive_seed

__all__ = ['hidden_points', 'hidden_loss_pairs', 'activation_grid', 'loss_grid', 'JITTER']

# Relative jitter of an anchor: 2e-4 keeps every anchor of its kind (709.5 stays below the
# overflow of exp at 709.78, 710 above it; 0.02 stays above the losses' 0.01) while no anchor
# keeps a value a table keyed on the repository's points would hold.
JITTER = 2e-4


def _jittered(anchor: float, rng: random.Random) -> float:
    moved = anchor * (1.0 + JITTER * rng.uniform(-1.0, 1.0))
    return float(f'{moved:.10g}') if moved else 0.0


def hidden_points(table: FunctionTable, secret: CourseSecret, assignment_id: str, purpose: str) -> list[float]:
    """The jittered anchors, then `count` uniform points in [low, high], both from the secret
    (`purpose` names the table; the settings' seed is mixed in, so changing it draws anew)."""
    rnd = table.hidden_random
    rng = random.Random(derive_seed(secret, assignment_id, f'{purpose}/hidden-points/{rnd.seed}'))
    anchors = [_jittered(p, rng) for p in table.hidden_points]
    drawn = [round(rng.uniform(rnd.low, rnd.high), 6) for _ in range(rnd.count)]
    return anchors + drawn


def hidden_loss_pairs(table: FunctionTable, secret: CourseSecret, assignment_id: str) -> list[tuple[float, float]]:
    """(ŷ, y) pairs: every hidden ŷ with every hidden target."""
    points = hidden_points(table, secret, assignment_id, 'losses')
    return [(yhat, y) for y in table.hidden_targets for yhat in points]


def activation_grid() -> list[float]:
    """Public plotting points: [−5, 5] and the overflow range, for the report's overlays."""
    ordinary = [round(-5.0 + 0.25 * i, 2) for i in range(41)]
    overflow = [float(x) for x in range(700, 1001, 25)]
    return [-x for x in reversed(overflow)] + ordinary + overflow


def loss_grid() -> list[float]:
    return [round(0.01 + 0.0245 * i, 4) for i in range(41)]

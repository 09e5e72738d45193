"""What the probe runner is asked to do: a deterministic task list built from the settings.

All data is generated here, in the grader, from fixed seeds and the course secret (so a
regrade asks exactly the same questions); the runner only evaluates the student's code on it.
"""
from __future__ import annotations

import json
import random
import secrets
from typing import Any

from .. import kit
from .points import activation_grid, hidden_loss_pairs, hidden_points, loss_grid
from ..settings import Settings
from ..settings.course_secret import CourseSecret, public_test_secret
from ..settings.schema import COURSE_CLASSES, LAYER_CLASSES

__all__ = ['build_tasks', 'GRADIENT_H', 'ALPHA']

GRADIENT_H = 1e-5     # central-difference step of the grader's own finite differences
ALPHA = 0.5           # large enough that a gradient taken after the update is visibly off
BATCH = 4             # > 1, so that an update with α instead of α/N shows


def _layer(cls: str, *args, **kwargs) -> dict[str, Any]:
    return {'class': cls, 'args': list(args), 'kwargs': kwargs}


def _away_from_kinks(rng: random.Random, n: int, width: int, low: float, high: float):
    """Inputs at least 0.05 away from 0 and ±1, where relu and hardelish have kinks."""
    rows = []
    for _ in range(n):
        row = []
        while len(row) < width:
            x = round(rng.uniform(low, high), 4)
            if min(abs(x), abs(abs(x) - 1.0)) > 0.05:
                row.append(x)
        rows.append(row)
    return rows


def _one_hot(rng: random.Random, n: int, width: int):
    rows = []
    for _ in range(n):
        row = [0.0] * width
        row[rng.randrange(width)] = 1.0
        rows.append(row)
    return rows


def _gradient_tasks(settings: Settings) -> list[dict[str, Any]]:
    """One task per layer type (and per loss / activation), with that layer right behind
    an InputLayer, so its inputs are the batch itself."""
    rng = random.Random(2024)
    tasks = []

    def add(task_id, network, xs, ys, seed):
        tasks.append({'id': task_id, 'kind': 'gradient', 'network': network, 'position': 1,
                      'xs': xs, 'ys': ys, 'alpha': ALPHA, 'h': GRADIENT_H, 'seed': seed,
                      'seconds': 20})

    for k, loss in enumerate(settings.losses.tabled):
        n = 3
        ys = ([[rng.choice((-1.0, 1.0)) for _ in range(3)] for _ in range(n)] if loss == 'hinge'
              else [[round(rng.uniform(0, 1), 3) for _ in range(3)] for _ in range(n)])
        xs = [[round(rng.uniform(0.2, 0.8), 4) for _ in range(3)] for _ in range(n)]
        add(f'gradient:LossLayer:{loss}', [_layer('InputLayer', 3), _layer('LossLayer', loss=loss)],
            xs, ys, 100 + k)
    activations = [a for a in ('tanh', 'sigmoid', 'softsign', 'softplus', 'relu', 'swish', 'elish',
                               'hardelish', 'nipuna', 'linear')
                   if a in settings.activations.tabled or a in settings.activations.also_graded]
    for k, name in enumerate(activations):
        xs = _away_from_kinks(rng, 3, 4, -2.5, 2.5)
        ys = [[round(rng.uniform(-1, 1), 3) for _ in range(4)] for _ in range(3)]
        add(f'gradient:ActivationLayer:{name}',
            [_layer('InputLayer', 4), _layer('ActivationLayer', 4, activation=name),
             _layer('LossLayer', loss='mean_squared_error')], xs, ys, 200 + k)
    # Mild logits keep every ŷ near 1/4: where a correct layer using derivative() with
    # δ = 0.03 for −ln ŷ is still accurate (that error grows like 1/ŷ³).
    add('gradient:SoftmaxLayer', [_layer('InputLayer', 4), _layer('SoftmaxLayer', 4),
                                  _layer('LossLayer', loss='categorical_crossentropy')],
        [[round(rng.uniform(-0.5, 0.5), 4) for _ in range(4)] for _ in range(3)], _one_hot(rng, 3, 4), 300)
    add('gradient:SoftmaxLayer:mse', [_layer('InputLayer', 4), _layer('SoftmaxLayer', 4),
                                      _layer('LossLayer', loss='mean_squared_error')],
        [[round(rng.uniform(-2, 2), 4) for _ in range(4)] for _ in range(3)], _one_hot(rng, 3, 4), 301)
    for n in (1, BATCH):
        add(f'gradient:DenseLayer:N={n}', [_layer('InputLayer', 4), _layer('DenseLayer', 3),
                                           _layer('LossLayer', loss='mean_squared_error')],
            [[round(rng.uniform(-1, 1), 4) for _ in range(4)] for _ in range(n)],
            [[round(rng.uniform(-1, 1), 3) for _ in range(3)] for _ in range(n)], 400 + n)
    return tasks


def update_network() -> list[dict[str, Any]]:
    """Two DenseLayers with a tanh between and a squared-error head: no softmax or
    cross-entropy, so a mistake there does not show up as a wrong update."""
    return [_layer('InputLayer', 3), _layer('DenseLayer', 4), _layer('ActivationLayer', 4, activation='tanh'),
            _layer('DenseLayer', 2), _layer('LossLayer', loss='mean_squared_error')]


def _update_tasks() -> list[dict[str, Any]]:
    rng = random.Random(2025)
    tasks = []
    for n in (1, BATCH + 1):
        tasks.append({'id': f'update:N={n}', 'kind': 'update', 'network': update_network(),
                      'dense_positions': [1, 3], 'xs': [[round(rng.uniform(-1, 1), 4) for _ in range(3)]
                                                       for _ in range(n)],
                      'ys': [[round(rng.uniform(-1, 1), 3) for _ in range(2)] for _ in range(n)],
                      'alpha': 0.1, 'h': GRADIENT_H, 'seed': 500 + n,
                      'seconds': 30})
    return tasks


def fractal_network() -> list[dict[str, Any]]:
    """The seed's In[12] classifier."""
    return [_layer('InputLayer', 2), _layer('DenseLayer', 20), _layer('ActivationLayer', 20, activation='tanh'),
            _layer('DenseLayer', 10), _layer('ActivationLayer', 10, activation='tanh'),
            _layer('DenseLayer', 4), _layer('SoftmaxLayer', 4),
            _layer('LossLayer', loss='categorical_crossentropy')]


def _neuron_tasks() -> list[dict[str, Any]]:
    data = kit.reference('data')
    xs, ys = data.linear('nominal', seed=11)
    svm_xs, svm_ys = data.linear('nominal', noise=1.0, seed=12)
    log_xs, log_ys = data.linear('nominal', noise=1.0, seed=13)
    log_ys = [(y + 1.0) / 2.0 for y in log_ys]
    reg_xs, reg_ys = data.linear('numeric', noise=0.5, seed=14)
    common = {'kind': 'single_neuron', 'seconds': 30}
    return [
        {**common, 'id': 'neuron:perceptron', 'class': 'Perceptron', 'kwargs': {'dim': 2},
         'xs': xs, 'ys': ys, 'seed': 11},
        {**common, 'id': 'neuron:svm', 'class': 'Neuron', 'kwargs': {'dim': 2, 'loss': 'hinge'},
         'xs': svm_xs, 'ys': svm_ys, 'seed': 12},
        {**common, 'id': 'neuron:logistic', 'class': 'Neuron',
         'kwargs': {'dim': 2, 'activation': 'sigmoid', 'loss': 'binary_crossentropy'},
         'xs': log_xs, 'ys': log_ys, 'seed': 13},
        {**common, 'id': 'neuron:linear-regression', 'class': 'LinearRegression', 'kwargs': {'dim': 2},
         'xs': reg_xs, 'ys': reg_ys, 'seed': 14},
    ]


def training_task() -> dict[str, Any]:
    data = kit.reference('data')
    xs, ys = data.segments(3, num=120, seed=21)
    vxs, vys = data.segments(3, num=40, seed=22)
    network = [_layer('InputLayer', 2), _layer('DenseLayer', 8), _layer('ActivationLayer', 8, activation='tanh'),
               _layer('DenseLayer', 3), _layer('SoftmaxLayer', 3),
               _layer('LossLayer', loss='categorical_crossentropy')]
    return {'id': 'training', 'kind': 'training', 'network': network, 'xs': xs, 'ys': ys,
            'val_xs': vxs, 'val_ys': vys, 'seed': 23, 'seconds': 60,
            'fit_kwargs': {'alpha': 0.5, 'epochs': 30, 'batch_size': 10},
            'partial_fit_kwargs': {'alpha': 0.5, 'batch_size': 10}}


def build_tasks(settings: Settings, secret: CourseSecret | None = None) -> dict[str, Any]:
    """The whole request for the runner. The token marks genuine result lines. The hidden
    points come from `secret` (None: the public test secret). The student kit asks what its
    build computed (authoring/student_kit.py: the course's data, no hidden points)."""
    kit_request = kit.assignment_file(settings.folder, kit.REQUEST_FILE)
    if kit_request is not None:
        return {**json.loads(kit_request.read_text(encoding='utf-8')), 'token': secrets.token_hex(16)}
    acts, losses = settings.activations, settings.losses
    secret = secret or public_test_secret()
    activation_points = hidden_points(acts, secret, settings.id, 'activations')
    loss_pairs = hidden_loss_pairs(losses, secret, settings.id)
    functions = [*acts.tabled, *acts.also_graded, *losses.tabled, *losses.also_graded, 'derivative']
    tasks: list[dict[str, Any]] = [
        {'id': 'names', 'kind': 'names', 'names': functions + list(COURSE_CLASSES), 'seconds': 10}]
    for name in [*acts.tabled, *acts.also_graded]:
        tasks.append({'id': f'activation:{name}', 'kind': 'call', 'function': name,
                      'args': ([[a] for a in acts.arguments] + [[a] for a in activation_points]
                               + [[a] for a in activation_grid()]),
                      'seconds': 60, 'per_call': 2.0})
    for name in [*losses.tabled, *losses.also_graded]:
        tasks.append({'id': f'loss:{name}', 'kind': 'call', 'function': name,
                      'args': ([[a, losses.target] for a in losses.arguments] + [list(p) for p in loss_pairs]
                               + [[a, losses.target] for a in loss_grid()]),
                      'seconds': 60, 'per_call': 2.0})
    tasks.append({'id': 'derivative', 'kind': 'derivative', 'points': settings.derivative_points,
                  'seconds': 10})
    tasks += _neuron_tasks()
    tasks.append({'id': 'layers_api', 'kind': 'layers_api', 'network': fractal_network(),
                  'xavier': [144, 120], 'kwargs_activation': 'nipuna' if 'nipuna' in acts.tabled else 'swish',
                  'kwargs': {'beta': 2.0}, 'kwargs_inputs': [-1.0, 0.5, 2.0], 'seed': 31, 'seconds': 20})
    tasks += _gradient_tasks(settings)
    tasks += _update_tasks()
    tasks.append(training_task())
    return {'token': secrets.token_hex(16), 'aliases': settings.class_aliases,
            'attribute_aliases': settings.attribute_aliases, 'layer_classes': [*LAYER_CLASSES, 'Layer'],
            'import_seconds': 20, 'tasks': tasks}

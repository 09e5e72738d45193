"""Expected values, generated from the reference module and stored next to the settings.

`autograder expected --assignment ID` writes `assignments/ID/expected.json` with the values of
the public tables; nobody types an expected value by hand, and regenerating gives the same file
byte for byte. The hidden points are derived from the course secret, which the repository
never holds, so their expected values are computed from the reference at grading time
(`load(settings, secret)`), never stored. The file is grader-only all the same: it never
enters a student's workspace or sandbox.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..probes.points import hidden_loss_pairs, hidden_points
from ..results import write_json_atomic
from ..settings import Settings, SettingsError
from ..settings.course_secret import CourseSecret, public_test_secret

__all__ = ['generate', 'write', 'load', 'expected_fingerprint', 'with_hidden']


def expected_fingerprint(settings: Settings) -> str:
    """A hash of the settings the expected values derive from (the function tables only,
    so that changing points or Part B limits does not invalidate them)."""
    import tomllib
    data = tomllib.loads(settings.file.read_text(encoding='utf-8'))
    relevant = {key: data.get(key) for key in ('activations', 'losses')}
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()


def _values(function, calls) -> list[float]:
    return [function(*args) for args in calls]


def generate(settings: Settings) -> dict[str, Any]:
    """The public tables' expected values (what expected.json holds)."""
    import vlearning
    from vlearning import activation_functions, loss_functions
    acts, losses = settings.activations, settings.losses
    document: dict[str, Any] = {
        'assignment': settings.id,
        'generated_by': f'vlearning {vlearning.__version__} (reference) via autograder expected',
        'settings_fingerprint': expected_fingerprint(settings),
        'activations': {}, 'losses': {},
    }
    for name in [*acts.tabled, *acts.also_graded]:
        phi = getattr(activation_functions, name)
        document['activations'][name] = {
            'table': {'arguments': acts.arguments, 'values': _values(phi, [(a,) for a in acts.arguments])}}
    for name in [*losses.tabled, *losses.also_graded]:
        loss = getattr(loss_functions, name)
        table_calls = [(a, losses.target) for a in losses.arguments]
        document['losses'][name] = {
            'table': {'arguments': [list(c) for c in table_calls], 'values': _values(loss, table_calls)}}
    return document


def with_hidden(settings: Settings, document: dict[str, Any], secret: CourseSecret) -> dict[str, Any]:
    """`document` with the reference's values at the secret's hidden points (a copy). The
    student kit has neither the reference nor the secret: its document stays as it is (the
    hidden checks are left out of the kit)."""
    from .. import kit
    activation_functions, loss_functions = kit.reference('activation_functions'), kit.reference('loss_functions')
    if activation_functions is None:
        return document
    document = json.loads(json.dumps(document))
    activation_points = hidden_points(settings.activations, secret, settings.id, 'activations')
    loss_pairs = hidden_loss_pairs(settings.losses, secret, settings.id)
    for name, entry in document['activations'].items():
        phi = getattr(activation_functions, name)
        entry['hidden'] = {'arguments': activation_points, 'values': _values(phi, [(a,) for a in activation_points])}
    for name, entry in document['losses'].items():
        loss = getattr(loss_functions, name)
        entry['hidden'] = {'arguments': [list(c) for c in loss_pairs], 'values': _values(loss, loss_pairs)}
    return document


def write(settings: Settings) -> Path:
    write_json_atomic(settings.expected_file, generate(settings), indent=None)
    return settings.expected_file


def load(settings: Settings, secret: CourseSecret | None = None) -> dict[str, Any]:
    """The stored expected values with the hidden ones of `secret` (None: the public test
    secret); refuses a file generated from other settings."""
    path = settings.expected_file
    if not path.is_file():
        raise SettingsError(f'{path} is missing: run `autograder expected --assignment {settings.id}`')
    document = json.loads(path.read_text(encoding='utf-8'))
    if document.get('settings_fingerprint') != expected_fingerprint(settings):
        raise SettingsError(f'{path} was generated from other settings than {settings.file}: '
                         f'run `autograder expected --assignment {settings.id}` again')
    return with_hidden(settings, document, secret or public_test_secret())

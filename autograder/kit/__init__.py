"""The student kit: the self-check handed to a class without the answer key.

`autograder student-kit` (authoring/student_kit.py) writes one wheel holding this package without the
instructor's parts, plus, under kit/assignments/<id>/, what the self-check needs of an
assignment and nothing more: its settings with the hidden probe points and seeds removed, the
tables the assignment prints, the student notebook (as the source of the locked cells), the
course's data module and the probe request computed from it. Installed so, `INSTALLED` is
true and every place that would consult the reference module asks this package instead:
the names of the course's API, none of its code. The checks that can only be judged against
the reference are left out (`LEFT_OUT`): the kit's report names them as run by the grading only.
"""
from __future__ import annotations

import importlib
import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ['INSTALLED', 'ASSIGNMENTS', 'LEFT_OUT', 'reference', 'course_names', 'reference_version',
           'write_bytes_atomic', 'assignment_file']

ASSIGNMENTS = Path(__file__).resolve().parent / 'assignments'
INSTALLED = ASSIGNMENTS.is_dir()          # only the kit wheel ships this folder

# Judged against the reference (its values at hidden points, its trained models, its update
# step): run by the real grading only, never by the kit.
LEFT_OUT = ('activations.hidden', 'losses.hidden', 'neuron.svm', 'neuron.logistic', 'neuron.linear-regression',
            'layers.updates')

COURSE_FILE = 'course.json'               # the names of the course's API (kit: next to the settings)
REQUEST_FILE = 'request.json'             # the probe tasks, computed at build time
DATA_FILE = 'data.py'                     # the course's data module, as the course hands it out


def reference(module: str = '') -> Any:
    """The reference module `vlearning.<module>` in the full toolkit; None in the kit (the
    caller then leaves out what only the reference can tell)."""
    if INSTALLED:
        return None
    return importlib.import_module(f'vlearning.{module}' if module else 'vlearning')


@cache
def course_names() -> dict[str, list[str]]:
    """The course API's names, no code: `model` (everything it exports), `classes`, `layers`
    (the layer classes, Layer aside), `activation_functions`, `loss_functions`, `data`."""
    if INSTALLED:
        return json.loads((ASSIGNMENTS / COURSE_FILE).read_text(encoding='utf-8'))
    model = reference('model')
    classes = [n for n in model.__all__ if isinstance(getattr(model, n), type)]
    return {'model': list(model.__all__), 'classes': classes,
            'layers': [n for n in classes if issubclass(getattr(model, n), model.Layer) and n != 'Layer'],
            'activation_functions': list(reference('activation_functions').__all__),
            'loss_functions': list(reference('loss_functions').__all__),
            'data': list(reference('data').__all__),
            'version': reference().__version__}


def reference_version() -> str:
    return course_names().get('version', '?')


def assignment_file(folder: Path, name: str) -> Path | None:
    """A kit file of the assignment in `folder` (None in the full toolkit)."""
    return folder / name if INSTALLED else None


def write_bytes_atomic(path: Any, content: bytes) -> Path:
    """The reference's atomic writer (a file utility, no course code; the kit ships a copy)."""
    if INSTALLED:
        from ._atomic import write_bytes_atomic as write
    else:
        from vlearning._atomic import write_bytes_atomic as write
    return write(path, content)

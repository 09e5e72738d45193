"""Prepare a workspace for the notebook run: the course's data module, the data file with
the hidden groups withheld, and — when the notebook imports the module in the other form
than the student packaged it — a thin wrapper so that both forms work (the spec: support
both `import model, data` and the seed's `import vlearning`)."""
from __future__ import annotations

import ast
from pathlib import Path

from .bundle import data_source
from .cell_code import parse_cell

__all__ = ['notebook_imports', 'install_course_files']

_VLEARNING_WRAPPER = '''"""Provided by the autograder: the seed's `vlearning` layout around the student's model.py."""
import sys as _sys

import model as _model
from model import *  # noqa: F401,F403

__version__ = getattr(_model, '__version__', '0.7.0')
activation_functions = loss_functions = layers = _model
for _name in ('activation_functions', 'loss_functions', 'layers'):
    _sys.modules[f'{__name__}.{_name}'] = _model
from . import data  # noqa: E402,F401
'''

_MODEL_WRAPPER = '''"""Provided by the autograder: the flat `model` namespace over the student's package."""
import importlib as _importlib
import pkgutil as _pkgutil

import {package} as _package
from {package} import *  # noqa: F401,F403

for _info in _pkgutil.iter_modules(_package.__path__):
    if _info.name != 'data':
        _module = _importlib.import_module(f'{package}.{{_info.name}}')
        globals().update({{k: v for k, v in vars(_module).items() if not k.startswith('_')}})
'''


def notebook_imports(nb) -> set[str]:
    """Top-level module names imported by the notebook's code cells (magics ignored)."""
    names: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type != 'code':
            continue
        tree = parse_cell(cell.source)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split('.')[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split('.')[0])
    return names


def install_course_files(root: Path, module_kind: str, package_name: str, imports: set[str]) -> list[str]:
    """Write the course's data.py (and wrappers); returns notes for the report."""
    notes = []
    data = data_source()
    (root / 'data.py').write_text(data, encoding='utf-8')
    if module_kind == 'package':
        package = root / package_name
        if not (package / 'data.py').exists():
            (package / 'data.py').write_text(data, encoding='utf-8')
            notes.append(f'The course\'s data module was added to your package as {package_name}/data.py.')
        if 'model' in imports and not (root / 'model.py').exists():
            (root / 'model.py').write_text(_MODEL_WRAPPER.format(package=package_name), encoding='utf-8')
            notes.append(f'The notebook imports model; the grader provided it as a wrapper around your '
                         f'{package_name} package.')
    elif module_kind == 'flat' and package_name in imports and not (root / package_name).exists():
        package = root / package_name
        package.mkdir()
        (package / '__init__.py').write_text(_VLEARNING_WRAPPER, encoding='utf-8')
        (package / 'data.py').write_text(data, encoding='utf-8')
        notes.append(f'The notebook imports {package_name} (the seed\'s form); the grader provided it as a '
                     'wrapper around your model.py.')
    return notes

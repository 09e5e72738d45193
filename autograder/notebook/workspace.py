"""Prepare a workspace for the notebook run: the course's data module, the data file with
the hidden groups withheld, and — when the notebook imports the module in the other form
than the student packaged it — a thin wrapper so that both forms work (the spec: support
both `import model, data` and the seed's `import vlearning`)."""
from __future__ import annotations

import ast
from pathlib import Path

from .. import kit
from .cells import parse_cells

__all__ = ['notebook_imports', 'install_course_files', 'install_course_modules', 'COURSE_SOURCES']

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
    for tree in parse_cells([cell.source for cell in nb.cells if cell.cell_type == 'code']):
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split('.')[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split('.')[0])
    return names


def _data_source() -> str:
    """The course's data.py: bundled from the reference, or the student kit's copy of it."""
    if kit.INSTALLED:
        return (kit.ASSIGNMENTS / kit.DATA_FILE).read_text(encoding='utf-8')
    from ..authoring.bundle import data_source
    return data_source()


COURSE_SOURCES = {'data': _data_source}     # the course modules the grader can install


def install_course_modules(root: Path, module_kind: str | None, package_name: str,
                           names: list[str] | tuple[str, ...] = ('data',)) -> list[str]:
    """Put the grader's copy of each course module (the course's data.py) beside the student's
    module, and inside their package, replacing any copy they handed in: the probes and the
    notebook then run the course's code, whatever was edited. Returns notes for the report."""
    notes = []
    for name in names:
        source = COURSE_SOURCES[name]()
        targets = [root / f'{name}.py']
        if module_kind == 'package':
            targets.append(root / package_name / f'{name}.py')
        for target in targets:
            shown = target.relative_to(root).as_posix()
            if target.is_file() and target.read_bytes() != source.encode('utf-8'):
                notes.append(f"Your {shown} was replaced by the course's copy of the {name} module.")
            elif not target.exists() and target.parent != root:
                notes.append(f"The course's {name} module was added to your package as {shown}.")
            target.write_text(source, encoding='utf-8')
    return notes


def install_course_files(root: Path, module_kind: str, package_name: str, imports: set[str],
                         course_modules: list[str] | tuple[str, ...] = ('data',)) -> list[str]:
    """The workspace of the notebook run: the course modules and, when the notebook imports the
    module in the other form than it was handed in, a wrapper. Returns notes for the report."""
    notes = install_course_modules(root, module_kind, package_name, course_modules)
    if module_kind == 'package':
        if 'model' in imports and not (root / 'model.py').exists():
            (root / 'model.py').write_text(_MODEL_WRAPPER.format(package=package_name), encoding='utf-8')
            notes.append(f'The notebook imports model; the grader provided it as a wrapper around your '
                         f'{package_name} package.')
    elif module_kind == 'flat' and package_name in imports and not (root / package_name).exists():
        package = root / package_name
        package.mkdir()
        (package / '__init__.py').write_text(_VLEARNING_WRAPPER, encoding='utf-8')
        (package / 'data.py').write_text(_data_source(), encoding='utf-8')
        notes.append(f'The notebook imports {package_name} (the seed\'s form); the grader provided it as a '
                     'wrapper around your model.py.')
    return notes

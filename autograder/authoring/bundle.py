"""Bundle the reference's modules into one self-contained file (the course's flat form).

The reference example submission's `model.py` and the `data.py` placed in student
workspaces are generated this way, so they are exactly the reference and pass exactly the
checks a student's module must pass. Each module is copied verbatim (comments included)
except its docstring, `__all__` and relative imports, which the single file makes moot.
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path

import vlearning

__all__ = ['bundle', 'MODEL_MODULES', 'DATA_MODULES', 'model_source', 'data_source']

PACKAGE = Path(vlearning.__file__).parent
MODEL_MODULES = ['_linalg', 'calculus', 'activation_functions', 'loss_functions', '_progress',
                 'neurons', 'layers']
DATA_MODULES = ['data/generators', 'data/images', 'data/plots']


def _strip(source: str) -> tuple[str, list[str]]:
    """The module's text without docstring, __all__ and relative imports; and its __all__."""
    tree = ast.parse(source)
    drop: set[int] = set()
    exported: list[str] = []
    for i, node in enumerate(tree.body):
        remove = False
        if i == 0 and isinstance(node, ast.Expr) and isinstance(getattr(node, 'value', None), ast.Constant):
            remove = True
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            remove = True
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name) and node.targets[0].id == '__all__'):
            exported = list(ast.literal_eval(node.value))
            remove = True
        if remove:
            drop.update(range(node.lineno, node.end_lineno + 1))
    lines = source.splitlines()
    kept = [line for number, line in enumerate(lines, start=1) if number not in drop]
    text = '\n'.join(kept).strip('\n')
    return text, exported


def bundle(modules: list[str], header: str, extra_exports: list[str] = ()) -> str:
    parts, exports = [header.rstrip() + '\n'], []
    for name in modules:
        path = PACKAGE / f'{name}.py'
        if not path.is_file():
            continue
        text, exported = _strip(path.read_text(encoding='utf-8'))
        parts.append(f'\n\n# ---- {name.replace("/", ".")} ' + '-' * max(4, 70 - len(name)) + '\n\n' + text + '\n')
        exports += exported
    exports += [e for e in extra_exports if e not in exports]
    parts.append('\n\n__all__ = [\n' + ''.join(f'    {e!r},\n' for e in exports) + ']\n')
    source = ''.join(parts)
    ast.parse(source)
    return source


@functools.cache
def model_source() -> str:
    """The whole reference as one `model.py`, standard library only."""
    return bundle(MODEL_MODULES, f'"""model.py: the course\'s neural-network module in one file.\n\n'
                  f'Generated from the reference vlearning {vlearning.__version__} by the autograder; '
                  f'standard library only.\n"""', extra_exports=['pseudo_log', 'derivative'])


@functools.cache
def data_source() -> str:
    """The course's data module as one `data.py` (plots need matplotlib, imported lazily)."""
    return bundle(DATA_MODULES, f'"""data.py: the course\'s data module in one file.\n\n'
                  f'Generated from vlearning {vlearning.__version__}.data by the autograder.\n"""')

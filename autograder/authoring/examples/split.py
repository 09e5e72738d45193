"""A correct module split over two files, as some students hand it in: `model.py` with the
neurons and layers, importing the activation and loss functions from a sibling
`functions.py`. It must keep every point: the probes get the sibling file, as the student's
own `import model` does."""
from __future__ import annotations

import ast

from ..bundle import bundle

__all__ = ['split_module', 'SIBLING']

SIBLING = 'functions.py'
_FUNCTIONS = ['_linalg', 'calculus', 'activation_functions', 'loss_functions']
_REST = ['_progress', 'neurons', 'layers']


def _defined(source: str) -> set[str]:
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names - {'__all__'}


def split_module(module_file: str = 'model.py') -> dict[str, str]:
    """{file name: source} of the two files."""
    functions = bundle(_FUNCTIONS, '"""functions.py: the activation and loss functions (and their helpers)."""',
                       extra_exports=['pseudo_log', 'derivative'])
    exported = ast.literal_eval(next(n.value for n in ast.parse(functions).body if isinstance(n, ast.Assign)
                                     and getattr(n.targets[0], 'id', '') == '__all__'))
    rest = bundle(_REST, '"""model.py: neurons and layers; the functions live in functions.py."""',
                  extra_exports=exported)
    used = {n.id for n in ast.walk(ast.parse(rest)) if isinstance(n, ast.Name)}
    needed = sorted((_defined(functions) & used) - set(exported))
    head, _sep, body = rest.partition('"""model.py: neurons and layers; the functions live in functions.py."""')
    stem = SIBLING.removesuffix('.py')
    imports = f'\nfrom {stem} import *  # noqa: F403\n' + (
        f"from {stem} import {', '.join(needed)}\n" if needed else '')
    model = head + '"""model.py: neurons and layers; the functions live in functions.py."""' + imports + body
    ast.parse(model)
    return {module_file: model, SIBLING: functions}

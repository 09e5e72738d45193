"""The Python of a notebook cell, for static reading: IPython magics (`%matplotlib`) and
shell escapes (`!pip`) are not Python and are left out."""
from __future__ import annotations

import ast

__all__ = ['parse_cell']


def parse_cell(source: str) -> ast.Module | None:
    """The cell's syntax tree, or None when what is left is not valid Python."""
    code = '\n'.join(line for line in source.splitlines() if not line.lstrip().startswith(('%', '!')))
    try:
        return ast.parse(code)
    except SyntaxError:
        return None

"""The Python of a notebook cell, for static reading: IPython magics (`%matplotlib`) and
shell escapes (`!pip`) are not Python and are left out. And the one kind of cell the grader
does not run: the student's self-check."""
from __future__ import annotations

import ast
import re

from ..sandbox.syntax_tree import parse, parse_many

__all__ = ['parse_cell', 'parse_cells', 'is_self_check']

# The lines of a self-check cell (the template's last cell, or the magic): nothing else.
_SELF_CHECK_LINE = re.compile(
    r'%load_ext\s+autograder|%autograder(\s.*)?|from\s+autograder(\.notebook)?\s+import\s+[\w, ]+'
    r'|import\s+autograder(\.notebook)?(\s+as\s+\w+)?|(display\()?(autograder\.notebook\.)?check\(.*\)\)?'
    r'|try:|except\s+(ImportError|ModuleNotFoundError)(\s+as\s+\w+)?:|else:|print\(.*\)')


def _python(source: str) -> str:
    return '\n'.join(line for line in source.splitlines() if not line.lstrip().startswith(('%', '!')))


def parse_cell(source: str) -> ast.Module | None:
    """The cell's syntax tree, or None when what is left is not valid Python (or too large
    to read: a cell is hostile input too, sandbox/syntax_tree.py)."""
    return parse(_python(source)).tree


def parse_cells(sources: list[str]) -> list[ast.Module | None]:
    """parse_cell of each, the larger ones together in one child process."""
    parsed = parse_many({str(i): _python(source) for i, source in enumerate(sources)})
    return [parsed[str(i)].tree for i in range(len(sources))]


def is_self_check(source: str) -> bool:
    """Whether a cell only runs the self-check (`from autograder.notebook import check; check()`
    or `%autograder check`): the grader skips it, so handing it in costs nothing even where the
    grader's kernel has no autograder to import."""
    lines = [line.strip() for line in source.splitlines() if line.strip() and not line.strip().startswith('#')]
    return (bool(lines) and any('autograder' in line for line in lines)
            and all(_SELF_CHECK_LINE.fullmatch(line) for line in lines))

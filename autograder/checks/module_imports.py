"""Which modules a student's module imports, and which of those the course forbids.

The rule of the course: the module may use the Python standard library only. Imports are
read from the syntax tree (never by running the code), including `importlib.import_module`
and `__import__` calls with a literal name. An import inside `try: … except ImportError:`
is *optional*: the module works without it, and the assignment may allow a few such
packages (e.g. tqdm for a progress bar).
"""
from __future__ import annotations

import ast
import builtins
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..intake.module_copy import importable
from ..results import ERROR, Check
from ..sandbox.syntax_tree import SourceTooLarge, parse, read_capped
from .context import Context
from ..i18n import _

__all__ = ['ImportUse', 'scan_source', 'scan_file', 'violations', 'module_files', 'judge', 'SourceTooLarge']

STDLIB = frozenset(sys.stdlib_module_names) | {'__future__'}
_IMPORT_ERRORS = {'ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException'}
_STATEMENT_CHARS = 300       # of a statement's text kept for the message
_LISTED = 50                 # violations kept in the details


@dataclass(frozen=True)
class ImportUse:
    module: str        # the top-level package name, e.g. 'numpy' for `import numpy.linalg`
    statement: str     # the source text of the statement or call
    file: str
    line: int
    optional: bool     # inside try/except ImportError: the module works without it
    dynamic: bool      # importlib.import_module(...) or __import__(...)
    main_only: bool = False   # inside `if __name__ == '__main__':`, which never runs on import

    @property
    def where(self) -> str:
        return f'{self.file}:{self.line}'


def _guards_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(n, ast.Name) and n.id in _IMPORT_ERRORS for n in names)


def _is_main_guard(test: ast.expr) -> bool:
    """`__name__ == '__main__'` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return (any(isinstance(n, ast.Name) and n.id == '__name__' for n in sides)
            and any(isinstance(n, ast.Constant) and n.value == '__main__' for n in sides))


class _Segments:
    """Statement texts by their positions, in time linear in what is cut out:
    `ast.get_source_segment` splits the whole source at every call (quadratic: 37 s for 800 KB
    on one line with an import per 20 characters)."""

    def __init__(self, source: str):
        self.lines = re.split(r'\r\n|\r|\n', source)
        self.encoded: dict[int, bytes] = {}

    def _line(self, number: int) -> bytes:
        if number not in self.encoded:
            self.encoded[number] = self.lines[number - 1].encode('utf-8', 'surrogatepass')
        return self.encoded[number]

    def text(self, node: ast.AST) -> str:
        end_line, end_col = getattr(node, 'end_lineno', None), getattr(node, 'end_col_offset', None)
        if end_line is None or end_col is None or not 0 < node.lineno <= end_line <= len(self.lines):
            return ''
        limit = _STATEMENT_CHARS * 4
        if node.lineno == end_line:
            part = self._line(node.lineno)[node.col_offset:min(end_col, node.col_offset + limit)]
        else:
            part = self._line(node.lineno)[node.col_offset:node.col_offset + limit]
            for number in range(node.lineno + 1, min(end_line, node.lineno + 10)):
                part += b'\n' + self._line(number)[:limit]
            part += b'\n' + self._line(end_line)[:min(end_col, limit)]
        text = ' '.join(part.decode('utf-8', 'replace').split())
        return text if len(text) <= _STATEMENT_CHARS else text[:_STATEMENT_CHARS - 1] + '…'


class _Visitor(ast.NodeVisitor):
    def __init__(self, source: str, file: str):
        self.segments = _Segments(source)
        self.file = file
        self.optional_depth = 0
        self.main_depth = 0
        self.uses: list[ImportUse] = []

    def _add(self, node: ast.AST, module: str, dynamic: bool = False) -> None:
        text = self.segments.text(node) or module
        self.uses.append(ImportUse(module.split('.')[0], text, self.file, node.lineno, self.optional_depth > 0,
                                   dynamic, self.main_depth > 0))

    def visit_If(self, node: ast.If) -> None:
        guard = _is_main_guard(node.test)
        self.visit(node.test)
        self.main_depth += guard
        for statement in node.body:
            self.visit(statement)
        self.main_depth -= guard
        for statement in node.orelse:
            self.visit(statement)

    def visit_Try(self, node: ast.Try) -> None:
        optional = any(_guards_import_error(h) for h in node.handlers)
        self.optional_depth += optional
        for statement in node.body:
            self.visit(statement)
        self.optional_depth -= optional
        for part in (*node.handlers, *node.orelse, *node.finalbody):
            self.visit(part)

    visit_TryStar = visit_Try

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module:   # relative imports stay inside the submission
            self._add(node, node.module)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, 'id', None)
        if name in ('import_module', '__import__') and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                if not first.value.startswith('.'):
                    self._add(node, first.value, dynamic=True)
            else:
                self._add(node, '<computed>', dynamic=True)
        self.generic_visit(node)


def scan_source(source: str, file: str = '<module>') -> list[ImportUse]:
    """Every import in `source`, parsed within the grader's bounds (sandbox/syntax_tree.py);
    raises SyntaxError (or its subclass) when it does not parse, SourceTooLarge when it is
    not read."""
    parsed = parse(source)
    if parsed.error_kind:
        kind = getattr(builtins, parsed.error_kind, SyntaxError)
        raise (kind if isinstance(kind, type) and issubclass(kind, SyntaxError) else SyntaxError)(
            parsed.error_message, (file, parsed.error_line, None, None))
    if parsed.tree is None:
        raise SourceTooLarge(parsed.refused)
    visitor = _Visitor(source, file)
    visitor.visit(parsed.tree)
    return visitor.uses


def scan_file(path: Path, display_name: str | None = None) -> list[ImportUse]:
    source = read_capped(path).decode('utf-8')
    return scan_source(source, display_name or str(path))


def violations(uses: list[ImportUse], *, local: frozenset[str] = frozenset(),
               optional_allowed: frozenset[str] = frozenset()) -> list[ImportUse]:
    """The imports the course's rule forbids: not standard library, not the submission's own
    modules, not an allowed optional package guarded by `except ImportError`, and not in the
    `if __name__ == '__main__':` block (a test of the module's own, never run on import)."""
    bad = []
    for use in uses:
        if use.module in STDLIB or use.module in local or use.main_only:
            continue
        if use.optional and use.module in optional_allowed:
            continue
        bad.append(use)
    return bad


def module_files(module: Path, kind: str, course_modules: tuple[str, ...] | list[str] = ('data',)) -> list[Path]:
    """The student's own Python files: model.py, or every file of the package except the
    course's modules (its data.py may use matplotlib; the grader installs its own copy)."""
    course = {f'{name}.py' for name in course_modules}
    if kind == 'flat':
        return [module, *_imported_siblings(module, course)]
    return sorted(p for p in module.rglob('*.py') if p.name not in course and '__pycache__' not in p.parts)


def _imported_siblings(module: Path, course: set[str]) -> list[Path]:
    """The files beside a flat module that it imports (model.py + a sibling layer.py), and
    theirs in turn: the student's own code too. Files it never imports (a test script) are not."""
    siblings = {p.stem: p for p in importable(module.parent) if p.parent == module.parent
                and p != module and p.name not in course}
    found, pending = [], [module]
    while pending:
        try:       # bounded (sandbox/syntax_tree.py): a file over the cap is reported by the scan itself
            tree = parse(read_capped(pending.pop()).decode('utf-8')).tree
        except (SourceTooLarge, ValueError, OSError):
            continue
        for node in ast.walk(tree) if tree is not None else ():
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ''] if isinstance(node, ast.ImportFrom) and not node.level else [])
            for name in names:
                path = siblings.get(name.split('.')[0])
                if path is not None and path not in found:
                    found.append(path)
                    pending.append(path)
    return found


def judge(ctx: Context) -> Check:
    """`static.imports`: every import of the module is standard library, the module's own, or
    one of the modules the course hands out (its `data`), which are not third-party code."""
    ws, settings = ctx.workspace, ctx.settings
    if ws.module is None:
        return ctx.scored('static.imports', 0.0, _('There is no module to check.'))
    files = module_files(ws.module, ws.module_kind, settings.course_modules)
    own = {'model'} if ws.module_kind == 'flat' else {settings.package_name}   # never the other one:
    local = frozenset({*own, *(p.stem for p in files), *settings.course_modules})  # that is the reference
    bad, unreadable, checked, main_only = [], [], [], []
    for path in files:
        shown = path.relative_to(ws.root).as_posix()
        try:
            uses = scan_file(path, shown)
        except SyntaxError as error:
            # said once, with its line, by Deel A's first check (checks/locate.py, Unreadable)
            unreadable.append(_('{file} has a {kind} (its line is shown under Deel A)').format(
                file=shown, kind=type(error).__name__))
            continue
        except SourceTooLarge as error:
            unreadable.append(f'{shown}: {error}')
            continue
        except (OSError, UnicodeDecodeError) as error:
            unreadable.append(_('{file}: cannot be read as UTF-8 text ({error})').format(file=shown, error=type(error).__name__))
            continue
        checked.append(shown)
        bad += violations(uses, local=local, optional_allowed=frozenset(settings.optional_imports))
        main_only += [u for u in uses if u.main_only and u.module not in STDLIB and u.module not in local]
    details = {'files': checked, 'violations': [{'module': u.module, 'where': u.where, 'statement': u.statement,
                                                 'optional': u.optional, 'dynamic': u.dynamic} for u in bad[:_LISTED]],
               'violation_count': len(bad), 'unreadable': unreadable,
               'main_only': [{'module': u.module, 'where': u.where, 'statement': u.statement} for u in main_only[:_LISTED]]}
    if unreadable:      # not a violation: the grader cannot tell what the module imports
        message = _('The imports could not be checked: the module could not be read ({problems}).').format(
            problems='; '.join(unreadable))
        return Check('static.imports', ctx.title('static.imports'), ERROR, 0.0, ctx.points('static.imports'),
                     message, details=details)
    if bad:
        listed = '; '.join(f'{u.where}: {u.statement}' for u in bad[:6])
        names = sorted({u.module for u in bad})
        return ctx.scored('static.imports', 0.0,
                          _('The module imports {modules}, outside the standard library (the course allows only '
                            'the standard library): {where}.').format(modules=', '.join(names), where=listed),
                          details=details)
    message = _('Only standard-library imports in {files}.').format(files=', '.join(checked))
    if main_only:
        message += ' ' + _("Noted: {where} imports {modules} only under `if __name__ == '__main__':`, which does not "
                           'run when the module is imported; that is allowed.').format(
            where=', '.join(u.where for u in main_only[:6]), modules=', '.join(sorted({u.module for u in main_only})))
    return ctx.scored('static.imports', 1.0, message, details=details)

"""Where in the student's own files a failing check should send them: the line an error was
raised on, or else the definition that computes what was wrong (`DenseLayer.__call__` for
an update, `tanh` for a table value).

The module is read, never run: a static index of its functions and classes (with the line of
each method, and each class's bases by name, so an inherited `fit` is found in `Layer`).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..i18n import _
from ..intake.module_copy import importable
from ..sandbox.syntax_tree import parse_many, read_capped

__all__ = ['Place', 'Fix', 'Locator', 'Unreadable', 'locator_for', 'from_error', 'from_harness', 'with_fixes']


@dataclass(frozen=True)
class Place:
    file: str            # as the student knows it: model.py, vlearning/layers.py
    line: int
    name: str            # tanh, DenseLayer.__call__

    def text(self) -> str:
        return _('{file}, line {line} ({name})').format(file=self.file, line=self.line, name=self.name)

    def as_dict(self) -> dict[str, Any]:
        return {'file': self.file, 'line': self.line, 'name': self.name}


@dataclass(frozen=True)
class Unreadable:
    """A file of the module Python cannot read: where and why, as Python says it."""
    file: str
    line: int
    kind: str            # SyntaxError, IndentationError, TabError
    message: str         # invalid syntax

    def text(self) -> str:
        return _('{file}, line {line}: {kind}: {message}').format(file=self.file, line=self.line, kind=self.kind,
                                                                  message=self.message)


@dataclass
class _Class:
    file: str
    line: int
    bases: list[str]
    methods: dict[str, int]


class Locator:
    """The definitions of one student module (a flat file or a package folder)."""

    def __init__(self, files: dict[str, str]):
        """files: the name a student knows each file by → its source."""
        self.functions: dict[str, tuple[str, int]] = {}
        self.classes: dict[str, _Class] = {}
        self.unreadable: list[Unreadable] = []
        for shown, parsed in parse_many(files).items():    # bounded: a student's source is hostile input
            if parsed.tree is None:
                if parsed.error_kind:
                    self.unreadable.append(Unreadable(shown, parsed.error_line or 1, parsed.error_kind,
                                                      parsed.error_message))
                continue
            for node in parsed.tree.body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.functions.setdefault(node.name, (shown, node.lineno))
                elif isinstance(node, ast.ClassDef):
                    methods = {item.name: item.lineno for item in node.body
                               if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
                    bases = [b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else ''
                             for b in node.bases]
                    self.classes.setdefault(node.name, _Class(shown, node.lineno, bases, methods))

    def function(self, name: str) -> Place | None:
        if name in self.functions:
            file, line = self.functions[name]
            return Place(file, line, name)
        return None

    def definition(self, name: str) -> Place | None:
        """The function or class of that name."""
        if name in self.classes:
            return Place(self.classes[name].file, self.classes[name].line, name)
        return self.function(name)

    def method(self, cls: str, name: str) -> Place | None:
        """`cls.name` where it is defined: in the class, else in its bases (by name, in the
        module), else in the one class of the module that defines it; the class itself when
        no definition of the method is found."""
        seen, queue = set(), [cls]
        while queue:
            current = queue.pop(0)
            if current in seen or current not in self.classes:
                continue
            seen.add(current)
            entry = self.classes[current]
            if name in entry.methods:
                return Place(entry.file, entry.methods[name], f'{current}.{name}')
            queue.extend(entry.bases)
        owners = [c for c, entry in self.classes.items() if name in entry.methods]
        if len(owners) == 1:
            entry = self.classes[owners[0]]
            return Place(entry.file, entry.methods[name], f'{owners[0]}.{name}')
        if cls in self.classes:
            return Place(self.classes[cls].file, self.classes[cls].line, cls)
        return None


    def qualified(self, place: Place) -> Place:
        """`__init__` at model.py:220 as `Layer.__init__`: a method named with its class (the
        class whose method of that name starts nearest above the line)."""
        if '.' in place.name:
            return place
        owners = [(entry.methods[place.name], cls) for cls, entry in self.classes.items()
                  if entry.file == place.file and entry.methods.get(place.name, place.line + 1) <= place.line]
        if not owners or place.name in self.functions and self.functions[place.name][1] > max(owners)[0]:
            return place
        return Place(place.file, place.line, f'{max(owners)[1]}.{place.name}')


def locator_for(workspace: Any) -> Locator:
    """The index of the workspace's module (empty when there is none or it cannot be read)."""
    module = getattr(workspace, 'module', None)
    files: dict[str, str] = {}
    if module is not None and Path(module).exists():
        root = Path(module)
        paths = sorted(root.rglob('*.py')) if root.is_dir() else [root]
        # then the files beside it that the module may import (model.py + a sibling layer.py)
        paths += [p for p in importable(root.parent) if p not in paths and root not in p.parents]
        for path in paths[:200]:
            if path.is_symlink() or not path.is_file():
                continue
            shown = path.relative_to(root.parent).as_posix()
            try:
                files[shown] = read_capped(path).decode('utf-8')
            except (OSError, UnicodeDecodeError):      # SourceTooLarge too: nothing to point at there
                continue
    return Locator(files)


def from_error(error: dict[str, Any] | None) -> Place | None:
    """The student's line an error was raised on ('model.py:97 in tanh'), when it has one."""
    where = (error or {}).get('where') if isinstance(error, dict) else None
    if not where or not isinstance(where, list) or (error or {}).get('harness'):
        return None
    text = str(where[-1])
    location, _sep, name = text.partition(' in ')
    file, _sep, line = location.rpartition(':')
    if not file or not line.isdigit() or file.startswith('<'):     # <frozen importlib._bootstrap>: not theirs
        return None
    return Place(file, int(line), name or '?')


def from_harness(error: dict[str, Any] | None, locator: Locator,
                 own_name: Callable[[str], str] = str) -> Place | None | bool:
    """Where an error the grader's harness raised points in the student's module: a call
    its signature does not take is the definition called (`Perceptron(dim=…)` is
    `Perceptron.__init__`, `DenseLayer.__call__` that method); a name the module lacks has
    no place, and nothing else may stand in for it (False: do not guess). None: the
    caller's own idea of where. own_name: the module's name for a course class (an alias)."""
    if not isinstance(error, dict) or error.get('type') != 'HarnessError':
        return None
    params = error.get('params') if isinstance(error.get('params'), dict) else {}
    code, name = error.get('code'), str(params.get('name', ''))
    if code == 'missing-name':
        return False
    if code == 'signature' and name:
        cls, _dot, method = name.partition('.')
        cls = own_name(cls)
        if method:
            return locator.method(cls, method)
        if cls in locator.classes:
            return locator.method(cls, '__init__')
        return locator.function(cls)
    if code == 'no-method':
        return locator.definition(own_name(str(params.get('cls', ''))))
    return None


@dataclass(frozen=True)
class Fix:
    """One thing to change: where (None when the grader cannot tell), what is wrong there and
    what to do about it, in the student's language."""
    place: Place | None
    problem: str
    advice: str = ''

    def text(self) -> str:
        what = (_('{problem}; {advice}').format(problem=self.problem, advice=self.advice)
                if self.problem and self.advice else self.problem or self.advice)
        if self.place is None:
            return what
        return _('{where}: {what}').format(where=self.place.text(), what=what) if what else self.place.text()

    def as_dict(self) -> dict[str, Any]:
        return {**(self.place.as_dict() if self.place else {}), 'problem': self.problem, 'advice': self.advice}


def with_fixes(message: str, fixes: list[Fix]) -> str:
    """The check's message followed by where to fix what it found (at most four places, and
    how many more)."""
    fixes = list(dict.fromkeys(fixes))
    if not fixes:
        return message
    shown = '; '.join(f.text() for f in fixes[:4])
    if len(fixes) > 4:
        shown += ' ' + _('(and {count} more)').format(count=len(fixes) - 4)
    return _('{message} Where to fix: {fixes}.').format(message=message, fixes=shown)

"""The syntax tree of Python a student wrote, read in bounded time and memory.

A student's source is hostile input to the grader too (issue 21): `ast.parse` of a few MB of
dense code costs the parsing process GBs, and the grader runs as root. So:

* a source over `MAX_SOURCE_BYTES` is not parsed at all: the caller says so, with the size;
* a source up to `IN_PROCESS_BYTES` is parsed in the grader: 64 KB of the densest code
  (`[0,0,…]`, `f(1);f(1);…`) takes at most ~0.2 s of CPU and ~30 MB (measured on a loaded
  machine), and the course's module (~30 KB) a few ms: cheaper than starting a child;
* anything between is parsed in a sandboxed child process (bubblewrap where available, else
  resource limits) with `LIMITS`; a tree of more than `MAX_NODES` nodes is refused there, and
  the tree comes back as a pickle that may only name `ast` node classes.

A module of the course is ~30 KB: it parses in the grader; the child costs ~0.05 s.
"""
from __future__ import annotations

import ast
import builtins
import io
import json
import os
import pickle
import shutil
import sys
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

from ..i18n import _
from .host import SandboxError, UnsandboxedWarning, make_workspace
from .limits import Limits
from .process import RESULT_FD_ARG, run

__all__ = ['Parsed', 'SourceTooLarge', 'parse', 'parse_many', 'read_capped', 'too_large', 'MAX_SOURCE_BYTES', 'IN_PROCESS_BYTES', 'MAX_NODES']

MAX_SOURCE_BYTES = 1 << 20      # ~35 times the course's module; an 8 MB literal or 50 MB of comments is not code to read
IN_PROCESS_BYTES = 64 << 10
MAX_NODES = 500_000             # ~35,000 lines of ordinary code; the tree costs the grader < 300 MB
LIMITS = Limits(memory_mb=1024, processes=8, file_size_mb=1, disk_mb=1, open_files=32, cpu_seconds=20,
                wall_seconds=30, output_bytes=64 << 10)

# Runs in the child (`python -I -c`): sources as JSON on stdin, one pickled outcome per source
# on the result channel. Standard library only: it runs with the sandbox's interpreter.
_CHILD = r'''
import ast, json, os, pickle, sys
sources, max_nodes = json.load(sys.stdin)
outcomes = []
for source in sources:
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        outcomes.append(('syntax', type(error).__name__, str(error.msg), error.lineno))
        continue
    except (ValueError, RecursionError, MemoryError) as error:
        outcomes.append(('refused', type(error).__name__))
        continue
    count = 0
    for _node in ast.walk(tree):
        count += 1
        if count > max_nodes:
            break
    outcomes.append(('refused', 'nodes') if count > max_nodes else ('ok', tree))
    tree = None
with os.fdopen(int(sys.argv[1]), 'wb') as channel:
    channel.write(pickle.dumps((sys.version_info[:2], outcomes), protocol=4))
'''


@dataclass(frozen=True)
class Parsed:
    """What reading one source gave: a tree, or why there is none."""
    tree: ast.Module | None
    error_kind: str = ''       # SyntaxError, IndentationError, TabError, …: the source is not valid Python
    error_message: str = ''
    error_line: int | None = None
    refused: str = ''          # for people: the grader did not read it (too large, too complex, …)

    @property
    def ok(self) -> bool:
        return self.tree is not None


def too_large(size: int) -> str:
    """Why a source of `size` bytes is not read."""
    return _('it is {size} MB, more than the {limit} MB the grader reads of a Python file').format(
        size=f'{size / (1 << 20):.1f}', limit=MAX_SOURCE_BYTES >> 20)


class SourceTooLarge(OSError):
    """A source file over MAX_SOURCE_BYTES: str() says so, for people."""


def read_capped(path: os.PathLike | str) -> bytes:
    """A source file's bytes; SourceTooLarge (without reading it) when it is over the cap."""
    with open(path, 'rb') as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceTooLarge(too_large(size))
        data = handle.read(MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:          # it grew while we looked
        raise SourceTooLarge(too_large(len(data)))
    return data


def _in_process(source: str) -> Parsed:
    try:
        return Parsed(ast.parse(source))
    except SyntaxError as error:
        return Parsed(None, type(error).__name__, str(error.msg), error.lineno)
    except (ValueError, RecursionError, MemoryError) as error:
        return _refusal(type(error).__name__)


def _refusal(code: str) -> Parsed:
    reasons = {'nodes': _('it has more than {count} syntax elements, more than the grader reads').format(
                   count=f'{MAX_NODES:,}'),
               'ValueError': _('it contains a null byte'),
               'RecursionError': _('it is nested too deeply to read'),
               'MemoryError': _('reading it takes more memory than the grader allows')}
    return Parsed(None, refused=reasons.get(code, _('the grader could not read it within its limits ({why})').format(
        why=code)))


class _TreeOnly(pickle.Unpickler):
    """Unpickles syntax trees and nothing else: the child read hostile text."""
    _BUILTINS = {'complex', 'frozenset', 'Ellipsis', 'slice', 'bytes', 'set'}

    def find_class(self, module: str, name: str):
        found = getattr(ast, name, None) if module in ('ast', '_ast') else None
        if isinstance(found, type) and issubclass(found, ast.AST):
            return found
        if module == 'builtins' and name in self._BUILTINS:
            return getattr(builtins, name)
        raise pickle.UnpicklingError(f'{module}.{name} is not part of a syntax tree')


def _in_child(sources: list[str]) -> list[Parsed]:
    try:
        workspace = make_workspace(prefix='parse-')
    except (OSError, SandboxError) as error:
        return [_refusal(type(error).__name__)] * len(sources)
    try:
        with warnings.catch_warnings():      # the child runs the grader's code, not the student's
            warnings.simplefilter('ignore', UnsandboxedWarning)
            result = run(['python', '-I', '-c', _CHILD, RESULT_FD_ARG], workspace=workspace, limits=LIMITS,
                         stdin=json.dumps([sources, MAX_NODES]).encode(), result_channel=True)
    except (OSError, SandboxError) as error:     # no child could start: nothing is read
        return [_refusal(type(error).__name__)] * len(sources)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    channel = result.channel
    if not result.ok or channel is None or channel.truncated:
        why = result.reason or (result.stderr.tail.decode(errors='replace').strip().splitlines() or ['?'])[-1]
        return [_refusal(why[:200])] * len(sources)
    try:
        version, outcomes = _TreeOnly(io.BytesIO(channel.tail)).load()
        if tuple(version) != sys.version_info[:2] or len(outcomes) != len(sources):
            return [_refusal('interpreter')] * len(sources)      # node classes differ between versions
        return [_outcome(outcome) for outcome in outcomes]
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, IndexError) as error:
        return [_refusal(type(error).__name__)] * len(sources)


def _outcome(outcome: tuple) -> Parsed:
    """One source's outcome as the child wrote it."""
    if outcome[0] == 'ok' and isinstance(outcome[1], ast.Module):
        return Parsed(outcome[1])
    if outcome[0] == 'syntax':
        return Parsed(None, str(outcome[1]), str(outcome[2]), outcome[3] if isinstance(outcome[3], int) else None)
    return _refusal(str(outcome[1])[:200])


def parse_many(sources: Mapping[str, str]) -> dict[str, Parsed]:
    """Each source's tree (name → Parsed): small ones here, larger ones together in one child."""
    out: dict[str, Parsed] = {}
    larger: dict[str, str] = {}
    for name, source in sources.items():
        size = len(source) if len(source) > MAX_SOURCE_BYTES else len(source.encode('utf-8', 'surrogatepass'))
        if size > MAX_SOURCE_BYTES:
            out[name] = Parsed(None, refused=too_large(size))
        elif size > IN_PROCESS_BYTES:
            larger[name] = source
        else:
            out[name] = _in_process(source)
    if larger:
        out.update(zip(larger, _in_child(list(larger.values()))))
    return {name: out[name] for name in sources}


def parse(source: str) -> Parsed:
    """One source's tree (see parse_many)."""
    return parse_many({'source': source})['source']

"""The syntax tree of Python a student wrote, read in bounded time and memory.

A student's source is hostile input to the grader too (issue 21): `ast.parse` of a few MB of
dense code costs the parsing process GBs, and the grader runs as root. So:

* a source over `MAX_SOURCE_BYTES` is not parsed at all: the caller says so, with the size;
* a source up to `IN_PROCESS_BYTES` is parsed in the grader: 64 KB of the densest code
  (`[0,0,…]`, `f(1);f(1);…`) takes at most ~0.2 s of CPU and ~30 MB (measured on a loaded
  machine), and the course's module (~30 KB) a few ms: cheaper than starting a child;
* anything between is parsed in a sandboxed child process (bubblewrap where available, else
  resource limits) with `LIMITS`; a tree of more than `MAX_NODES` nodes is refused there, and
  the tree comes back as JSON (data, never a pickle) whose objects may only be `ast` nodes.

A module of the course is ~30 KB: it parses in the grader; the child costs ~0.05 s.
"""
from __future__ import annotations

import ast
import json
import os
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

# Runs in the child (`python -I -c`): sources as JSON on stdin, one JSON outcome per source
# on the result channel. Standard library only: it runs with the sandbox's interpreter.
_CHILD = r'''
import ast, json, math, os, sys
sources, max_nodes = json.load(sys.stdin)

def encode(x):
    if isinstance(x, ast.AST):
        out = {'_': type(x).__name__}
        for name in x._fields:
            out[name] = encode(getattr(x, name, None))
        for name in x._attributes:
            value = getattr(x, name, None)
            if value is not None:
                out[name] = value
        return out
    if isinstance(x, list):
        return [encode(item) for item in x]
    if x is Ellipsis:
        return {'$': 'ellipsis'}
    if isinstance(x, bytes):
        return {'$': 'bytes', 'v': x.decode('latin-1')}
    if isinstance(x, complex):
        return {'$': 'complex', 'v': [repr(x.real), repr(x.imag)]}
    if isinstance(x, float) and not math.isfinite(x):
        return {'$': 'float', 'v': repr(x)}
    if isinstance(x, int) and not isinstance(x, bool):
        return x if abs(x) < 1 << 53 else {'$': 'int', 'v': hex(x)}
    return x

outcomes = []
for source in sources:
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        outcomes.append(['syntax', type(error).__name__, str(error.msg), error.lineno])
        continue
    except (ValueError, RecursionError, MemoryError) as error:
        outcomes.append(['refused', type(error).__name__])
        continue
    count = 0
    for _node in ast.walk(tree):
        count += 1
        if count > max_nodes:
            break
    if count > max_nodes:
        outcomes.append(['refused', 'nodes'])
    else:
        try:
            outcomes.append(['ok', encode(tree)])
        except (RecursionError, ValueError, MemoryError) as error:
            outcomes.append(['refused', type(error).__name__])
    tree = None
with os.fdopen(int(sys.argv[1]), 'w', encoding='utf-8') as channel:
    json.dump([list(sys.version_info[:2]), outcomes], channel, ensure_ascii=True)
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


_SPECIAL = {'ellipsis': lambda v: Ellipsis, 'bytes': lambda v: str(v).encode('latin-1'),
            'complex': lambda v: complex(float(v[0]), float(v[1])), 'float': lambda v: float(str(v)),
            'int': lambda v: int(str(v), 16)}


def _node(fields: dict):
    """One JSON object of the child's tree back as its `ast` node; anything else is refused."""
    if '$' in fields:
        make = _SPECIAL.get(fields['$'])
        if make is None:
            raise ValueError('not part of a syntax tree')
        return make(fields.get('v'))
    cls = getattr(ast, str(fields.get('_')), None)
    if not (isinstance(cls, type) and issubclass(cls, ast.AST)):
        raise ValueError('not part of a syntax tree')
    node = cls()
    allowed = set(cls._fields) | set(cls._attributes)
    for name, value in fields.items():
        if name != '_':
            if name not in allowed:
                raise ValueError('not part of a syntax tree')
            setattr(node, name, value)
    return node


def _decode(text: bytes) -> tuple:
    """The child's answer, read as data: JSON whose objects may only be syntax-tree nodes."""
    return tuple(json.loads(text.decode('utf-8'), object_hook=_node))


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
        version, outcomes = _decode(channel.tail)
        if tuple(version) != sys.version_info[:2] or len(outcomes) != len(sources):
            return [_refusal('interpreter')] * len(sources)      # node classes differ between versions
        return [_outcome(outcome) for outcome in outcomes]
    except (ValueError, TypeError, AttributeError, IndexError, RecursionError, UnicodeDecodeError) as error:
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

"""The one boundary every student-facing text passes before it is stored in the results.

A check's message and details reach the student in grading.json, results.json, the HTML
report and the terminal; the student sees only their own world there. Whatever a check
formats (an error record of the probe runner, a value's repr, an exception's text), this
module turns it into what the student wrote and can act on:

* an error record `{'type', 'message', 'where', 'traceback'}` (or a value `{'error': …}`)
  becomes one line, "TypeError: object of type 'InputLayer' has no len() (model.py, line 212)",
  located on the student's last own frame; its traceback never leaves;
* a traceback in a text becomes the same one line;
* a path becomes the student's own file (relative to their hand-in), a grader's or the
  standard library's file (the probe runner, site-packages, `<frozen importlib._bootstrap>`)
  is left out;
* another raw dict in a text becomes `key: value, …`; an encoded number `{'float': 'nan'}`
  its number;
* a repr with a memory address loses it: `<function linear at 0x7f…>` becomes
  `<function linear>`, `<model.Neuron object at 0x…>` becomes `<Neuron object>`.

Results.add applies it to every check, so no check has to remember it; the instructor-only
`hidden` part keeps the raw record (the traceback is the instructor's). The notebook's failing
cells pass it in `student_view` (the document the student's report is made from): their
IPython traceback keeps the student's own frames (their cell, their module's lines) and
loses the header and the frames of libraries and the grader.
"""
from __future__ import annotations

import ast
import re
from typing import Any

__all__ = ['clean_text', 'clean_details', 'clean_notebook', 'error_line', 'shown', 'own_file']

MAX_LITERAL = 20_000        # a text longer than this is not parsed as a Python literal (bounded time)
MAX_ATTEMPTS = 50           # nor more than this many candidates in one text

# a file of the grader, the sandbox's runtime or Python itself: never shown to a student
_GRADER_FILE = re.compile(r'(^<frozen |^<string>$|vlgrader_probe|/autograder/(?!.*autograder-sandbox)|'
                          r'site-packages|dist-packages|/lib/python\d|/opt/vlgrader|kernel_launcher|ipykernel)')
_SANDBOX_PREFIX = re.compile(r'^(?:.*/autograder-sandbox-\d+/[^/]+/|.*/workspace/)')
_PATH = re.compile(r'''(?<![\w.:/])(?:[A-Za-z]:)?(?:/[^\s'"(),:;<>\[\]{}]+)+''')
_FRAME = re.compile(r'File "([^"]+)", line (\d+)(?:, in ([^\s]+))?')
_WHERE = re.compile(r'^(?P<file>.+?):(?P<line>\d+) in (?P<name>.+)$')
_TRACEBACK = re.compile(r'Traceback \(most recent call last\):\n(?:[ \t]+.*\n|\n)*(?P<last>[^\n]*)')
_FUNCTION = re.compile(r'<(function|built-in function|bound method|class|module) ([\w.<>]+?)(?: at 0x[0-9a-fA-F]+)?'
                       r'(?: of <[^<>]*>)?>')
_OBJECT = re.compile(r'<(?:[\w.]+\.)?(\w+) object at 0x[0-9a-fA-F]+>')
_ADDRESS = re.compile(r'\s*\b(?:at )?0x[0-9a-fA-F]{6,}\b')


def own_file(path: str) -> str | None:
    """The student's own file a path names, relative to their hand-in; None for a file of
    the grader, its sandbox runtime or the standard library."""
    path = path.replace('\\', '/')
    if _GRADER_FILE.search(path):
        return None
    relative = _SANDBOX_PREFIX.sub('', path)
    if relative != path:
        return relative or None
    if path.startswith('/') or re.match(r'^[A-Za-z]:/', path):     # somewhere else: the name at most
        name = path.rsplit('/', 1)[-1]
        return name if name.endswith(('.py', '.ipynb')) else None
    return path


def error_line(error: Any) -> str:
    """One line for an error record of the runner (or the kernel): its type and message, and
    the student's own line it came from."""
    if not isinstance(error, dict):
        return clean_text(str(error))
    kind = str(error.get('type') or error.get('ename') or 'Error')
    message = clean_text(str(error.get('message') or error.get('evalue') or ''), _lines=False).strip()
    first = message.splitlines()[0] if message else ''
    where = _last_own_frame(error)
    return f"{kind}: {first}{where}" if first else f'{kind}{where}'


def _last_own_frame(error: dict[str, Any]) -> str:
    frames = []
    for item in error.get('where') or []:
        m = _WHERE.match(str(item))
        if m:
            frames.append((m['file'], m['line']))
    for m in _FRAME.finditer(str(error.get('traceback') or '')):
        frames.append((m[1], m[2]))
    for file, line in reversed(frames):
        own = own_file(file)
        if own:
            return f' ({own}, line {line})'
    return ''


def _is_error(value: Any) -> bool:
    return isinstance(value, dict) and ('type' in value or 'ename' in value) and (
        'message' in value or 'evalue' in value or 'traceback' in value)


def shown(value: Any) -> str:
    """How a raw value (encoded by the runner, or an error record) reads to a student."""
    if isinstance(value, dict):
        if _is_error(value):
            return error_line(value)
        if set(value) == {'error'}:
            return error_line(value['error'])
        if 'float' in value and set(value) <= {'float', 'type'}:
            return str(value['float'])
        if 'repr' in value and set(value) <= {'repr', 'type'}:
            return clean_text(str(value['repr']))
        if set(value) == {'dict'} and isinstance(value['dict'], dict):
            value = value['dict']
        return ', '.join(f'{k}: {shown(v)}' for k, v in value.items())
    if isinstance(value, list):
        return '[' + ', '.join(shown(v) for v in value) + ']'
    if isinstance(value, str):
        return clean_text(value)
    return repr(value)


def _literals(text: str) -> str:
    """Raw dicts in a text, rendered as `shown` does (a dict repr that does not parse is left
    to the other rules)."""
    if len(text) > MAX_LITERAL or "{'" not in text:
        return text
    out, start = [], 0
    for _attempt in range(MAX_ATTEMPTS):
        begin = text.find("{'", start)
        if begin < 0:
            break
        end = _closing(text, begin)
        if end is None:
            break
        try:
            value = ast.literal_eval(text[begin:end + 1])
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            out.append(text[start:begin + 2])
            start = begin + 2
            continue
        out.append(text[start:begin])
        out.append(shown(value))
        start = end + 1
    out.append(text[start:])
    return ''.join(out)


def _closing(text: str, begin: int) -> int | None:
    """The index of the brace closing the one at `begin` (quotes respected), or None."""
    depth, quote, escaped = 0, '', False
    for i in range(begin, len(text)):
        c = text[i]
        if quote:
            if escaped:
                escaped = False
            elif c == '\\':
                escaped = True
            elif c == quote:
                quote = ''
        elif c in '\'"':
            quote = c
        elif c in '{[':
            depth += 1
        elif c in '}]':
            depth -= 1
            if depth == 0:
                return i
    return None


def _path(match: re.Match) -> str:
    own = own_file(match[0])
    return own if own else '…'


def clean_text(text: str, _lines: bool = True) -> str:
    """A text as a student may read it (see the module's docstring)."""
    if not isinstance(text, str) or not text:
        return text
    text = _literals(text)
    text = _TRACEBACK.sub(lambda m: _traceback_line(m), text)
    text = _FUNCTION.sub(lambda m: f'<{m[1]} {m[2]}>', text)
    text = _OBJECT.sub(lambda m: f'<{m[1]} object>', text)
    text = _ADDRESS.sub('', text)
    text = _FRAME.sub(lambda m: _frame(m), text)
    return _PATH.sub(_path, text)


def _frame(match: re.Match) -> str:
    own = own_file(match[1])
    if not own:
        return 'File "…"'
    return f'File "{own}", line {match[2]}' + (f', in {match[3]}' if match[3] else '')


def _traceback_line(match: re.Match) -> str:
    block = match[0]
    last = match['last'].strip()
    kind, _sep, message = last.partition(': ')
    return error_line({'type': kind or 'Error', 'message': message, 'traceback': block})


def clean_details(value: Any, depth: int = 0) -> Any:
    """A check's student-visible details, cleaned throughout: error records lose their
    traceback and grader frames, texts are cleaned."""
    if depth > 20:
        return None
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_details(v, depth + 1) for v in value]
    if isinstance(value, tuple):
        return tuple(clean_details(v, depth + 1) for v in value)
    if isinstance(value, dict):
        if _is_error(value):
            cleaned = {k: clean_details(v, depth + 1) for k, v in value.items()
                       if k not in ('traceback', 'where', 'params')}
            cleaned['line'] = error_line(value)
            own = [w for w in (value.get('where') or []) if _own_where(str(w))]
            if own:
                cleaned['where'] = [clean_text(str(w)) for w in own]
            return cleaned
        return {k: clean_details(v, depth + 1) for k, v in value.items()}
    return value


def _own_where(item: str) -> bool:
    m = _WHERE.match(item)
    return bool(m and own_file(m['file']))


_ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')
_GRADER_CELL = re.compile(r'^Cell In\[\d+\], line \d+, in __autograder')     # part_b/kernel_cell.py's names
_IPYTHON_FILE = re.compile(r'^File (?P<path>[^\n]+?):(?P<line>\d+)(?P<rest>[^\n]*)')


def _notebook_traceback(entries: list[Any]) -> list[str]:
    """An IPython traceback (a list of blocks) with only the student's own frames."""
    kept = []
    for entry in entries[:200]:
        block = _ANSI.sub('', str(entry))
        if not block.strip('-\n ') or 'Traceback (most recent call last)' in block:
            continue                                   # IPython's header
        if _GRADER_CELL.match(block):
            continue                                   # a frame of a grader cell (the watch around fit)
        m = _IPYTHON_FILE.match(block)
        if m:
            own = own_file(m['path'])
            if not own:
                continue                               # a library's or the grader's frame
            block = f"File {own}:{m['line']}{m['rest']}" + block[m.end():]
        kept.append(clean_text(block))
    return kept


def clean_notebook(notebook: dict[str, Any]) -> dict[str, Any]:
    """The notebook run as a student may see it: failing cells keep their own frames."""
    cells = []
    for cell in notebook.get('cells') or []:
        error = cell.get('error') if isinstance(cell, dict) else None
        if isinstance(error, dict):
            cell = {**cell, 'error': {**{k: clean_details(v) for k, v in error.items() if k != 'traceback'},
                                      'traceback': _notebook_traceback(error.get('traceback') or [])}}
        cells.append(cell)
    return {**notebook, 'cells': cells} if 'cells' in notebook else notebook

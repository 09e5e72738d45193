"""Raw values and errors as the grader receives them: JSON-safe, truncated, and located in
the student's files, never in the grader's."""
import math
import os
import traceback

__all__ = ['MAX_TEXT', 'ProbeTimeout', 'HarnessError', 'on_alarm', 'encode', 'describe_error']

HERE = os.path.dirname(os.path.abspath(__file__))
WORKSPACE = []          # the student's hand-in folder, set by the worker before it imports anything


def _grader_file(filename):
    """A file of this package (the runner's own code)."""
    return os.path.dirname(os.path.abspath(filename)) == HERE


def _own_file(filename):
    """The student's file a frame ran in, as they know it (relative to their hand-in), or
    None: the runner's own code, the standard library (a failing `importlib` call of a
    package's __init__.py is raised in importlib's `__init__.py`, not theirs), `<frozen …>`."""
    if _grader_file(filename) or filename.startswith('<'):
        return None
    if not WORKSPACE:
        return os.path.basename(filename)
    path = os.path.realpath(filename)
    if not path.startswith(WORKSPACE[0] + os.sep):
        return None
    return os.path.relpath(path, WORKSPACE[0]).replace(os.sep, '/')


MAX_TEXT = 4000


class ProbeTimeout(BaseException):
    """Raised by the interval timer; a BaseException so `except Exception` can't swallow it."""


def on_alarm(signum, frame):
    raise ProbeTimeout()


def encode(value, depth=0):
    """A JSON-safe rendering of what student code returned, keeping -0.0, nan and inf."""
    if value is None or isinstance(value, (bool, str)):
        return value if not isinstance(value, str) else value[:MAX_TEXT]
    if isinstance(value, int):
        return value if abs(value) < 2 ** 63 else {'float': float(value)}
    if isinstance(value, float):
        return value if math.isfinite(value) else {'float': repr(value)}
    if depth < 3 and isinstance(value, (list, tuple)):
        return [encode(v, depth + 1) for v in value[:10000]]
    if depth < 2 and isinstance(value, dict):
        return {'dict': {str(k)[:200]: encode(v, depth + 1) for k, v in list(value.items())[:50]}}
    try:
        number = float(value)            # numpy scalars and the like
        return {'float': repr(number), 'type': type(value).__name__}
    except Exception:
        return {'repr': repr(value)[:200], 'type': type(value).__name__}


class HarnessError(Exception):
    """The grader could not use the module the way the course's API offers (a name, a
    signature, a way to reach the layers); the message says what it tried and expected.
    code: its template in texts.HARNESS; the keyword arguments fill it."""

    def __init__(self, code, **params):
        from .texts import HARNESS
        self.code, self.params = code, {k: str(v)[:300] for k, v in params.items()}
        super().__init__(HARNESS[code].format(**self.params))


def describe_error(error):
    """The error as the student should read it: where in *their* files it was raised. An error
    raised by the grader's own code (a call their signature does not take, an attribute the
    harness looked for) is marked 'harness' and carries no grader location."""
    tb = traceback.extract_tb(error.__traceback__)
    own = [(_own_file(f.filename), f) for f in tb]
    own = [(shown, f) for shown, f in own if shown]
    if isinstance(error, SyntaxError) and error.filename and _own_file(error.filename):
        own.append((_own_file(error.filename), traceback.FrameSummary(error.filename, error.lineno or 0, '<module>')))
    record = {
        'type': type(error).__name__,
        'message': str(error)[:MAX_TEXT],
        'where': [f'{shown}:{f.lineno} in {f.name}' for shown, f in own[-4:]],
        'traceback': ''.join(traceback.format_exception(error))[-MAX_TEXT:],
    }
    if isinstance(error, HarnessError) or not tb or _grader_file(tb[-1].filename):
        record['harness'] = True
    if isinstance(error, HarnessError):
        record['code'], record['params'] = error.code, error.params
    return record

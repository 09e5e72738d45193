"""The worker: the only process that imports the student's module. It runs the tasks one by
one, each under a time limit with its prints captured, and reports raw records to the
parent over a pipe, waiting for the parent's receipt of each."""
import io
import json
import os
import random
import sys
import time
from contextlib import redirect_stderr, redirect_stdout

from . import calls
from . import encoding
from .encoding import MAX_TEXT, ProbeTimeout, describe_error, on_alarm
from .module import Module, Resolver
from .portable import on_alarm_installed, open_argument, set_timer
from .tasks import TASKS

__all__ = ['worker', 'hide_grader_packages', 'serialise']

_DUMPS, _LOADS = json.dumps, json.loads      # taken before any student code runs


def serialise(record):
    """The record's line, always by the json.dumps this worker started with. Student code may
    replace json.dumps (the runner called it for years, so a forger's first try): when the
    replacement changes what a result says, the line carries `serialisation: 'rewritten'` and
    the parent reports that as tampering with the task. A wrapper that changes nothing is
    left alone (json.dumps is still called, as before, for what it may log)."""
    line = _DUMPS(record, allow_nan=False)
    if json.dumps is not _DUMPS and record.get('event') == 'result':
        try:
            theirs = _LOADS(json.dumps(record, allow_nan=False))
        except Exception:            # noqa: BLE001 - whatever the replacement raises
            theirs = None
        if theirs != _LOADS(line):
            line = _DUMPS({**_LOADS(line), 'serialisation': 'rewritten'}, allow_nan=False)
    return line


def hide_grader_packages():
    """Outside the sandbox the grader's own environment is visible: drop its editable-install
    finders, so `import vlearning` finds the student's package or nothing, never the reference."""
    sys.meta_path[:] = [f for f in sys.meta_path
                        if '__editable__' not in getattr(type(f), '__module__', '')]
    for name in list(sys.modules):
        if name.split('.')[0] in ('vlearning', 'autograder'):
            del sys.modules[name]


class Acks:
    """The parent's receipts. The worker waits for the receipt of each result before it runs
    more student code, so code that kills the parent cannot take earlier results with it
    (they would otherwise still sit unread in the pipe)."""

    def __init__(self, fd):
        self.fd, self.buffer = fd, b''

    def wait(self, task_id):
        wanted = task_id.encode() + b'\n'
        while True:
            line, newline, rest = self.buffer.partition(b'\n')
            if newline:
                self.buffer = rest
                if line + newline == wanted:
                    return
                continue
            chunk = os.read(self.fd, 4096)
            if not chunk:               # the parent is gone: nobody would hear another result
                os._exit(3)
            self.buffer += chunk


def worker():
    """Import the module and run the tasks; raw records go to a pipe to the parent."""
    request = json.loads(sys.stdin.read())
    channel = os.fdopen(open_argument(sys.argv[2], os.O_WRONLY), 'w', encoding='utf-8')
    acks = Acks(open_argument(sys.argv[3], os.O_RDONLY))

    def emit(record):
        channel.write(serialise(record) + '\n')
        channel.flush()
        if record['event'] == 'result':
            acks.wait(record['task'])

    workspace = request['workspace']
    encoding.WORKSPACE[:] = [os.path.realpath(workspace)]
    os.chdir(workspace)
    sys.path.insert(0, workspace)
    hide_grader_packages()
    on_alarm_installed(on_alarm)
    emit({'event': 'start', 'task': 'import'})
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    limit = request.get('import_seconds', 20)
    try:
        set_timer(limit)
        with redirect_stdout(out), redirect_stderr(err):
            module = Module(request['kind'], request['package'])
        set_timer(0)
    except (Exception, SystemExit, KeyboardInterrupt, ProbeTimeout) as error:
        set_timer(0)
        failure = ({'type': 'Timeout', 'message': f'importing the module did not finish within {limit} s'}
                   if isinstance(error, ProbeTimeout) else describe_error(error))
        emit({'event': 'result', 'task': 'import', 'ok': False, 'error': failure,
              'stdout': out.getvalue()[-MAX_TEXT:], 'stderr': err.getvalue()[-MAX_TEXT:]})
        return
    root_file = getattr(module.root, '__file__', None)
    emit({'event': 'result', 'task': 'import', 'ok': True, 'seconds': time.perf_counter() - started,
          'file': os.path.relpath(root_file, workspace) if root_file else None,
          'submodule_errors': getattr(module, 'submodule_errors', {}),
          'stdout': out.getvalue()[-MAX_TEXT:], 'stderr': err.getvalue()[-MAX_TEXT:]})
    resolve = Resolver(module, request.get('aliases', {}), request.get('attribute_aliases', {}),
                       request.get('layer_classes', []))

    for task in request['tasks']:
        emit({'event': 'start', 'task': task['id']})
        out, err = io.StringIO(), io.StringIO()
        random.seed(task.get('seed', 0))
        started = time.perf_counter()
        record = {'event': 'result', 'task': task['id']}
        seconds = task.get('seconds', 10)
        calls.NOTES.clear()
        try:
            set_timer(seconds)
            with redirect_stdout(out), redirect_stderr(err):
                record['value'] = TASKS[task['kind']](task, resolve, module)
            record['ok'] = True
        except ProbeTimeout:
            record.update(ok=False, error={'type': 'Timeout', 'message': f'did not finish within {seconds} s'})
        except (Exception, SystemExit, KeyboardInterrupt) as error:
            record.update(ok=False, error=describe_error(error))
        finally:
            set_timer(0)
        record['seconds'] = time.perf_counter() - started
        if calls.NOTES:
            record["notes"] = list(calls.NOTES.values())
        record['stdout'] = out.getvalue()[-MAX_TEXT:]
        record['stderr'] = err.getvalue()[-MAX_TEXT:]
        try:
            emit(record)
        except (TypeError, ValueError) as error:   # an unencodable value: say so instead
            emit({'event': 'result', 'task': task['id'], 'ok': False,
                  'error': {'type': 'Unreportable', 'message': str(error)[:500]}})

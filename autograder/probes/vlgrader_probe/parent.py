"""The parent: never imports student code; the only writer of the grader's channel."""
import json
import os
import sys
import time

from .boot import command
from .portable import Reader, child_argument, popen_passing

__all__ = ['Parent']


def _make_undumpable():
    """Keep same-uid processes (the worker running student code) from ptrace-ing this one
    or opening its /proc/<pid>/fd and /proc/<pid>/mem, where the token and channel live."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_DUMPABLE = 4
        return libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0
    except Exception:
        return False


class Parent:
    """Runs workers until every task has a result, a crash or a timeout recorded.

    The worker runs student code, so everything it sends is a claim. The parent forwards a
    task's result only while that task is the one running, and reports every break of the
    protocol (a line that does not parse, a start or result out of order, a second result
    for a task, a flood) as *tampering* with the task(s) concerned: the grader then fails
    their checks instead of trusting the first, possibly forged, result.
    """

    MAX_WORKERS = 8
    GRACE = 5.0

    def __init__(self, request, channel):
        self.request, self.channel = request, channel
        self.token = request['token']
        self.tasks = {t['id']: t for t in request['tasks']}
        self.pending = [t['id'] for t in request['tasks']]
        self.import_reported = False
        self.tampering = []
        self.notes = {}               # tampering notes sent per task (a flood of them is cut)
        self.last = 'import'          # the last task that reported (lines between tasks go there)

    def emit(self, record):
        record['token'] = self.token
        self.channel.write(json.dumps(record, allow_nan=False) + '\n')
        self.channel.flush()

    def tamper(self, task_ids, note):
        """Record a break of the protocol against the tasks it concerns."""
        note = note[:300]
        if len(self.tampering) < 200:
            self.tampering.append(note)
        for task_id in dict.fromkeys(t for t in task_ids if t is not None):
            if (task_id == 'import' or task_id in self.tasks) and self.notes.get(task_id, 0) < 20:
                self.notes[task_id] = self.notes.get(task_id, 0) + 1
                self.emit({'event': 'tampering', 'task': task_id, 'note': note})

    def run(self):
        self.emit({'event': 'hello', 'undumpable': _make_undumpable(), 'pid': os.getpid()})
        workers = 0
        while self.pending and workers < self.MAX_WORKERS:
            workers += 1
            if not self.run_worker():
                break
        for task_id in self.pending:
            self.emit({'event': 'result', 'task': task_id, 'ok': False,
                       'error': {'type': 'NotRun', 'message': 'not run: the module could not be '
                                 'imported or the probe process kept crashing'}})
        self.emit({'event': 'done', 'workers': workers, 'tampering': self.tampering[:20]})

    def run_worker(self):
        """One worker over the pending tasks; False when there is no point in another."""
        process, read_end, ack_write = self._start_worker()
        reader = Reader(read_end)
        import_seconds = self.request['import_seconds']
        state = {'current': 'import', 'started': False, 'seen_import': False, 'import_ok': False}
        deadline, buffer = time.monotonic() + import_seconds + self.GRACE, b''
        while True:
            chunk = reader.read(deadline - time.monotonic())
            if chunk is None:
                process.kill()
                current = state['current']
                self.fail(current, 'Timeout', 'no answer within the time limit; the process was stopped')
                if current == 'import':
                    process.wait()
                    os.close(read_end)
                    os.close(ack_write)
                    return False
                break
            if not chunk:
                break
            buffer += chunk
            if len(buffer) > 64 << 20:
                process.kill()
                self.tamper([state['current'] or self.last], 'the probe channel was flooded')
                break
            *lines, buffer = buffer.split(b'\n')
            for line in lines:
                event = self.accept(line, state)
                if event is not None:
                    deadline = self._advance(event, state, ack_write, deadline)
        os.close(ack_write)
        returncode = process.wait()
        os.close(read_end)
        return self._ended_worker(state, buffer, returncode)

    def _start_worker(self):
        """A worker process over the pending tasks: (process, its channel, the receipts' pipe)."""
        import subprocess
        read_end, write_end = os.pipe()
        ack_read, ack_write = os.pipe()
        request = dict(self.request, tasks=[self.tasks[t] for t in self.pending])
        request.pop('token')
        folder = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        process = subprocess.Popen(command(sys.executable, folder, '--worker', child_argument(write_end),
                                           child_argument(ack_read)),
                                   stdin=subprocess.PIPE, cwd=request['workspace'], **popen_passing((write_end, ack_read)))
        os.close(write_end)
        os.close(ack_read)
        try:
            process.stdin.write(json.dumps(request).encode())
            process.stdin.close()
        except BrokenPipeError:
            pass
        return process, read_end, ack_write

    def _advance(self, event, state, ack_write, deadline):
        """Follow an accepted start or result; returns the new deadline."""
        kind, task_id = event[:2]
        if kind == 'start':
            state['current'] = task_id
            limit = (self.request['import_seconds'] if task_id == 'import'
                     else self.tasks[task_id].get('seconds', 10))
            return time.monotonic() + limit + self.GRACE
        if kind == 'result':
            self._ack(ack_write, task_id)
            self.last = task_id
            state['current'] = None
            if task_id == 'import':
                state['seen_import'] = True
                state['import_ok'] = event[2]
                if not event[2]:        # the worker only has to exit now
                    return time.monotonic() + self.GRACE
            return time.monotonic() + 30
        return deadline

    def _ended_worker(self, state, buffer, returncode):
        """Record how a worker ended; False when another worker would fail the same way."""
        if buffer.strip():
            self.tamper([state['current'] or self.last], f'an unfinished line on the probe channel: {buffer[:80]!r}')
        current = state['current']
        if not state['seen_import']:
            self.fail('import', 'Crash', _ended(returncode) + ' while importing the module')
            return False
        if not state['import_ok']:
            return False
        if current is not None and current != 'import':
            self.fail(current, 'Crash', _ended(returncode) + ' during this probe')
        return True

    def accept(self, line, state):
        """Validate one worker line; forward genuine results, report anything else."""
        current = state['current']
        try:
            record = json.loads(line, parse_constant=_no_constant)   # the worker never sends NaN
            event, task_id = record['event'], record['task']
            if not isinstance(event, str) or not isinstance(task_id, str):
                raise TypeError('event and task must be strings')
        except (ValueError, KeyError, TypeError, IndexError):
            self.tamper([current or self.last], f'an unreadable line on the probe channel: {line[:80]!r}')
            return None
        if event == 'start':
            if task_id == 'import' and current == 'import' and not state['started']:
                state['started'] = True
                return event, task_id
            if current is None and self.pending and task_id == self.pending[0]:
                return event, task_id
            self.tamper([task_id, current], f'a start of {task_id!r} out of turn (while ' + (f'{current!r} was running)' if current else 'no probe was running)'))
            return None
        if event != 'result':
            self.tamper([task_id, current or self.last], f'an unknown {event!r} line for {task_id!r}')
            return None
        if task_id != current:
            done = (task_id == 'import' and state['seen_import']) or (
                task_id in self.tasks and task_id not in self.pending)
            note = (f'a second result for {task_id!r}' if done else
                    f'a result for {task_id!r} while ' + (f'{current!r} was running' if current else 'no probe was running'))
            self.tamper([task_id, current], note)
            return None
        if record.pop('serialisation', None) is not None:
            self.tamper([task_id], f'the result for {task_id!r} was rewritten by a replaced json.dumps')
        if not isinstance(record.get('ok'), bool):
            self.tamper([task_id], f"a result for {task_id!r} without a true/false 'ok'")
            record['ok'] = False
            record['error'] = {'type': 'Tampered', 'message': 'the record was malformed'}
        if task_id == 'import':
            if not self.import_reported:
                self.import_reported = True
                self.emit(record)
            return event, task_id, record['ok']
        self.pending.remove(task_id)
        self.emit(record)
        return event, task_id, record['ok']

    @staticmethod
    def _ack(fd, task_id):
        """The receipt the worker waits for; a worker that stopped reading is not our problem."""
        try:
            os.write(fd, task_id.encode() + b'\n')
        except OSError:
            pass

    def fail(self, task_id, kind, message):
        if task_id == 'import':
            if not self.import_reported:
                self.import_reported = True
                self.emit({'event': 'result', 'task': 'import', 'ok': False,
                           'error': {'type': kind, 'message': message}})
            return
        if task_id in self.pending:
            self.pending.remove(task_id)
            self.emit({'event': 'result', 'task': task_id, 'ok': False,
                       'error': {'type': kind, 'message': message}})


def _no_constant(name):
    raise ValueError(f'{name} is not JSON')


def _ended(returncode):
    if returncode is None:
        return 'the process did not end'
    if returncode < 0:
        names = {11: 'a segmentation fault (SIGSEGV)', 9: 'SIGKILL (a limit or the timeout)',
                 6: 'an abort (SIGABRT)', 24: 'the CPU-time limit (SIGXCPU)', 25: 'the file-size limit (SIGXFSZ)'}
        return f'the process was killed by {names.get(-returncode, f"signal {-returncode}")}'
    return f'the process exited with code {returncode}'

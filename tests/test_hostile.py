"""The hostile-submission corpus (tests/hostile/corpus.py), graded end to end in the sandbox.

For every case: the grader survives and writes a complete result (every check, none
missing); the expected checks lose their points with the expected reason and no other
check does; intake refuses the archive attacks; what the hostile code tried (reads,
writes, connections) failed; the grader's memory, the case's time and the machine's
responsiveness stay bounded; no process is left behind; and nothing outside the sandbox
changed: checksums of canaries planted where the code aims (another submission, a
gradebook, the full data file, the expected values, the grader's sources, /tmp), no file
escaped, no connection reached the host, no secret reached the results.

Runs in a few minutes on two cores. The whole module is the slow tier (`make test-fast`
leaves it out; CI runs it); the cases that run a notebook also carry '-slow' in their id.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import secrets
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

from autograder.grade import GradeOptions, grade
from autograder.sandbox.isolation import Isolation
from autograder.probes import request as probe_tasks
from autograder.sandbox import is_available, make_workspace
from autograder.sandbox.host import hand_over, work_root
from autograder.sandbox.watch import descendants
from autograder.registry import CHECK_IDS
from autograder.settings import load_settings

from helpers.hostile.corpus import CASES, HOSTILE_PROFILE, Builder, Targets, hostile_settings

ROOT = Path(__file__).resolve().parents[1]
SANDBOXED, WHY_NOT = is_available()
IMPORT_SECONDS = 10            # the probes' import limit for the corpus (the assignment's is 20)
CASE_SECONDS = 150             # no case may take longer (the slowest waits for a 20 s cell limit)
MAX_HEARTBEAT_GAP = 2.5        # seconds the grader's process may go without being scheduled
MAX_PEAK_GROWTH_MB = 600       # the grader's own memory during one case
MAX_OUT_MB = 64                # what one case leaves in its output folder

pytestmark = pytest.mark.slow      # the hostile corpus, graded end to end in the sandbox


def pytest_id(case) -> str:
    return case.name + ('-slow' if case.slow else '')


# --- the stage: canaries, listeners, zips ---------------------------------------------------------
def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def snapshot(roots: list[Path]) -> dict[str, tuple]:
    """path → (kind, mode, size, sha256) for every entry under `roots` (no bytecode caches)."""
    found = {}
    for root in roots:
        entries = [root] + (sorted(root.rglob('*')) if root.is_dir() else [])
        for path in entries:
            if '__pycache__' in path.parts:
                continue
            info = path.lstat()
            kind = 'link' if path.is_symlink() else 'dir' if path.is_dir() else 'file' if path.is_file() else 'other'
            found[str(path)] = (kind, info.st_mode, info.st_size if kind == 'file' else 0,
                                _sha(path) if kind == 'file' else '')
    return found


class Stage:
    """Canaries where the hostile code aims, listeners it tries to reach, and the zips."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.secret = 'CANARY-' + secrets.token_hex(12)
        self.settings = load_settings('eindopdracht-v2324.2')
        canary = Path(tempfile.mkdtemp(prefix='hostile-canary-', dir='/tmp'))
        canary.chmod(0o777)                 # visible would mean writable: only the sandbox keeps it out
        self.other = make_workspace(prefix='ws-other-submission-')   # next to the sandbox workspaces
        (self.other / 'model.py').write_text(f'# another student\'s work {self.secret}\n')
        hand_over(self.other)
        gradebook = canary / 'gradebook.csv'
        gradebook.write_text(f'student,grade\nsomeone,9.5\n# {self.secret}\n')
        gradebook.chmod(0o666)
        from vlearning.data.standin import ensure_standin
        data_copy = canary / 'EMNIST_mini-full.dat'
        shutil.copyfile(ensure_standin(), data_copy)
        data_copy.chmod(0o666)
        self.tcp = socket.socket()
        self.tcp.bind(('127.0.0.1', 0))
        self.tcp.listen(8)
        self.tcp.setblocking(False)
        self.unix = socket.socket(socket.AF_UNIX)
        unix_path = canary / 'grader.sock'
        self.unix.bind(str(unix_path))
        unix_path.chmod(0o777)
        self.unix.listen(8)
        self.unix.setblocking(False)
        self.targets = Targets(canary_root=canary, other_submission=self.other, gradebook=gradebook,
                               data_copy=data_copy, expected=self.settings.expected_file, repo=ROOT,
                               tcp_port=self.tcp.getsockname()[1], unix_socket=unix_path,
                               escape_name=f'hostile-escape-{secrets.token_hex(6)}')
        # the repository is a shared working tree (people edit it while this runs): watched are
        # the files the hostile code aims at, and the whole tree for files the sandbox user owns
        self.watched = [canary, self.other, self.settings.expected_file, self.settings.master_path,
                        self.targets.grader_source]
        self.before = snapshot(self.watched)
        builder = Builder(self.settings, self.targets)
        (folder / 'zips').mkdir()
        self.zips = {}
        for case in CASES:
            path = folder / 'zips' / f'{case.name}.zip'
            path.write_bytes(case.build(builder))
            self.zips[case.name] = path
        self.isolation = Isolation()

    def escaped(self) -> list[str]:
        """Host files that carry the escape name: hostile code made them outside its sandbox."""
        name = self.targets.escape_name
        places = [Path('/tmp'), work_root(), self.targets.canary_root, self.folder.parent, ROOT,
                  ROOT / 'autograder', self.other]
        found = [p for place in places if place.is_dir() for p in place.iterdir() if name in p.name]
        found += self.folder.rglob(f'*{name}*')        # the graded outputs and their workspaces
        return sorted(map(str, found))

    def owned_by_the_sandbox(self) -> list[str]:
        """Files in the grader's sources that the sandbox user created or owns."""
        from autograder.sandbox.host import host
        uid = host().uid
        if uid is None:
            return []
        return [str(p) for folder in (ROOT / 'autograder', ROOT / 'assignments', ROOT / 'reference')
                for p in folder.rglob('*') if p.lstat().st_uid == uid]

    def connections(self) -> list[str]:
        reached = []
        for listener in (self.tcp, self.unix):
            try:
                connection, _ = listener.accept()
                connection.close()
                reached.append(str(listener.getsockname()))
            except BlockingIOError:
                pass
        return reached

    def close(self) -> None:
        self.tcp.close()
        self.unix.close()
        shutil.rmtree(self.targets.canary_root, ignore_errors=True)
        shutil.rmtree(self.other, ignore_errors=True)


@pytest.fixture(scope='module')
def stage(tmp_path_factory):
    real = probe_tasks.build_tasks

    def shorter_import(settings, *args):
        request = real(settings, *args)
        request['import_seconds'] = IMPORT_SECONDS
        return request

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr('autograder.grade.build_tasks', shorter_import)
        stage = Stage(tmp_path_factory.mktemp('hostile'))
        yield stage
        stage.close()


# --- watching the machine ---------------------------------------------------------------------------
class Heartbeat:
    """How late a thread of the grader's process wakes up: a frozen machine shows here."""

    def __init__(self, every: float = 0.05):
        self.every, self.worst, self._stop = every, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            start = time.monotonic()
            time.sleep(self.every)
            self.worst = max(self.worst, time.monotonic() - start - self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _status(field: str) -> int:
    """A VmHWM / VmRSS line of this process, in MiB."""
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith(field + ':'):
            return int(line.split()[1]) // 1024
    return 0


def _reset_peak() -> None:
    try:
        Path('/proc/self/clear_refs').write_text('5')     # resets VmHWM to the current RSS
    except OSError:
        pass


def _no_children(timeout: float = 10.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := descendants(os.getpid())) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _folder_bytes(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob('*') if p.is_file() and not p.is_symlink())


# --- what the hostile code said it tried ---------------------------------------------------------------
REPORT_LINE = re.compile(r'HOSTILE (read|write|escape|net) ([\w.-]+): (\w+)')


def hostile_reports(out: Path) -> dict[tuple[str, str], str]:
    text = (out / 'grading.json').read_text()
    if (out / 'executed.ipynb').is_file():
        text += (out / 'executed.ipynb').read_text()
    return {(kind, name): result for kind, name, result in REPORT_LINE.findall(text)}


def expected_reports(case, targets: Targets) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for kind in case.reports:
        if kind == 'read' and case.name == 'kill-probe-parent':
            names['read'] = {f'parent-fd-{fd}' for fd in range(3, 12)}
        elif kind == 'read':
            names['read'] = set(targets.must_not_read()) | (
                {'parent-environ', 'parent-memory', 'parent-fds'} if case.mode == 'check' else set())
        elif kind == 'write':
            names['write'] = set(targets.must_not_write()) | {'via-link'}
            names['escape'] = set(targets.escapes())
        elif kind == 'net':
            names['net'] = {'internet-tcp', 'metadata-service', 'host-loopback', 'dns', 'internet-udp',
                            'host-unix-socket'}
    return names


def _phrases(expected) -> list[list[str]]:
    """'a|b' → either; a tuple → all of them."""
    return [p.split('|') for p in ((expected,) if isinstance(expected, str) else expected)]


# --- the corpus -------------------------------------------------------------------------------------
def test_the_corpus_covers_the_issue():
    names = {case.name for case in CASES}
    assert len(CASES) - 1 >= 25            # the reference is a baseline, not an attack
    for required in ('import-infinite-loop', 'cell-infinite-loop', 'import-memory-bomb', 'cell-memory-bomb',
                     'import-fork-bomb', 'cell-fork-bomb', 'import-disk-filler', 'import-stdout-flood',
                     'cell-stdout-flood', 'network', 'read-secrets', 'write-outside', 'import-os-exit',
                     'import-segfault', 'cell-os-exit', 'cell-segfault', 'module-sys-exit',
                     'forge-by-monkeypatching', 'forge-grader-report', 'print-fake-result-line',
                     'locked-cell-edit', 'zip-bomb', 'zip-slip', 'absolute-path', 'symlink-member',
                     'invalid-notebook-json', 'nbformat-3', 'non-utf8-files', 'ten-thousand-empty-cells',
                     'module-named-differently', 'circular-import', 'cell-ignores-signals', 'all-markdown',
                     'module-8mb-line', 'module-50mb-comments', 'formula-user-names', 'numpy-under-main-guard'):
        assert required in names, required
    for case in CASES:
        assert case.mode in ('check', 'grade') and set(case.fails) <= set(CHECK_IDS), case.name
        assert not (case.rejected and case.fails), case.name


@pytest.mark.parametrize('case', CASES, ids=pytest_id)
def test_hostile_submission(stage, case):
    if not SANDBOXED and not case.rejected:
        pytest.skip(f'hostile code runs only in the sandbox, and there is none here: {WHY_NOT}')
    settings = hostile_settings(stage.settings, **case.profile)
    out = stage.folder / 'graded' / case.name
    assert not _no_children(0), 'processes were left from before'
    _reset_peak()
    rss_before = _status('VmRSS')
    started = time.monotonic()
    with Heartbeat() as heartbeat:
        document = grade(stage.zips[case.name], settings, out,
                         GradeOptions(profile=HOSTILE_PROFILE, mode=case.mode, progress=False,
                                      isolation=stage.isolation, data_file=stage.targets.data_copy))
    seconds = time.monotonic() - started
    peak = _status('VmHWM')

    # the grader survived and wrote a complete result
    assert json.loads((out / 'grading.json').read_text())['checks'] == document['checks']
    checks = {c['id']: c for c in document['checks']}
    assert list(checks) == list(CHECK_IDS)
    assert document['score']['points'] <= document['score']['max_points']

    # the outcome
    if case.rejected:
        assert case.rejected in document['submission']['rejected']
        assert all(c['status'] == 'error' and case.rejected in c['message'] for c in checks.values())
    else:
        for check_id, expected in case.fails.items():
            check = checks[check_id]
            assert check['points'] < check['max_points'] and check['status'] != 'pass', (check_id, check)
            for alternatives in _phrases(expected):
                assert any(a in check['message'] for a in alternatives), (check_id, alternatives, check['message'])
        for check_id, check in checks.items():
            if check_id in case.fails or check_id in case.may_fail:
                continue
            allowed = ('pass', 'skipped') if case.mode == 'check' else ('pass',)
            assert check['status'] in allowed, (check_id, check['message'])
            if case.mode == 'check' and check_id in ('notebook.runs',) + tuple(c for c in CHECK_IDS if c.startswith('partb')):
                assert check['status'] == 'skipped'
        for check_id, phrase in case.says.items():
            assert phrase in checks[check_id]['message'], (check_id, checks[check_id]['message'])
        # "tampered" only where the case breaks a protocol (and says so in its expected phrase)
        protocol = {check_id for check_id, expected in case.fails.items() if 'tampered' in str(expected)}
        for check_id, check in checks.items():
            assert check_id in protocol or 'tampered' not in check['message'].lower(), (check_id, check['message'])
        if case.expect is not None:
            case.expect(document, out)

    # what the hostile code tried failed
    reports = hostile_reports(out)
    for kind, names in expected_reports(case, stage.targets).items():
        seen = {name: result for (k, name), result in reports.items() if k == kind}
        assert names <= set(seen), (kind, names - set(seen))
        if kind != 'escape':      # an escape writes to the sandbox's own /tmp: checked on the host below
            assert all(result == 'BLOCKED' for result in seen.values()), (kind, seen)

    # nothing outside the sandbox changed, nothing escaped, nothing leaked
    assert snapshot(stage.watched) == stage.before
    assert stage.escaped() == []
    assert stage.owned_by_the_sandbox() == []
    assert stage.connections() == []
    for path in out.rglob('*'):
        if path.is_file() and not path.is_symlink():
            assert stage.secret.encode() not in path.read_bytes(), path

    # bounded: time, the grader's memory, its output, the machine's responsiveness, no leftovers
    assert seconds < CASE_SECONDS, seconds
    assert peak - rss_before < MAX_PEAK_GROWTH_MB, (rss_before, peak)
    assert _folder_bytes(out) < MAX_OUT_MB << 20
    assert heartbeat.worst < MAX_HEARTBEAT_GAP, heartbeat.worst
    assert _no_children() == []
    record = {'case': case.name, 'seconds': round(seconds, 1), 'heartbeat_gap': round(heartbeat.worst, 3),
              'grader_peak_mb': peak, 'grader_rss_before_mb': rss_before,
              'points': document['score']['points'], 'max_rss_ever_mb': resource.getrusage(
                  resource.RUSAGE_SELF).ru_maxrss // 1024}
    with open(stage.folder / 'measurements.jsonl', 'a') as handle:
        handle.write(json.dumps(record) + '\n')

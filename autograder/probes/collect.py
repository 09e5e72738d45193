"""Run the probe runner as a separate (sandboxed) process and collect its validated records.

The runner's result channel is a private pipe; its lines must carry the run's token and be
well-formed, or they are discarded and reported. Anything the student's code prints goes
to stdout/stderr, which are kept (truncated) for the report, never parsed.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import _
from ..sandbox import Limits, run
from ..sandbox.host import hand_over, work_root
from .vlgrader_probe.boot import command

__all__ = ['ProbeRun', 'run_probes', 'RUNNER', 'private_runner']

RUNNER = Path(__file__).with_name('vlgrader_probe')       # the runner package, copied into the sandbox


@dataclass
class ProbeRun:
    """What came back: one record per task id (plus 'import'), and how the process ended."""
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    finished: bool = False                 # the runner reported 'done'
    returncode: int | None = None
    timed_out: bool = False
    seconds: float = 0.0
    stdout: str = ''
    stderr: str = ''
    problems: list[str] = field(default_factory=list)   # discarded lines, tampering notes
    tampered: dict[str, list[str]] = field(default_factory=dict)   # task id ('*': all) → notes
    inconsistent: dict[str, list[str]] = field(default_factory=dict)   # task id → values that contradict
    # each other (a bug, not tampering: the check judges the values and names it)
    sandboxed: bool = False
    sandbox_note: str = ''                 # why it ended abnormally / the unsandboxed warning

    def result(self, task_id: str) -> dict[str, Any] | None:
        return self.records.get(task_id)

    def tamper(self, task_id: str, note: str) -> None:
        notes = self.tampered.setdefault(task_id, [])
        if note not in notes and len(notes) < 20:
            notes.append(note)

    def inconsistency(self, task_id: str, note: str) -> None:
        notes = self.inconsistent.setdefault(task_id, [])
        if note not in notes and len(notes) < 20:
            notes.append(note)

    @property
    def ended_early(self) -> str:
        """Why the runner never said 'done' (for probes that never reported); '' if it did."""
        if self.finished:
            return ''
        if self.timed_out:
            return _('the probe process was stopped at its time limit')
        why = self.sandbox_note or (_('exit code {code}').format(code=self.returncode) if self.returncode else '')
        return (_('the probe process ended before it reported ({why})').format(why=why) if why else
                _('the probe process ended before it reported'))


def parse_channel(data: bytes, token: str, run: ProbeRun) -> None:
    """Read the runner's channel. Only the trusted parent writes there, with the run's token:
    a line without it, or a second result for a task, means something else got hold of the
    channel, and nothing on it can be trusted ('*'). An unfinished last line is what a
    process killed while writing leaves behind."""
    *lines, last = data.split(b'\n')
    if last.strip():
        run.problems.append(f'the probe process was stopped while writing: {last[:100]!r}')
    for line in lines:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            valid = (isinstance(record, dict) and record.get('token') == token
                     and isinstance(record.get('event'), str))
        except ValueError:
            valid = False
        if not valid:
            run.problems.append(f'discarded a line without the run token: {line[:100]!r}')
            run.tamper('*', _("a line without the run's token on the result channel"))
            continue
        event, task = record['event'], record.get('task')
        if event == 'result':
            if not isinstance(task, str) or task in run.records:
                run.problems.append(f'discarded a second result for {task!r}')
                run.tamper('*', _('a second result for {task} on the result channel').format(task=repr(task)))
                continue
            run.records[task] = record
        elif event == 'tampering' and isinstance(task, str):
            note = str(record.get('note', ''))[:300]
            run.tamper(task, note)
            run.problems.append(f'probe process: {task}: {note}')
        elif event == 'done':
            run.finished = True


def private_runner() -> Path:
    """A copy of the runner package in a folder the sandbox user can read but not change;
    returns that folder (the one to put on the runner's path)."""
    folder = Path(tempfile.mkdtemp(prefix='runner-', dir=work_root()))
    folder.chmod(0o755)
    target = folder / RUNNER.name
    target.mkdir(mode=0o755)
    for source in RUNNER.glob('*.py'):
        shutil.copyfile(source, target / source.name)
        (target / source.name).chmod(0o644)
    return folder


def run_probes(workspace: Path, module_kind: str, package_name: str, request: dict[str, Any], *,
               limits: Limits | None = None, sandbox: bool | None = None) -> ProbeRun:
    """Run every task of `request` against the module in `workspace` (a sandbox workspace)."""
    request = dict(request, workspace=str(workspace), kind=module_kind, package=package_name)
    runner = private_runner()
    hand_over(workspace)
    try:
        result = run(command('python', runner, '{result_fd}'), workspace=workspace,
                     limits=limits or Limits(wall_seconds=300, cpu_seconds=300), readonly=[runner],
                     stdin=json.dumps(request).encode(), result_channel=True, sandbox=sandbox,
                     env={'PYTHONDONTWRITEBYTECODE': '1', 'PYTHONHASHSEED': '0', 'MPLBACKEND': 'Agg'})
    finally:
        shutil.rmtree(runner, ignore_errors=True)
    probe = ProbeRun(returncode=result.returncode, timed_out=result.timed_out, seconds=result.wall_seconds,
                     stdout=result.stdout.text()[-20000:], stderr=result.stderr.text()[-20000:],
                     sandboxed=result.sandboxed, sandbox_note=result.reason or result.warning or '')
    if result.channel is not None:
        parse_channel(result.channel.tail, request['token'], probe)
        if result.channel.truncated:
            probe.problems.append('the result channel carried more data than any genuine run')
            probe.tamper('*', _('the result channel carried more data than any genuine run'))
    return probe

"""Run a notebook top to bottom in a fresh kernel, one cell at a time, and record it all.

nbclient drives the kernel; this module adds what grading needs on top: a whole-run time
limit next to the per-cell one, per-cell start/end times from the grader's own clock and the
CPU time of the kernel's process tree at both (read from /proc by the grader, not the kernel),
errors kept as outputs while execution continues, a dead kernel recorded with the cell it
died in (and why: a limit, a crash), output bounded per cell (the sandbox's client keeps
the tail) so that a cell printing a gigabyte cannot exhaust the grader, grader cells run in the same kernel at given places,
and a progress bar (cell i of n, elapsed).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from tqdm import tqdm

from . import LAUNCHER
from .client import BoundedNotebookClient
from .cells import is_self_check
from ..sandbox.watch import tree_usage

__all__ = ['CellRun', 'NotebookRun', 'GraderCell', 'run_notebook', 'parameters_cell', 'sandboxed_kernel']


@dataclass
class CellRun:
    index: int
    status: str                  # ok | error | timeout | kernel-died | not-run | skipped
    start: float | None = None   # seconds since the run started (grader clock)
    end: float | None = None
    seconds: float | None = None
    error: dict[str, Any] | None = None
    source: str = ''             # the first lines, for the report
    truncated_chars: int = 0     # output bytes left out (beyond the per-cell limit)
    limit: str | None = None     # the time limit that ended it: 'cell' or 'run'
    limit_seconds: float | None = None
    killed: bool = False         # it ignored the interrupt at the limit: its kernel was killed
    cpu_start: float | None = None   # CPU seconds of the kernel's process tree so far, at start
    cpu_end: float | None = None     # ... and at the end (None: not measurable here)


@dataclass
class GraderCell:
    """Code the grader runs in the student's kernel right after cell `after` (−1: at the end)."""
    name: str
    source: str
    after: int = -1
    timeout: float = 300.0


@dataclass
class NotebookRun:
    cells: list[CellRun] = field(default_factory=list)
    grader: dict[str, dict[str, Any]] = field(default_factory=dict)   # name → {'outputs', 'status', ...}
    kernel_died_in: int | None = None
    timed_out: bool = False
    seconds: float = 0.0
    startup_seconds: float = 0.0
    error: str | None = None     # the run could not start (kernel did not come up, ...)
    kernel_exit: str | None = None   # why the kernel ended, when it did not end normally
    sandboxed: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def sandboxed_kernel(isolation, workspace: Path, limits) -> Any:
    """A kernel manager for the student's notebook: ipykernel started by path (LAUNCHER) in the
    sandbox of `isolation` (autograder.sandbox.isolation.Isolation), within `limits`."""
    from ..sandbox import SandboxedKernelManager
    return SandboxedKernelManager(workspace=workspace, limits=limits, readonly=[LAUNCHER], sandbox=isolation.sandbox,
                                  kernel_argv=['python', str(LAUNCHER), '-f', '{connection_file}'])


def _error_of(cell) -> dict[str, Any] | None:
    for output in cell.get('outputs', []):
        if output.get('output_type') == 'error':
            return {'ename': output.get('ename', ''), 'evalue': output.get('evalue', '')[:2000],
                    'traceback': [line[:2000] for line in output.get('traceback', [])[-30:]]}
    return None


def parameters_cell(nb, parameters: dict[str, Any], label: str) -> GraderCell | None:
    """Code assigning `parameters`, run right after the first cell tagged 'parameters'
    (papermill's convention) as a grader cell: the student's notebook and its cell numbers
    stay as handed in. None when no cell has the tag."""
    for index, cell in enumerate(nb.cells):
        if 'parameters' in cell.get('metadata', {}).get('tags', []):
            lines = [f'# Parameters injected by the autograder ({label})']
            lines += [f'{name} = {value!r}' for name, value in parameters.items()]
            return GraderCell('parameters', '\n'.join(lines), after=index, timeout=30.0)
    return None


def run_notebook(nb, workspace: Path, *, km_factory: Callable[[], Any] | None = None,
                 cell_timeout: float, run_timeout: float, grader_cells: list[GraderCell] = (),
                 progress: bool = True, output_bytes: int = 1 << 20,
                 startup_timeout: float = 60.0) -> NotebookRun:
    """Execute `nb` (modified in place: outputs and timing) with `workspace` as working dir."""
    run = NotebookRun()
    started = time.monotonic()
    deadline = started + run_timeout
    km = km_factory() if km_factory else None
    client = BoundedNotebookClient(
        nb, km=km, timeout=int(cell_timeout), allow_errors=True, record_timing=True,
        interrupt_on_timeout=True, startup_timeout=int(startup_timeout), kernel_name='python3',
        resources={'metadata': {'path': str(workspace)}}, output_bytes=output_bytes)
    client.timeout_func = lambda cell: max(1, int(min(cell_timeout, deadline - time.monotonic())))
    by_position: dict[int, list[GraderCell]] = {}
    for grader_cell in grader_cells:
        by_position.setdefault(grader_cell.after if grader_cell.after >= 0 else len(nb.cells) - 1,
                               []).append(grader_cell)
    code_cells = sum(1 for c in nb.cells if c.cell_type == 'code')

    def run_grader_cells(index: int, *, at_end: bool = False) -> None:
        for grader_cell in by_position.get(index, []):
            if grader_cell.name in run.grader or run.kernel_died_in is not None or (at_end and run.timed_out):
                continue
            run.grader[grader_cell.name] = _run_grader_cell(client, grader_cell)

    bar = tqdm(total=code_cells, desc='notebook', unit='cell', disable=not progress, leave=False)
    try:
        with client.setup_kernel():
            run.startup_seconds = time.monotonic() - started
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != 'code':
                    continue
                record = CellRun(index, 'not-run', source=_first_lines(cell.source))
                run.cells.append(record)
                if run.kernel_died_in is not None or run.timed_out:
                    continue
                if time.monotonic() >= deadline:
                    run.timed_out = True
                    continue
                if not cell.source.strip() or is_self_check(cell.source):     # nothing to run, or the
                    record.status = 'skipped'                                    # student's self-check
                    bar.update()
                    run_grader_cells(index)
                    continue
                bar.set_postfix_str(f'cell {index}')
                _execute(client, cell, index, record, run, started, deadline)
                bar.update()
                run_grader_cells(index)
            run_grader_cells(len(nb.cells) - 1, at_end=True)     # also after a last markdown cell
    except Exception as error:         # the kernel never came up, or died between cells
        run.error = f'{type(error).__name__}: {error}'[:2000]
    finally:
        bar.close()
        if km is not None:
            _close(km, run)
    run.seconds = time.monotonic() - started
    return run


def _first_lines(source: str, lines: int = 6, width: int = 300) -> str:
    """The start of a cell for the report, bounded however long its lines are."""
    return '\n'.join(line[:width] for line in source[:lines * (width + 1) * 4].splitlines()[:lines])


def _execute(client: BoundedNotebookClient, cell, index: int, record: CellRun, run: NotebookRun,
             started: float, deadline: float) -> None:
    """Run one code cell, timing it on the grader's clock and recording how it ended."""
    limit = client.timeout_func(cell)
    run_limited = deadline - time.monotonic() < client.timeout + 1     # the run's limit comes first
    record.cpu_start = kernel_cpu(client.km)
    record.start = time.monotonic() - started
    try:
        client.execute_cell(cell, index)
        record.status = 'ok'
    except CellTimeoutError:
        record.status = 'timeout'
    except DeadKernelError:
        record.status = 'kernel-died'
        run.kernel_died_in = index
    record.end = time.monotonic() - started
    record.cpu_end = kernel_cpu(client.km)
    record.seconds = record.end - record.start
    record.truncated_chars = client.cut_bytes.get(index, 0)
    record.error = _error_of(cell)
    if record.status == 'ok' and record.error:
        # nbclient interrupts a cell at its time limit: a KeyboardInterrupt then
        interrupted = record.error['ename'] == 'KeyboardInterrupt' and record.seconds >= limit - 0.5
        record.status = 'timeout' if interrupted else 'error'
    if client.stopped == 'killed':         # it ignored the interrupt: the kernel is gone
        record.status, record.killed = 'timeout', True
        run.kernel_died_in = index
    if record.status == 'timeout':
        record.limit, record.limit_seconds = ('run' if run_limited else 'cell'), float(limit)
    if record.status == 'timeout' and time.monotonic() >= deadline - 1:
        run.timed_out = True


def kernel_cpu(km) -> float | None:
    """CPU seconds (user + system, with reaped children) of the kernel's process tree: the
    sandbox's bwrap and all below it, or a plain kernel's process. None on other systems."""
    watchdog = getattr(km, 'watchdog', None)
    pid = getattr(watchdog, 'pid', None) or getattr(getattr(getattr(km, 'provisioner', None), 'process', None),
                                                    'pid', None)
    if pid is None:
        return None
    try:
        with open(f'/proc/{pid}/stat'):
            pass
    except OSError:
        return None
    return tree_usage(pid)[1]


def _close(km, run: NotebookRun) -> None:
    """Why the kernel ended, and shut down a manager we were given (it is ours)."""
    run.kernel_exit = getattr(km, 'exit_reason', None)
    run.sandboxed = getattr(km, 'sandboxed', None)
    close = getattr(km, 'close', None)
    if close is not None:
        try:
            close()
        except Exception:
            pass


def _run_grader_cell(client: BoundedNotebookClient, grader_cell: GraderCell) -> dict[str, Any]:
    """Run grader code in the kernel without adding it to the student's notebook."""
    cell = nbformat.v4.new_code_cell(grader_cell.source)
    saved_cells = client.nb.cells
    client.nb.cells = list(saved_cells) + [cell]
    saved_timeout = client.timeout_func
    client.timeout_func = lambda c: int(grader_cell.timeout)
    start = time.monotonic()
    try:
        client.execute_cell(cell, len(client.nb.cells) - 1, store_history=False)
        status = 'ok'
    except CellTimeoutError:
        status = 'timeout'
    except DeadKernelError:
        status = 'kernel-died'
    finally:
        client.nb.cells = saved_cells
        client.timeout_func = saved_timeout
    error = _error_of(cell)
    return {'status': 'error' if status == 'ok' and error else status, 'error': error,
            'seconds': time.monotonic() - start, 'outputs': [dict(o) for o in cell.outputs]}

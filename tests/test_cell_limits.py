"""Time limits that hold (issue 21, item 2): a cell that ignores SIGINT and SIGTERM is ended
a few seconds after its limit (its kernel's process tree is killed) instead of at the
kernel's wall clock; the report names the limit. And `notebook.runs` fails when no code cell
ran or the locked cells are gone (item 8)."""
from __future__ import annotations

import shutil
import time

import nbformat
import pytest

from autograder.checks import notebook_runs
from autograder.checks.context import Context
from autograder.checks.locked_cells import Locked
from autograder.notebook.execution import run_notebook, sandboxed_kernel
from autograder.sandbox import Limits, is_available, make_workspace
from autograder.sandbox.isolation import Isolation
from autograder.settings import load_settings

AVAILABLE, WHY_NOT = is_available()
SETTINGS = load_settings('eindopdracht-v2324.2')
DEAF = ('import signal, time\n'
        'signal.signal(signal.SIGINT, signal.SIG_IGN)\n'
        'signal.signal(signal.SIGTERM, signal.SIG_IGN)\n'
        'time.sleep(600)\n')
GRACE_BOUND = 30          # the bound: ended within the limit + 30 s


def notebook(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


@pytest.fixture
def run_in_sandbox():
    made = []

    def run(nb, **limits):
        workspace = make_workspace()
        made.append(workspace)
        kernel_limits = Limits(memory_mb=1024, cpu_seconds=600, wall_seconds=600)
        started = time.monotonic()
        result = run_notebook(nb, workspace, km_factory=lambda: sandboxed_kernel(Isolation(), workspace, kernel_limits),
                              progress=False, **limits)
        return result, time.monotonic() - started

    yield run
    for workspace in made:
        shutil.rmtree(workspace, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.skipif(not AVAILABLE, reason=f'no sandbox here: {WHY_NOT}')
def test_a_cell_that_ignores_signals_is_killed_soon_after_the_cell_limit(run_in_sandbox):
    run, seconds = run_in_sandbox(notebook('x = 1', DEAF, 'y = 2'), cell_timeout=3, run_timeout=120)
    first, deaf, after = run.cells
    assert first.status == 'ok' and after.status == 'not-run'
    assert (deaf.status, deaf.limit, deaf.limit_seconds, deaf.killed) == ('timeout', 'cell', 3.0, True)
    assert 3 <= deaf.seconds < 3 + GRACE_BOUND and seconds < 3 + GRACE_BOUND + 20   # + the kernel's start
    assert run.kernel_died_in == 1 and 'ignored the interrupt' in run.kernel_exit
    check = _judge(run.to_dict())
    assert check.status == 'fail' and check.message == (
        'Not every cell ran cleanly: cell 1 was stopped at its time limit after '
        f'{deaf.seconds:.0f} s (the cell time limit is 3 s) and, as it ignored the interrupt, its kernel was '
        'stopped; 1 cell(s) from cell 2 on were not run: the kernel was stopped at the time limit.')


@pytest.mark.slow
@pytest.mark.skipif(not AVAILABLE, reason=f'no sandbox here: {WHY_NOT}')
def test_the_run_limit_holds_for_a_cell_that_ignores_signals(run_in_sandbox):
    run, seconds = run_in_sandbox(notebook('x = 1', DEAF, 'y = 2'), cell_timeout=60, run_timeout=8)
    deaf = run.cells[1]
    assert (deaf.status, deaf.limit, deaf.killed) == ('timeout', 'run', True) and run.timed_out
    assert seconds < 8 + GRACE_BOUND
    assert 'at the time limit of the whole run' in _judge(run.to_dict()).message


@pytest.mark.slow
@pytest.mark.skipif(not AVAILABLE, reason=f'no sandbox here: {WHY_NOT}')
def test_a_cell_that_answers_the_interrupt_keeps_its_kernel(run_in_sandbox):
    run, _seconds = run_in_sandbox(notebook('import time\ntime.sleep(600)', 'y = 2'), cell_timeout=3, run_timeout=120)
    sleeper, after = run.cells
    assert (sleeper.status, sleeper.limit, sleeper.killed) == ('timeout', 'cell', False)
    assert after.status == 'ok' and run.kernel_died_in is None


# --- notebook.runs, judged from a run --------------------------------------------------------------
def _judge(execution, locked: Locked | None = None):
    ctx = Context(SETTINGS, SETTINGS.profile('quick'),
                  locked=locked or Locked((0, 1), [], {'locked_cells': [0, 1], 'expected': 2}))
    ctx.part_b.execution = execution
    return notebook_runs.judge(ctx)


def _cell(index, status='ok', **more):
    return {'index': index, 'status': status, 'seconds': 0.1, 'error': None, **more}


def test_a_notebook_whose_code_cells_are_all_gone_does_not_pass():
    check = _judge({'cells': [], 'seconds': 0.5})
    assert check.status == 'fail' and check.message == (
        'Not every cell ran cleanly: no code cell ran: the notebook has no code to run.')


def test_missing_locked_cells_mean_the_graded_part_did_not_run():
    check = _judge({'cells': [_cell(0), _cell(1)], 'seconds': 3.0},
                   Locked(None, ['locked cell 1 is missing'], {'locked_cells': [], 'expected': 2}))
    assert check.status == 'fail' and 'the locked cells of the graded run are not among its code cells' in check.message


def test_a_clean_run_still_passes():
    check = _judge({'cells': [_cell(0), _cell(1), _cell(2, 'skipped')], 'seconds': 60.0})
    assert check.status == 'pass' and check.message == 'All 2 code cells ran without errors in 1.0 minutes.'


def test_the_report_names_the_limit_a_cell_hit():
    from autograder.report.views import _timeout_title
    assert _timeout_title(_cell(3, 'timeout', limit='cell', limit_seconds=600.0, killed=True)) == (
        'stopped at the cell time limit (600 s) (it ignored the interrupt: the kernel was stopped)')
    assert _timeout_title(_cell(3, 'timeout', limit='run', limit_seconds=42.0)) == (
        'stopped at the time limit of the whole run')
    assert _timeout_title(_cell(3, 'timeout')) == 'stopped at its time limit'      # results from before

"""What the sandbox costs per submission: bwrap start + teardown, and a kernel's start.

Compares, with the same interpreter (the sandbox runtime when installed):
  process   `python -c pass` as a bare subprocess, through run() without and with the sandbox
  true      `/bin/true` bare vs sandboxed: the sandbox's own cost, without Python's start
  kernel    an ipykernel started, one cell (numpy, matplotlib) run, shut down: plain jupyter_client,
            SandboxedKernelManager without and with the sandbox
Prints JSON (seconds, median of the repetitions); target: sandbox overhead < 0.5 s.
Needs the project's venv (nbclient, jupyter_client):  .venv/bin/python bench/sandbox_overhead.py
"""
import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nbformat  # noqa: E402
from jupyter_client.manager import AsyncKernelManager  # noqa: E402
from jupyter_core.utils import run_sync  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from autograder.sandbox import (Limits, SandboxedKernelManager, UnsandboxedWarning, is_available,  # noqa: E402
                                make_workspace, run, sandbox_python)
from autograder.sandbox.host import host  # noqa: E402

PROCESS_RUNS = 20
KERNEL_RUNS = 5
LIMITS = Limits(wall_seconds=120)
CELL = 'import numpy, matplotlib.pyplot\nprint(6 * 7)'  # what a course notebook imports


def timed(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 4)


def bare(argv, workspace):
    subprocess.run(argv, cwd=workspace, check=True, capture_output=True)


def through_run(argv, workspace, sandbox):
    result = run(argv, workspace=workspace, limits=LIMITS, sandbox=sandbox)
    assert result.ok, result


def plain_kernel(workspace):
    km = AsyncKernelManager(kernel_name='python3')
    run_sync(km.start_kernel)(cwd=str(workspace), stderr=subprocess.DEVNULL)  # quiet: TCP warning
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CELL)]
    try:
        NotebookClient(nb, km=km, timeout=60).execute()
    finally:
        run_sync(km.shutdown_kernel)(now=True)
    assert nb.cells[0].outputs[0]['text'] == '42\n'


def sandbox_kernel(workspace, sandbox):
    with SandboxedKernelManager(workspace=workspace, limits=LIMITS, sandbox=sandbox) as km:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(CELL)]
        NotebookClient(nb, km=km, timeout=60).execute()
    assert nb.cells[0].outputs[0]['text'] == '42\n'


def main():
    warnings.simplefilter('ignore', UnsandboxedWarning)
    start = time.perf_counter()
    available, reason = is_available()
    first_check = round(time.perf_counter() - start, 4)
    workspace = make_workspace()
    python = sandbox_python()
    out = {
        'machine': {'python': platform.python_version(), 'platform': platform.platform(),
                    'sandbox_python': python, 'sandboxed': available, 'why_not': reason,
                    'bwrap': host().bwrap},
        'availability_check_once': first_check,
        'process': {'bare': timed(lambda: bare([python, '-c', 'pass'], workspace), PROCESS_RUNS),
                    'run_unsandboxed': timed(lambda: through_run(['python', '-c', 'pass'], workspace, False),
                                             PROCESS_RUNS)},
        'kernel': {'plain_jupyter_client': timed(lambda: plain_kernel(workspace), KERNEL_RUNS),
                   'unsandboxed': timed(lambda: sandbox_kernel(workspace, False), KERNEL_RUNS)},
    }
    if available:
        out['process']['sandboxed'] = timed(lambda: through_run(['python', '-c', 'pass'], workspace, True),
                                            PROCESS_RUNS)
        out['true'] = {'bare': timed(lambda: bare(['true'], workspace), PROCESS_RUNS),
                       'sandboxed': timed(lambda: through_run(['true'], workspace, True), PROCESS_RUNS)}
        out['kernel']['sandboxed'] = timed(lambda: sandbox_kernel(workspace, True), KERNEL_RUNS)
        out['overhead'] = {
            'process': round(out['process']['sandboxed'] - out['process']['bare'], 4),
            'kernel': round(out['kernel']['sandboxed'] - out['kernel']['unsandboxed'], 4),
        }
        out['overhead']['per_submission'] = round(out['overhead']['process'] + out['overhead']['kernel'], 4)
        out['overhead']['target_met'] = out['overhead']['per_submission'] < 0.5
    shutil.rmtree(workspace, ignore_errors=True)
    print(json.dumps(out, indent=2))


if __name__ == '__main__':
    main()

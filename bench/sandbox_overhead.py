"""What the sandbox costs per submission: bwrap start + teardown, and a kernel's start.

Compares, with the same interpreter (the sandbox runtime when installed):
  process   `python -c pass` as a bare subprocess, through run() without and with the sandbox
  true      `/bin/true` bare vs sandboxed: the sandbox's own cost, without Python's start
  kernel    an ipykernel started, one cell (numpy, matplotlib) run, shut down: plain jupyter_client,
            SandboxedKernelManager without and with the sandbox
  submission  the whole grading of the bundled reference hand-in (intake, static checks, probes,
            notebook, Part B), with the sandbox and without (Isolation(sandbox=False)), runs
            interleaved: 'check' mode (static + probes) and the notebook on a small profile
            (35 visible groups, 2 hidden, 600 instances × 3 epochs; --profile quick for the
            assignment's quick profile, --profile none to skip)
Prints JSON (seconds, median of the repetitions); target: sandbox overhead < 0.5 s.
Needs the project's venv (nbclient, jupyter_client):  .venv/bin/python bench/sandbox_overhead.py
"""
import argparse
import dataclasses
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
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


def small_profile(settings):
    """The assignment's settings with a small profile 'bench': a notebook run of ~15 s."""
    from autograder.settings import Profile
    profile = Profile(name='bench', data_groups=35, hidden_groups=2, time_limit_minutes=30, min_accuracy=0.0,
                      target_accuracy=0.0, run_timeout_minutes=10, cell_timeout_minutes=5,
                      parameters={'amount_of_instances': 600, 'epochs': 3})
    part_b = dataclasses.replace(settings.part_b, profiles={**settings.part_b.profiles, 'bench': profile})
    return dataclasses.replace(settings, part_b=part_b)


def whole_submission(profile: str, runs: int) -> dict:
    """Grade the reference hand-in with and without the sandbox (interleaved), per mode."""
    from autograder.authoring.examples.build import build_example
    from autograder.authoring.examples.catalogue import examples
    from autograder.grade import GradeOptions, grade
    from autograder.sandbox.isolation import Isolation
    from autograder.settings import load_settings
    settings = load_settings('eindopdracht-v2324.2')
    if profile == 'bench':
        settings = small_profile(settings)
    folder = Path(tempfile.mkdtemp(prefix='bench-submission-'))
    source = build_example(settings, examples(settings)['reference'], folder / 'reference.zip')
    isolations = {'unsandboxed': Isolation(sandbox=False), 'sandboxed': Isolation()}
    result = {'profile': profile}
    for mode, repetitions in (('check', max(runs, 5)), ('grade', runs)):
        times = {name: [] for name in isolations}
        steps = {name: {} for name in isolations}
        for repetition in range(repetitions):
            order = list(isolations) if repetition % 2 == 0 else list(reversed(isolations))
            for name in order:
                start = time.perf_counter()
                document = grade(source, settings, folder / f'{mode}-{name}',
                                 GradeOptions(profile=profile, mode=mode, progress=False,
                                              isolation=isolations[name]))
                times[name].append(time.perf_counter() - start)
                counted = [c for c in document['checks'] if c['status'] != 'skipped']
                assert all(c['status'] == 'pass' for c in counted), [c['message'] for c in counted
                                                                      if c['status'] != 'pass']
                assert document['environment']['sandboxed'] == (name == 'sandboxed'), name
                for step, seconds in document['timings'].items():
                    steps[name].setdefault(step, []).append(seconds)
                if mode == 'grade':
                    steps[name].setdefault('kernel_startup', []).append(document['notebook']['startup_seconds'])
        entry = {name: {'total': round(statistics.median(times[name]), 3),
                        'steps': {k: round(statistics.median(v), 3) for k, v in steps[name].items()}}
                 for name in isolations}
        entry['overhead'] = round(entry['sandboxed']['total'] - entry['unsandboxed']['total'], 3)
        entry['runs'] = repetitions
        result[mode] = entry
    shutil.rmtree(folder, ignore_errors=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--profile', default='bench', choices=('bench', 'quick', 'none'),
                        help='profile of the whole-submission measurement (default: a small one)')
    parser.add_argument('--runs', type=int, default=3, help='notebook gradings per variant (default 3)')
    args = parser.parse_args()
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
    if available and args.profile != 'none':
        out['submission'] = whole_submission(args.profile, args.runs)
        out['overhead']['whole_submission_check'] = out['submission']['check']['overhead']
        out['overhead']['whole_submission_grade'] = out['submission']['grade']['overhead']
    print(json.dumps(out, indent=2))


if __name__ == '__main__':
    main()

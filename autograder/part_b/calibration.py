"""How fast is this machine? The reference's training throughput, measured where the
student's kernel runs, so graded minutes can be normalised to the nominal machine.

normalised minutes = measured minutes × (nominal s/1000 ÷ this machine's s/1000).
Both the wall-clock and the CPU time of the workload are measured (its process's own CPU
time), so the graded run's wall and CPU times can each be normalised by their match
(checks/partb_time.py). A grading measures (the bench workload, scaled down to ~1 s, the median
of three) right before and right after its notebook run and takes the mean (`load_matched`):
the calibration then shares the run's load. `autograder calibrate` caches one measurement per
interpreter and machine for a day (`seconds_per_1000`).
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import vlearning
from vlearning._atomic import write_bytes_atomic

__all__ = ['measure', 'seconds_per_1000', 'cache_dir', 'load_matched']

_SCRIPT = r'''
import json, math, random, sys, time
sys.path.insert(0, sys.argv[1])
from vlearning import activation_functions, layers, loss_functions
rng = random.Random(0)
n = 200
xs = [[rng.random() for _ in range(144)] for _ in range(n)]
ys = [[1.0 if j == rng.randrange(26) else 0.0 for j in range(26)] for _ in range(n)]
random.seed(1)
model = layers.InputLayer(144)
for width in (120, 96, 48):
    model += layers.DenseLayer(width)
    model += layers.ActivationLayer(width, activation=activation_functions.elish)
model += layers.DenseLayer(26) + layers.SoftmaxLayer(26) + layers.LossLayer(loss=loss_functions.categorical_crossentropy)
walls, cpus = [], []
for _ in range(3):
    start, cpu = time.perf_counter(), time.process_time()
    model.partial_fit(xs, ys, alpha=0.1, batch_size=100)
    walls.append(time.perf_counter() - start)
    cpus.append(time.process_time() - cpu)
median = lambda values: sorted(values)[1]
print(json.dumps({'seconds_per_1000': median(walls) * 1000 / n, 'cpu_seconds_per_1000': median(cpus) * 1000 / n,
                  'python': sys.version.split()[0]}))
'''


def cache_dir() -> Path:
    base = os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache'
    return Path(base) / 'vlearning'


def measure(python: str | None = None) -> dict:
    """Run the workload in a fresh interpreter (`python`, default this one)."""
    python = python or sys.executable
    reference = str(Path(vlearning.__file__).resolve().parents[1])
    started = time.monotonic()
    # A session of its own, as the student's kernel has (the sandbox's --new-session): with the
    # kernel's autogroup scheduling each session is one group, so in the grader's session the
    # workload would share one group's CPU with whatever else the grader runs there (measured:
    # 4× slower wall time beside two busy processes, while the kernel was not slowed at all).
    out = subprocess.run([python, '-I', '-c', _SCRIPT, reference], capture_output=True, text=True,
                         timeout=120, check=True, start_new_session=True)
    result = json.loads(out.stdout)
    result.update(measured_at=time.time(), seconds=time.monotonic() - started,
                  machine=platform.node(), interpreter=python)
    return result


def load_matched(before: dict, after: dict) -> dict:
    """One calibration from measurements taken right before and right after the graded run:
    the mean of each measure, so that the calibration shares the run's load. A busy machine
    slows the graded run's wall clock by its share of a core and its CPU time too (cache and
    scheduling; measured +27 % beside one busy process per core), and the calibration by as
    much, so their ratio, the normalised time, stays (bench/partb_time_load.py)."""
    keys = ('seconds_per_1000', 'cpu_seconds_per_1000')
    result = {k: (before[k] + after[k]) / 2 for k in keys}
    result.update(python=before.get('python'), interpreter=before.get('interpreter'), machine=before.get('machine'),
                  measured_at=before.get('measured_at'), load_matched=True, cached=False,
                  before={k: before[k] for k in keys}, after={k: after[k] for k in keys},
                  seconds=before.get('seconds', 0.0) + after.get('seconds', 0.0))
    return result


def seconds_per_1000(python: str | None = None, *, max_age: float = 86400.0, refresh: bool = False) -> dict:
    """The cached measurement for this machine and interpreter, measured when stale."""
    python = python or sys.executable
    key = f'{platform.node()}-{Path(python).resolve().as_posix().replace("/", "_")}-{vlearning.__version__}'
    path = cache_dir() / 'calibration' / f'{key}.json'
    if not refresh and path.is_file():
        try:
            cached = json.loads(path.read_text())
            if time.time() - cached['measured_at'] < max_age and 'cpu_seconds_per_1000' in cached:
                cached['cached'] = True
                return cached
        except (ValueError, KeyError):
            pass
    result = measure(python)
    write_bytes_atomic(path, json.dumps(result).encode())   # a temporary file of its own: concurrent gradings
    result['cached'] = False
    return result

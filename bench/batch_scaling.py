"""Throughput of `autograder batch` at 1 and 2 parallel gradings, on the quick profile.

Workload: N copies (default 4) of the reference example hand-in under different student
names, graded from scratch with --jobs 1 and then --jobs 2 (each into a fresh output folder,
the similarity report off). Each grading runs the whole notebook with the quick profile
(~1 minute on the nominal machine), in a process of its own, sandboxed when bubblewrap is
set up. Prints JSON: seconds and submissions/hour per jobs value, the speedup, the CPU
count and the load average before and after (the machine may be shared).

    .venv/bin/python bench/batch_scaling.py [--submissions 4] [--jobs 1 2] [--profile quick]

Expectation: the notebook kernel is one single-threaded Python process, the grader's own
process mostly waits (≈ 7 % of a core), so N jobs on N idle cores approach N× (target ≥ 1.8×
at 2 jobs). What the machine itself delivers is measured next to it: the same pure-Python
loop in 1 process, then in 2 at once (`machine_scaling`); a VM whose two vCPUs share a
physical core, or a machine other work loads, cannot give the batch more than that.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder.batch import BatchOptions, run_batch  # noqa: E402
from autograder.authoring.examples.build import build_example  # noqa: E402
from autograder.authoring.examples.catalogue import examples  # noqa: E402
from autograder.settings import load_settings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--submissions', type=int, default=4)
    parser.add_argument('--jobs', type=int, nargs='+', default=[1, 2])
    parser.add_argument('--profile', default='quick')
    parser.add_argument('--assignment', default='eindopdracht-v2324.2')
    parser.add_argument('--keep', metavar='DIR', help='keep the batches in this folder')
    args = parser.parse_args(argv)
    settings = load_settings(args.assignment)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix='batch-scaling-'))
    work.mkdir(parents=True, exist_ok=True)
    inbox = work / 'in'
    inbox.mkdir(exist_ok=True)
    example = build_example(settings, examples(settings)['reference'], work / 'reference.zip')
    for number in range(args.submissions):
        shutil.copyfile(example, inbox / f'student{number:02d}.zip')
    runs = []
    load_before = os.getloadavg()
    machine_before = machine_scaling()
    try:
        for jobs in args.jobs:
            out = work / f'jobs-{jobs}'
            shutil.rmtree(out, ignore_errors=True)
            started = time.perf_counter()
            summary = run_batch(inbox, out, BatchOptions(assignment=args.assignment, profile=args.profile, jobs=jobs,
                                                         progress=False, similarity=False), log=lambda _: None)
            wall = time.perf_counter() - started
            seconds = summary['grading_seconds']
            grades = sorted({row for row in _grades(out)})
            runs.append({'jobs': jobs, 'grading_seconds': round(seconds, 1), 'wall_seconds': round(wall, 1),
                         'submissions_per_hour': round(3600 * args.submissions / seconds, 1),
                         'seconds_per_submission': round(seconds / args.submissions, 1),
                         'graded': summary['counts']['graded'], 'failed': summary['counts']['failed'],
                         'grades': grades, 'load_average_after': [round(x, 2) for x in os.getloadavg()]})
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    by_jobs = {run['jobs']: run for run in runs}
    result = {
        'benchmark': 'batch_scaling', 'profile': args.profile, 'submissions': args.submissions,
        'cpu_count': os.cpu_count(), 'machine': platform.machine(), 'python': platform.python_version(),
        'load_average_before': [round(x, 2) for x in load_before], 'runs': runs,
        'machine_scaling_before': machine_before, 'machine_scaling_after': machine_scaling(),
    }
    if 1 in by_jobs and 2 in by_jobs:
        result['speedup_2_vs_1'] = round(by_jobs[1]['grading_seconds'] / by_jobs[2]['grading_seconds'], 2)
        result['target'] = 1.8
        machine = min(machine_before['throughput_ratio'], result['machine_scaling_after']['throughput_ratio'])
        result['speedup_relative_to_machine'] = round(result['speedup_2_vs_1'] / max(machine, 1e-9), 2)
    print(json.dumps(result, indent=1))
    return 0


SPIN = 'import time\nt = time.perf_counter()\nx = 0\nfor i in range(20_000_000):\n    x += i * i\nprint(time.perf_counter() - t)\n'


def machine_scaling() -> dict:
    """Throughput of 2 CPU-bound Python processes at once relative to 1 (2.0 is ideal)."""
    import subprocess
    def run(count: int) -> float:
        started = time.perf_counter()
        processes = [subprocess.Popen([sys.executable, '-c', SPIN], stdout=subprocess.DEVNULL) for _ in range(count)]
        for process in processes:
            process.wait()
        return time.perf_counter() - started
    one = min(run(1) for _ in range(2))
    two = min(run(2) for _ in range(2))
    return {'one_process_seconds': round(one, 2), 'two_processes_seconds': round(two, 2),
            'throughput_ratio': round(2 * one / two, 2)}


def _grades(out: Path) -> list[float]:
    from autograder.batch.gradebook import Gradebook
    with Gradebook(out / 'gradebook.sqlite') as book:
        return [record.grade for record in book.records()]


if __name__ == '__main__':
    sys.exit(main())

"""Is partb.time independent of the grader's load? (issue 21, item 7)

Grades the same hand-in (the bundled reference) twice with a small Part B profile: once on
the machine as it is, once beside one CPU-bound process per core, and compares the
normalised time partb.time judges (the smaller of the wall-clock and the CPU-time figure,
each normalised by the calibration's matching measure), next to the wall-clock figure alone.
Each grading calibrates right before and after its run (part_b/calibration.py, load_matched);
`calibration` in the output is a separate measurement at the start, for reference.
Target: the judged normalised times within 10 % of each other.

Prints JSON.   .venv/bin/python bench/partb_time_load.py [--instances 1500 --epochs 3]
"""
import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder.authoring.examples.build import build_examples  # noqa: E402
from autograder.grade import GradeOptions, grade  # noqa: E402
from autograder.part_b.calibration import seconds_per_1000  # noqa: E402
from autograder.sandbox.isolation import Isolation  # noqa: E402
from autograder.settings import Profile, load_settings  # noqa: E402
from autograder.settings.course_secret import public_test_secret  # noqa: E402

BUSY = 'while True: pass'


def small_settings(settings, instances: int, epochs: int):
    profile = Profile(name='bench', data_groups=120, hidden_groups=20, time_limit_minutes=30, min_accuracy=0.0,
                      target_accuracy=0.0, run_timeout_minutes=30, cell_timeout_minutes=20,
                      parameters={'amount_of_instances': instances, 'epochs': epochs})
    part_b = dataclasses.replace(settings.part_b, profiles={**settings.part_b.profiles, 'bench': profile})
    return dataclasses.replace(settings, part_b=part_b)


def timed(zip_path: Path, settings, out: Path, isolation) -> dict:
    started = time.monotonic()
    document = grade(zip_path, settings, out, GradeOptions(profile='bench', progress=False, isolation=isolation,
                                                           secret=public_test_secret()))
    check = next(c for c in document['checks'] if c['id'] == 'partb.time')
    d = check['details']
    return {'status': check['status'], 'grading_seconds': round(time.monotonic() - started, 1),
            'wall_minutes': d.get('minutes'), 'cpu_minutes': d.get('cpu_minutes'),
            'wall_normalised': d.get('wall_normalised_minutes'), 'cpu_normalised': d.get('cpu_normalised_minutes'),
            'judged_normalised': d.get('normalised_minutes'), 'judged_by': d.get('judged_by'),
            'load_average': os.getloadavg()[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--instances', type=int, default=1500)
    parser.add_argument('--epochs', type=int, default=3)
    parser.add_argument('--hogs', type=int, default=os.cpu_count() or 1, help='CPU-bound processes (default: one per core)')
    args = parser.parse_args()
    settings = small_settings(load_settings('eindopdracht-v2324.2'), args.instances, args.epochs)
    isolation = Isolation()
    calibration = seconds_per_1000(isolation.kernel_python, refresh=True)
    with tempfile.TemporaryDirectory(prefix='bench-partb-time-') as tmp:
        tmp = Path(tmp)
        [zip_path] = build_examples(settings, tmp / 'examples', ['reference'])
        quiet = timed(zip_path, settings, tmp / 'quiet', isolation)
        # each in a session of its own, as other gradings' kernels and other users' work are: with
        # autogroup scheduling, busy processes in one session would share a single group's CPU
        hogs = [subprocess.Popen([sys.executable, '-c', BUSY], start_new_session=True) for _ in range(args.hogs)]
        try:
            time.sleep(2)
            loaded = timed(zip_path, settings, tmp / 'loaded', isolation)
        finally:
            for hog in hogs:
                hog.kill()
                hog.wait()
    ratio = loaded['judged_normalised'] / quiet['judged_normalised']
    wall_ratio = loaded['wall_normalised'] / quiet['wall_normalised']
    print(json.dumps({'instances': args.instances, 'epochs': args.epochs, 'hogs': args.hogs,
                      'cores': os.cpu_count(),
                      'calibration': {k: calibration.get(k) for k in ('seconds_per_1000', 'cpu_seconds_per_1000')},
                      'quiet': quiet, 'loaded': loaded,
                      'judged_ratio': round(ratio, 3), 'wall_only_ratio': round(wall_ratio, 3),
                      'within_10_percent': abs(ratio - 1) <= 0.10}, indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(main())

"""`autograder check` as a student runs it: wall time of the CLI on the unfilled student
template and on a folder with the reference solution (min of 3 runs each), in the course's
language (Dutch: the catalogue is read too). Prints JSON. Target: under 2 s each.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.authoring.examples.build import build_example  # noqa: E402
from autograder.authoring.examples.catalogue import examples  # noqa: E402
from autograder.i18n import ENVIRONMENT, _, language  # noqa: E402
from autograder.settings import load_settings  # noqa: E402

with language('nl'):            # the summary's last line starts with this, in Dutch
    SO_FAR = _('So far: {points} / {max_points} points of the checks that ran; no grade yet.').split('{')[0]


def timed_check(folder: Path) -> tuple[float, str]:
    best, last = float('inf'), ''
    for _run in range(3):
        started = time.monotonic()
        env = {k: v for k, v in os.environ.items() if k != ENVIRONMENT}     # the assignment's language
        done = subprocess.run([sys.executable, '-m', 'autograder', 'check', str(folder)], capture_output=True,
                              text=True, cwd=folder, env=env)
        best = min(best, time.monotonic() - started)
        if done.returncode not in (0, 1) or SO_FAR not in done.stdout:      # a crash is not a fast check
            raise SystemExit(f'autograder check failed in {folder} (exit {done.returncode}):\n'
                             f'{done.stdout[-500:]}{done.stderr[-1000:]}')
        last = next(line for line in done.stdout.splitlines() if line.startswith(SO_FAR))
    return best, last


def main() -> None:
    settings = load_settings('eindopdracht-v2324.2')
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / 'template'
        shutil.copytree(ROOT / 'student_template' / 'eindopdracht-v2324.2', template)
        reference = Path(tmp) / 'reference'
        reference.mkdir()
        with zipfile.ZipFile(build_example(settings, examples(settings)['reference'], Path(tmp) / 'r.zip')) as archive:
            archive.extractall(reference)
        template_seconds, template_says = timed_check(template)
        reference_seconds, reference_says = timed_check(reference)
    print(json.dumps({
        'benchmark': 'check_speed',
        'template_seconds': round(template_seconds, 3), 'template_summary': template_says,
        'reference_seconds': round(reference_seconds, 3), 'reference_summary': reference_says,
        'target_seconds': 2.0,
    }))


if __name__ == '__main__':
    main()

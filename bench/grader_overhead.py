"""Grader overhead per submission: everything the grader adds to the student's own cells.

Grades the reference example (quick profile, sandboxed when available) a few times and
prints JSON: the total, the student's cells (sum of the notebook's cell times), the
overhead (total minus the cells) and its breakdown (intake, static checks, probes,
preparing the workspace, calibration, kernel start-up, the grader's Part B cell, the rest).
Target: overhead ≤ 3 s per submission.
"""
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder.authoring.examples.build import build_example  # noqa: E402
from autograder.authoring.examples.catalogue import examples  # noqa: E402
from autograder.grade import GradeOptions, grade  # noqa: E402
from autograder.sandbox.isolation import Isolation  # noqa: E402
from autograder.settings import load_settings  # noqa: E402

RUNS = 3


def one_run(zip_path: Path, settings, isolation) -> dict:
    with tempfile.TemporaryDirectory() as out:
        started = time.monotonic()
        document = grade(zip_path, settings, Path(out), GradeOptions(profile='quick', progress=False,
                                                                     isolation=isolation))
        wall = time.monotonic() - started
    cells = sum(c['seconds'] or 0.0 for c in document['notebook']['cells'])
    timings = document['timings']
    notebook = document['notebook']
    grader_cell = notebook.get('grader_cell', {}).get('seconds') or 0.0
    parts = {
        'intake': timings.get('intake', 0.0), 'static': timings.get('static', 0.0),
        'probes': timings.get('probes', 0.0), 'prepare': timings.get('prepare', 0.0),
        'calibration': timings.get('calibration', 0.0), 'kernel_startup': notebook.get('startup_seconds', 0.0),
        'grader_cell': grader_cell,
    }
    overhead = wall - cells
    parts['rest'] = overhead - sum(parts.values())
    return {'wall': wall, 'student_cells': cells, 'overhead': overhead, 'parts': parts,
            'score': document['score']['points'], 'sandboxed': document['environment']['sandboxed']}


def main() -> None:
    settings = load_settings('eindopdracht-v2324.2')
    isolation = Isolation()
    with tempfile.TemporaryDirectory() as folder:
        zip_path = build_example(settings, examples(settings)['reference'], Path(folder) / 'reference.zip')
        runs = [one_run(zip_path, settings, isolation) for _ in range(RUNS)]
    best = min(runs, key=lambda r: r['overhead'])
    print(json.dumps({
        'benchmark': 'grader_overhead',
        'profile': 'quick',
        'sandboxed': isolation.sandboxed,
        'runs': RUNS,
        'overhead_seconds_median': round(statistics.median(r['overhead'] for r in runs), 3),
        'overhead_seconds_min': round(best['overhead'], 3),
        'student_cells_seconds_median': round(statistics.median(r['student_cells'] for r in runs), 3),
        'wall_seconds_median': round(statistics.median(r['wall'] for r in runs), 3),
        'breakdown_of_min_run': {k: round(v, 3) for k, v in best['parts'].items()},
        'scores': [r['score'] for r in runs],
        'target_seconds': 3.0,
    }))


if __name__ == '__main__':
    main()

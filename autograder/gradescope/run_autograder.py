"""What a Gradescope bundle's `run_autograder` runs: grade /autograder/submission into
/autograder/results/results.json (root: $AUTOGRADER_GRADESCOPE_ROOT, default /autograder).

The settings, profile and data file come from the bundle's gradescope.json; the student's
name from Gradescope's submission_metadata.json. Only results.json (the student view: no
hidden details) is written; the grade goes to stdout, which Gradescope shows the instructor.
On a grader failure no results.json is written and the exit code is 1.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

__all__ = ['main']


def _student(root: Path) -> str | None:
    try:
        metadata = json.loads((root / 'submission_metadata.json').read_text())
        users = metadata.get('users') or []
        if users:
            return users[0].get('email') or users[0].get('name') or str(users[0].get('id'))
    except (OSError, ValueError, AttributeError):
        pass
    return None


def main() -> int:
    root = Path(os.environ.get('AUTOGRADER_GRADESCOPE_ROOT') or '/autograder')
    source = root / 'source'
    results_dir = root / 'results'
    results_dir.mkdir(parents=True, exist_ok=True)
    import autograder
    print(f'grader: {Path(autograder.__file__).parent} (version {autograder.__version__})', flush=True)
    try:
        config = json.loads((source / 'gradescope.json').read_text())
        from ..grade import GradeOptions, grade
        from ..sandbox.isolation import isolation_for_grading
        from ..results import write_json_atomic
        from ..settings import load_settings
        settings = load_settings(source / 'assignments' / config['assignment'])
        data_file = source / config['data'] if config.get('data') else None
        from ..settings.course_secret import public_test_secret, read_secret
        secret = read_secret(source / config['secret']) if config.get('secret') else public_test_secret()
        isolation = isolation_for_grading(warn=lambda text: print(text, flush=True))
        work = Path(tempfile.mkdtemp(prefix='autograder-gradescope-'))
        document = grade(root / 'submission', settings, work, GradeOptions(
            profile=config.get('profile', 'quick'), data_file=data_file, progress=False, keep_workspace=False,
            isolation=isolation, student=_student(root), secret=secret,
            hidden_data=source / config['hidden_data'] if config.get('hidden_data') else None))
        results = json.loads((work / 'results.json').read_text())
        write_json_atomic(results_dir / 'results.json', results)
        shutil.rmtree(work, ignore_errors=True)
    except Exception:
        traceback.print_exc()
        print('autograder: grading failed; no results.json was written', file=sys.stderr)
        return 1
    score = document['score']
    print(f"grade {score['grade']} ({score['points']}/{score['max_points']} points); "
          f"sandboxed: {document['environment'].get('sandboxed')}")
    return 0


if __name__ == '__main__':
    sys.exit(main())

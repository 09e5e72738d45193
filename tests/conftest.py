import fcntl
import json
import os
import pickle
import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# The suite pins the grader's messages by their English ids, whatever an assignment's language
# (the course's editions speak Dutch): the environment variable outranks the settings, and
# subprocesses inherit it. Dutch is tested where a test asks for it (tests/test_i18n.py,
# tests/test_self_check.py), with an explicit language.
os.environ['AUTOGRADER_LANG'] = 'en'
# The suite grades with the public test secret (autograder/settings/course_secret.py), whatever
# the machine's own course secret: results are the same everywhere. Subprocesses inherit it;
# tests of the secret itself remove it (monkeypatch.delenv).
os.environ['AUTOGRADER_TEST_SECRET'] = '1'
os.environ.pop('AUTOGRADER_SECRET_FILE', None)

from helpers.hand_ins import EDITIONS  # noqa: F401  (the editions the tests grade)

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / 'shared' / 'data'


@pytest.fixture
def seeded():
    """Seed the global random generator the course's module draws from."""
    random.seed(12345)
    yield





@contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` across processes (the xdist workers of one run)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, 'a') as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_folder(tmp_path_factory, name: str) -> Path:
    """A folder every xdist worker of this run shares (their base temps have one parent);
    without xdist, the session's own."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get('PYTEST_XDIST_WORKER') else base) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class GradedExamples:
    """An edition's example hand-ins, built once per run and graded on demand (each grade is
    cached): grading takes ~40 s for a full quick-profile run, so tests share them. The folder
    is shared by the xdist workers (`make test` runs two): the first worker to need a build or
    a grading makes it under a lock, the others wait for it and read it."""

    def __init__(self, folder, assignment='eindopdracht-v2324.2'):
        from autograder.authoring.examples.build import build_examples
        from autograder.sandbox.isolation import Isolation
        from autograder.settings import load_settings
        self.folder = folder
        self.settings = load_settings(assignment)
        built = folder / 'zips.json'
        with locked(folder / '.zips.lock'):
            if not built.is_file():
                paths = build_examples(self.settings, folder / 'zips')
                built.write_text(json.dumps([str(p) for p in paths]))
            self.zips = {Path(p).stem: Path(p) for p in json.loads(built.read_text())}
        self.isolation = Isolation()
        self._cache = {}

    def grade(self, name, mode='grade'):
        from autograder.grade import GradeOptions, grade
        key = (name, mode)
        if key not in self._cache:
            out = self.folder / f'{name}-{mode}'
            saved = self.folder / f'{name}-{mode}.pickle'
            with locked(self.folder / f'.{name}-{mode}.lock'):
                if saved.is_file():
                    document = pickle.loads(saved.read_bytes())
                else:
                    shutil.rmtree(out, ignore_errors=True)        # a worker that died grading
                    document = grade(self.zips[name], self.settings, out,
                                     GradeOptions(profile='quick', mode=mode, progress=False,
                                                  isolation=self.isolation))
                    saved.with_suffix('.tmp').write_bytes(pickle.dumps(document))
                    saved.with_suffix('.tmp').replace(saved)
            self._cache[key] = (document, out)
        return self._cache[key]


class Editions(dict):
    """Every edition's GradedExamples, made when first asked for."""

    def __init__(self, folder):
        super().__init__()
        self.folder = folder

    def __missing__(self, assignment):
        self[assignment] = GradedExamples(self.folder / assignment, assignment)
        return self[assignment]


@pytest.fixture(scope='session')
def editions(tmp_path_factory):
    return Editions(shared_folder(tmp_path_factory, 'editions'))


@pytest.fixture(scope='session')
def graded_examples(editions):
    return editions['eindopdracht-v2324.2']

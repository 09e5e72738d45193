import os
import random
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





class GradedExamples:
    """An edition's example hand-ins, built once per session and graded on demand (each grade
    is cached): grading takes ~40 s for a full quick-profile run, so tests share them."""

    def __init__(self, folder, assignment='eindopdracht-v2324.2'):
        from autograder.authoring.examples.build import build_examples
        from autograder.sandbox.isolation import Isolation
        from autograder.settings import load_settings
        self.folder = folder
        self.settings = load_settings(assignment)
        self.zips = {p.stem: p for p in build_examples(self.settings, folder / 'zips')}
        self.isolation = Isolation()
        self._cache = {}

    def grade(self, name, mode='grade'):
        from autograder.grade import GradeOptions, grade
        key = (name, mode)
        if key not in self._cache:
            out = self.folder / f'{name}-{mode}'
            document = grade(self.zips[name], self.settings, out,
                             GradeOptions(profile='quick', mode=mode, progress=False, isolation=self.isolation))
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
    return Editions(tmp_path_factory.mktemp('editions'))


@pytest.fixture(scope='session')
def graded_examples(editions):
    return editions['eindopdracht-v2324.2']

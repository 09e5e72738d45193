"""Correct modules written the way real submissions write them keep every point; the same
variation next to a real mistake still loses that mistake's check; and no message a student
reads names one of the grader's own files.

The variations (autograder/authoring/examples/mutations.py, VARIATIONS) only change the module, so
each is graded with the static checks and the probes (`check` mode, as in
test_grade_examples.py); the module with all of them at once is graded in full (quick
profile), notebook and Part B included.
"""
import json
from pathlib import Path

import pytest

from autograder.authoring.bundle import model_source
from autograder.authoring.examples.mutations import TWINS, VARIATIONS, Mutation, apply
from autograder.grade import GradeOptions, grade
from autograder.sandbox.isolation import Isolation
from autograder.settings import load_settings
from autograder.registry import CHECK_IDS, PART_B_CHECKS
from helpers.hand_ins import hand_in_folder

GRADER_FILES = sorted({p.name for p in (Path(__file__).resolve().parents[1] / 'autograder').rglob('*.py')}
                      - {'__init__.py', '__main__.py'})


def by_id(document):
    return {c['id']: c for c in document['checks']}


def student_texts(document):
    """Everything of the results a student is shown: messages, titles and visible details."""
    return [json.dumps({k: c[k] for k in ('title', 'message', 'details')}, ensure_ascii=False)
            for c in document['checks']]


def assert_no_grader_file_named(document):
    for text in student_texts(document):
        named = [name for name in GRADER_FILES if name in text]
        assert not named, (named, text[:600])


SETTINGS = load_settings('eindopdracht-v2324.2')


@pytest.fixture(scope='module')
def isolation():
    return Isolation()


@pytest.fixture(scope='module')
def grade_module(tmp_path_factory, isolation):
    """Grade a mutation of the reference (static checks and probes), cached per name."""
    settings = SETTINGS
    cache = {}

    def run(mutation: Mutation):
        if mutation.name not in cache:
            folder = hand_in_folder(settings, tmp_path_factory.mktemp(mutation.name.replace('+', '-')),
                                    apply(model_source(), mutation))
            cache[mutation.name] = grade(folder, settings, folder.parent / f'{folder.name}-out',
                                         GradeOptions(mode='check', progress=False, isolation=isolation))
        return cache[mutation.name]
    return run


@pytest.mark.parametrize('name', list(VARIATIONS))
def test_a_variation_keeps_every_point(grade_module, name):
    document = grade_module(VARIATIONS[name])
    checks = by_id(document)
    lost = {i: c['message'] for i, c in checks.items() if i not in PART_B_CHECKS and c['status'] != 'pass'}
    assert not lost, lost
    assert_no_grader_file_named(document)


@pytest.mark.slow
@pytest.mark.parametrize('name', list(TWINS))
def test_a_variation_does_not_hide_a_real_mistake(grade_module, name):
    """The variation plus a mistake loses exactly what the mistake loses alone, and says so."""
    mistake, check_id, phrase = TWINS[name]
    twin = by_id(grade_module(VARIATIONS[name] + mistake))
    alone = by_id(grade_module(mistake))
    lost = {i for i, c in twin.items() if i not in PART_B_CHECKS and c['status'] != 'pass'}
    assert check_id in lost and phrase in twin[check_id]['message'], twin[check_id]['message']
    assert lost == {i for i, c in alone.items() if i not in PART_B_CHECKS and c['status'] != 'pass'}
    assert_no_grader_file_named(grade_module(VARIATIONS[name] + mistake))


def test_keyword_only_alpha_is_noted_without_penalty(grade_module):
    checks = by_id(grade_module(VARIATIONS['keyword-only-alpha']))
    for check_id in ('layers.gradients', 'layers.updates'):      # the checks that call layers with alpha
        assert checks[check_id]['status'] == 'pass'
        notes = checks[check_id]['details']['notes']
        assert len(notes) == 1 and notes[0].startswith("alpha keyword-only in the layers' __call__(xs, ys=None, *, alpha=None)") and 'by keyword' in notes[0], notes
        assert 'Note: alpha keyword-only' in checks[check_id]['message']
    assert checks['layers.training']['status'] == 'pass'      # fit() passes alpha by keyword anyway


def test_the_history_alias_is_noted(grade_module):
    training = by_id(grade_module(VARIATIONS['validation-loss-key']))['layers.training']
    assert training['status'] == 'pass'
    assert "'validation_loss' was read as the course's 'val_loss'" in training['message']


def test_a_signature_the_course_cannot_call_is_named_without_grader_locations(grade_module):
    """A required extra keyword: the message says which call failed and the student's signature."""
    mistake, _, _ = TWINS['extra-keywords']
    message = by_id(grade_module(mistake))['layers.training']['message']
    assert 'the grader called fit(' in message and "missing a required argument: 'seed'" in message, message
    assert 'runner.py' not in message and ' at ' not in message.split('failed:')[1], message


def test_a_layer_chain_without_indexing_or_next_is_still_reached(grade_module):
    """No __getitem__/__len__/__iter__ and a link of another name: the probes follow the link
    (found by the settings' alias); only layers.api loses what is missing."""
    variation = VARIATIONS['next-layer-link'] + Mutation('no-indexing', 'no indexing, length or iteration', (
        ('    def __iter__(self):\n        layer = self\n', '    def _iter(self):\n        layer = self\n'),
        ('    def __len__(self):', '    def _len(self):'),
        ('    def __getitem__(self, index):', '    def _getitem(self, index):'),
        ('return sum(1 for _ in self)', 'return sum(1 for _ in self._iter())'),
        ('layers = list(self)', 'layers = list(self._iter())'),
        ('            for layer in self:\n                if layer.name == index:',
         '            for layer in self._iter():\n                if layer.name == index:'),
        ('layer.name for layer in self)', 'layer.name for layer in self._iter())'),
        ("return ' +\\n    '.join(layer.describe() for layer in self)",
         "return ' +\\n    '.join(layer.describe() for layer in self._iter())")))
    checks = by_id(grade_module(variation))
    for check_id in ('layers.gradients', 'layers.updates', 'layers.training'):
        assert checks[check_id]['status'] == 'pass', checks[check_id]['message']
    api = checks['layers.api']
    assert api['status'] == 'partial'
    failed = {i['what'] for i in api['details']['items'] if not i['ok']}
    assert failed == {'len()', 'iteration', 'indexing by position', 'indexing by name'}, failed


@pytest.mark.slow
def test_every_variation_at_once_scores_full_marks(graded_examples):
    """The whole pipeline, notebook and Part B included, on a module with every variation."""
    document, _ = graded_examples.grade('variant-all')
    checks = by_id(document)
    assert list(checks) == list(CHECK_IDS)
    assert all(c['status'] == 'pass' for c in checks.values()), \
        {i: c['message'] for i, c in checks.items() if c['status'] != 'pass'}
    assert document['score']['points'] == document['score']['max_points'] == 100
    assert checks['static.imports']['status'] == 'pass'          # `import data` is the course's module
    assert_no_grader_file_named(document)


@pytest.mark.slow
def test_no_message_of_a_flawed_example_names_a_grader_file(graded_examples):
    from autograder.authoring.examples.catalogue import examples
    for name, example in examples(graded_examples.settings).items():
        if example.fails and not example.notebook_edits:
            assert_no_grader_file_named(graded_examples.grade(name, mode='check')[0])


def test_an_edited_course_data_module_is_replaced_not_graded(isolation, tmp_path):
    """The hand-in's own data.py is not the course's: the grader runs the module with its copy."""
    settings = SETTINGS
    folder = hand_in_folder(settings, tmp_path / 'hand-in', apply(model_source(), VARIATIONS['course-data-import']))
    (folder / 'data.py').write_text('raise RuntimeError("an edited copy of the course\'s data.py")\n')
    document = grade(folder, settings, tmp_path / 'out', GradeOptions(mode='check', progress=False,
                                                                      isolation=isolation))
    checks = by_id(document)
    assert all(c['status'] == 'pass' for i, c in checks.items() if i not in PART_B_CHECKS), \
        {i: c['message'] for i, c in checks.items() if c['status'] != 'pass'}
    finding = next(f for f in document['submission']['findings'] if f['code'] == 'course-file-included')
    assert "'data.py'" in finding['message'] and 'its own copy' in finding['message']
    assert (folder / 'data.py').read_text().startswith('raise RuntimeError')     # the hand-in is never changed

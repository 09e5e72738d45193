"""The rubric (`[rubric]` of assignment.toml): every criterion of every check with its weight,
whether the edition requires it and the course's words; the checks weigh their criteria by it,
optional criteria cost nothing, and the teacher's setting for per-instance updates applies."""
import re
import shutil
from pathlib import Path

import pytest

from autograder.authoring.bundle import model_source
from autograder.authoring.examples.mutations import VARIATIONS, apply
from autograder.grade import GradeOptions, grade
from autograder.registry import CHECK_IDS
from autograder.report import render_instructor, render_student
from autograder.results.document import rubric_of
from autograder.sandbox.isolation import Isolation
from autograder.settings import load_settings
from autograder.settings.criteria import criteria_of
from helpers.hand_ins import EDITIONS, ROOT, hand_in_folder

SHARED = Path('/work/shared')
COURSE_TEXTS = sorted(SHARED.glob('seeds/000_*.txt')) + sorted(SHARED.glob('spec/*.md'))


def by_id(document):
    return {c['id']: c for c in document['checks']}


@pytest.fixture(scope='module')
def isolation():
    return Isolation()


def edited_assignment(tmp_path: Path, edition: str, *edits: tuple[str, str]):
    """A copy of an edition's settings with each `old` (found exactly once) replaced by `new`."""
    target = tmp_path / edition
    shutil.copytree(ROOT / 'assignments' / edition, target)
    path = target / 'assignment.toml'
    text = path.read_text(encoding='utf-8')
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding='utf-8')
    return load_settings(target)


def graded(tmp_path: Path, settings, variation: str, isolation):
    folder = hand_in_folder(settings, tmp_path / 'hand-in', apply(model_source(), VARIATIONS[variation]))
    return by_id(grade(folder, settings, tmp_path / 'out', GradeOptions(mode='check', progress=False,
                                                                        isolation=isolation)))


@pytest.mark.parametrize('edition', EDITIONS)
def test_every_criterion_of_every_check_has_its_record_with_a_source(edition):
    settings = load_settings(edition)
    assert list(settings.rubric) == list(CHECK_IDS)
    for check_id, criteria in settings.rubric.items():
        assert tuple(criteria) == criteria_of(check_id)
        assert all(c.source.strip() and c.quote.strip() and c.weight > 0 for c in criteria.values())
    # a criterion's points: its weight's share of the check's points, 0 when optional
    rows = {(r['check'], r['criterion']): r for r in rubric_of(settings)}
    assert sum(r['points'] for r in rows.values()) == pytest.approx(100, abs=0.01)     # rounded to 0.001 each
    assert rows['neuron.perceptron', 'converges']['points'] == pytest.approx(2.1)
    assert rows['neuron.perceptron', 'repr']['points'] == pytest.approx(0.9)
    assert rows['layers.api', 'len']['points'] == rows['layers.api', 'iter']['points'] == 0


def test_what_the_editions_require_differs_where_the_course_does():
    v2, v1 = (load_settings(e).rubric for e in ('eindopdracht-v2324.2', 'eindopdracht-v2324.1'))
    assert not v2['layers.api']['activation-kwargs'].required and v1['layers.api']['activation-kwargs'].required
    optional = {(check_id, key) for check_id, criteria in v2.items() for key, c in criteria.items() if not c.required}
    assert optional == {('layers.api', 'len'), ('layers.api', 'iter'), ('layers.api', 'activation-kwargs')}
    assert 'ELiSH' in v2['partb.activation']['whole'].quote and 'NIPUNA' in v1['partb.activation']['whole'].quote
    # the Perceptron's sentence is not a criterion of any edition
    assert set(v2['neuron.perceptron']) == set(v1['neuron.perceptron']) == {'converges', 'repr'}


def _plain(text: str) -> str:
    """Text without markdown links, emphasis, code marks, escapes and spacing, to compare a
    quote with its source."""
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', text)
    return re.sub(r'\s+', ' ', re.sub(r'[*\\`]', '', text)).strip()


@pytest.mark.skipif(not COURSE_TEXTS, reason="the course's texts (shared/seeds, shared/spec) are not on this machine")
@pytest.mark.parametrize('edition', EDITIONS)
def test_every_quote_is_the_course_s_own_words(edition):
    corpus = _plain('\n'.join(p.read_text(encoding='utf-8') for p in COURSE_TEXTS))
    quotes = {c.quote for criteria in load_settings(edition).rubric.values() for c in criteria.values()}
    missing = sorted(q for q in quotes if _plain(q) not in corpus)
    assert not missing, missing


@pytest.mark.parametrize('variation', ['perceptron-own-sentence', 'perceptron-silent'])
def test_the_perceptron_s_message_is_not_graded(tmp_path, isolation, variation):
    perceptron = graded(tmp_path, load_settings('eindopdracht-v2324.2'), variation, isolation)['neuron.perceptron']
    assert perceptron['status'] == 'pass' and perceptron['points'] == 3, perceptron['message']
    assert perceptron['details']['criteria'] == {
        'converges': {'met': 1.0, 'required': True, 'weight': 7.0},
        'repr': {'met': 1.0, 'required': True, 'weight': 3.0}}
    assert ('Converged after' in perceptron['details']['printed']) == (variation == 'perceptron-own-sentence')


def test_optional_len_costs_nothing_and_is_a_note_until_the_teacher_requires_it(tmp_path, isolation):
    api = graded(tmp_path / 'as-is', load_settings('eindopdracht-v2324.2'), 'no-len-iter', isolation)['layers.api']
    assert api['status'] == 'pass' and api['points'] == 4
    assert api['details']['criteria']['len'] == {'met': 0.0, 'required': False, 'weight': 1.0}
    assert any('optional in this assignment: no points lost' in n for n in api['details']['notes'])
    required = edited_assignment(tmp_path, 'eindopdracht-v2324.2', (
        'len = { weight = 1, required = false', 'len = { weight = 1, required = true'))
    api = graded(tmp_path / 'required', required, 'no-len-iter', isolation)['layers.api']
    # 15 required criteria with len: len's share of 4 points is lost (iteration still works
    # through __getitem__, Python's old sequence protocol)
    assert api['status'] == 'partial' and api['points'] == pytest.approx(4 * 14 / 15, abs=0.01)
    assert 'len(model) should be 8' in api['message']


def test_beta_pass_through_is_required_in_v2324_1_only(tmp_path, isolation):
    v2 = graded(tmp_path / 'v2', load_settings('eindopdracht-v2324.2'), 'no-beta-pass-through', isolation)
    v1 = graded(tmp_path / 'v1', load_settings('eindopdracht-v2324.1'), 'no-beta-pass-through', isolation)
    assert v2['layers.api']['points'] == 4 and v2['layers.api']['details']['criteria']['activation-kwargs']['met'] == 0
    assert v1['layers.api']['points'] == pytest.approx(4 * 14 / 15, abs=0.01)
    assert 'should pass beta on to its activation' in v1['layers.api']['message']


def test_hardelish_is_probed_only_when_the_module_has_it(tmp_path, isolation):
    for edition in EDITIONS:
        gradients = graded(tmp_path / edition, load_settings(edition), 'elish-only', isolation)['layers.gradients']
        assert gradients['status'] == 'pass' and gradients['points'] == 8, gradients['message']
        labels = [r['label'] for r in gradients['details']['layers']['ActivationLayer']]
        assert 'elish' in labels and 'hardelish' not in labels
        assert 'hardelish is not in the module' in gradients['message']


@pytest.mark.parametrize('setting, gradients_points, updates_points', [
    ('accept', 8.0, 6.0),
    # partial: half the credit of the probes that show it: DenseLayer N=4 (1 of 2 DenseLayer
    # probes, a quarter of 8 points) and the batch of 5 at position 1 (1 of 4 rows of 6 points)
    ('partial', 8 - 0.25 * 8 * 0.5 * 0.5, 6 - 6 * 0.25 * 0.5),
    ('reject', 8 - 0.25 * 8 * 0.5, 6 - 6 * 0.25),
])
def test_per_instance_updates_follow_the_teacher_s_setting(tmp_path, isolation, setting, gradients_points,
                                                          updates_points):
    settings = edited_assignment(tmp_path, 'eindopdracht-v2324.2',
                                 ('per_instance = "accept"', f'per_instance = "{setting}"'))
    checks = graded(tmp_path, settings, 'per-instance-updates', isolation)
    assert checks['layers.gradients']['points'] == pytest.approx(gradients_points, abs=0.01)
    assert checks['layers.updates']['points'] == pytest.approx(updates_points, abs=0.01)
    for check_id in ('layers.gradients', 'layers.updates'):
        assert 'instance by instance inside the backward loop' in checks[check_id]['message']
    assert checks['layers.training']['status'] == 'pass'


def test_the_instructor_report_shows_the_rubric_with_its_sources(tmp_path, isolation):
    settings = load_settings('eindopdracht-v2324.2')
    folder = hand_in_folder(settings, tmp_path / 'hand-in')
    document = grade(folder, settings, tmp_path / 'out', GradeOptions(mode='check', progress=False,
                                                                      isolation=isolation, language='en'))
    assert document['rubric'] == rubric_of(settings)
    html = render_instructor(document)
    assert 'The rubric and its sources' in html
    assert 'Gebruik tenminste ergens in je model de exponential linear sigmoid squashing (ELiSH)' in html
    assert '<td>len</td><td class="num">0</td><td>optional: a note worth 0</td>' in html
    assert 'The rubric and its sources' not in render_student(document)


def test_a_check_judged_as_a_whole_made_optional_is_worth_nothing(tmp_path, isolation):
    settings = edited_assignment(tmp_path, 'eindopdracht-v2324.2', (
        '[rubric."derivative"]\nrequired = true', '[rubric."derivative"]\nrequired = false'))
    folder = hand_in_folder(settings, tmp_path / 'hand-in')
    document = grade(folder, settings, tmp_path / 'out', GradeOptions(mode='check', progress=False,
                                                                      isolation=isolation))
    derivative = by_id(document)['derivative']
    assert derivative['status'] == 'pass' and derivative['max_points'] == derivative['points'] == 0
    assert document['score']['max_points'] == 70 - 2         # static and Part A without derivative's 2
    assert next(r for r in document['rubric'] if r['check'] == 'derivative')['points'] == 0

"""End to end: each example hand-in graded as an instructor would, checked against the
catalogue that says which checks each flaw must fail and what the message names."""
import json
import zipfile

import nbformat
import pytest

from helpers.hand_ins import EDITIONS

from autograder.authoring.examples.catalogue import examples
from autograder.registry import CHECK_IDS, PART_B_CHECKS
from autograder.settings import load_settings

PART_B = set(PART_B_CHECKS)
CATALOGUES = {edition: examples(load_settings(edition)) for edition in EDITIONS}
# Flaws confined to the module are graded with `check` (static checks and probes): their
# notebooks are the master's, so Part B is the reference's and the run would cost ~40 s each.
MODULE_ONLY = [(edition, name) for edition, catalogue in CATALOGUES.items() for name, e in catalogue.items()
               if name != 'reference' and not set(e.fails) & PART_B and not e.notebook_edits]
WITH_NOTEBOOK = [(edition, name) for edition, catalogue in CATALOGUES.items() for name in catalogue
                 if name != 'reference' and (edition, name) not in MODULE_ONLY]

pytestmark = pytest.mark.slow      # every example hand-in graded end to end


def by_id(document):
    return {c['id']: c for c in document['checks']}


@pytest.mark.parametrize('edition', EDITIONS)
def test_reference_scores_full_marks_in_the_sandbox(editions, edition):
    graded_examples = editions[edition]
    document, out = graded_examples.grade('reference')
    checks = by_id(document)
    assert list(checks) == list(CHECK_IDS)
    assert all(c['status'] == 'pass' for c in checks.values()), \
        {i: c['message'] for i, c in checks.items() if c['status'] != 'pass'}
    assert document['score']['points'] == document['score']['max_points'] == 100
    assert document['score']['grade'] == 10.0 and document['score']['passed']
    assert all(document['score']['hard_requirements'].values())
    if graded_examples.isolation.sandboxed:
        assert document['environment']['probes']['sandboxed'] and document['notebook']['sandboxed']
    # the Gradescope file mirrors the checks
    gradescope = json.loads((out / 'results.json').read_text())
    assert gradescope['score'] == 100 and len(gradescope['tests']) == len(CHECK_IDS)
    assert (out / 'executed.ipynb').is_file()
    # Part B was measured, not read from the notebook's own print
    time_check = checks['partb.time']['details']
    assert 0 < time_check['minutes'] < 5 and time_check['speed_factor'] > 0
    settings = graded_examples.settings
    assert checks['partb.accuracy']['details']['instances'] == settings.profile('quick').hidden_groups * settings.part_b.classes
    # the quick profile's parameters ran beside the notebook, not in it: cell numbers are the student's
    with zipfile.ZipFile(graded_examples.zips['reference']) as archive:
        handed_in = nbformat.reads(archive.read(settings.notebook).decode(), as_version=4)
    executed = nbformat.read(out / 'executed.ipynb', as_version=4)
    assert [c.source for c in executed.cells] == [c.source for c in handed_in.cells]
    assert document['notebook']['injected_parameters'] == settings.profile('quick').parameters
    assert [r['index'] for r in document['notebook']['cells']] == [
        i for i, c in enumerate(handed_in.cells) if c.cell_type == 'code']


@pytest.mark.parametrize('edition, name', MODULE_ONLY)
def test_module_flaw_loses_exactly_its_checks(editions, edition, name):
    graded_examples = editions[edition]
    reference = by_id(graded_examples.grade('reference', mode='check')[0])
    document, _ = graded_examples.grade(name, mode='check')
    checks = by_id(document)
    assert list(checks) == list(CHECK_IDS)          # every check accounted for
    assert all(checks[c]['status'] == 'skipped' for c in PART_B)
    # a partial run gives points so far, but no grade and no verdict
    assert document['score']['grade'] is None and document['score']['passed'] is None
    lost = {i for i, c in checks.items() if i not in PART_B and c['points'] < reference[i]['points']}
    assert lost == set(CATALOGUES[edition][name].fails)
    for check_id, phrase in CATALOGUES[edition][name].fails.items():
        assert phrase in checks[check_id]['message'], (check_id, checks[check_id]['message'])


@pytest.mark.parametrize('edition, name', WITH_NOTEBOOK)
def test_notebook_flaw_loses_exactly_its_checks(editions, edition, name):
    graded_examples = editions[edition]
    reference = by_id(graded_examples.grade('reference')[0])
    document, _ = graded_examples.grade(name)
    checks = by_id(document)
    assert list(checks) == list(CHECK_IDS)
    lost = {i for i, c in checks.items() if c['points'] < reference[i]['points']}
    expected = set(CATALOGUES[edition][name].fails)
    if name in ('flawed-import-error', 'flawed-renamed-layers', 'flawed-output-layer',
                'flawed-no-categorical-crossentropy'):
        expected |= PART_B      # a module that breaks the notebook's Deel B breaks everything Part B measures
    assert expected <= lost, (expected - lost, {i: checks[i]['message'] for i in expected - lost})
    assert lost <= expected | PART_B, lost - expected
    for check_id, phrase in CATALOGUES[edition][name].fails.items():
        assert phrase in checks[check_id]['message'], (check_id, checks[check_id]['message'])


def test_locked_cell_edit_names_the_cell_and_blocks_timing(graded_examples):
    checks = by_id(graded_examples.grade('flawed-locked-cell')[0])
    message = checks['static.locked-cells']['message']
    assert 'was changed in cell' in message and '/ 120.0' in message
    assert checks['partb.time']['status'] == 'fail'
    assert not graded_examples.grade('flawed-locked-cell')[0]['score']['passed']


def test_error_cell_is_reported_and_the_run_continues(graded_examples):
    document, _ = graded_examples.grade('flawed-error-cell')
    cells = document['notebook']['cells']
    failing = [c for c in cells if c['status'] == 'error']
    assert len(failing) == 1 and failing[0]['error']['ename'] == 'NameError'
    after = [c['status'] for c in cells if c['index'] > failing[0]['index']]
    # every later cell ran, except the last: the template's self-check, which the grader skips
    assert len(after) >= 2 and after == ['ok'] * (len(after) - 1) + ['skipped']
    assert f"cell {failing[0]['index']} raised NameError" in by_id(document)['notebook.runs']['message']


def test_a_module_with_half_the_api_gets_a_complete_result(tmp_path):
    """Only the activation and loss functions: everything else says what is missing."""
    from autograder.authoring.bundle import bundle
    from autograder.grade import GradeOptions, grade
    from autograder.settings import load_settings
    settings = load_settings('eindopdracht-v2324.2')
    folder = tmp_path / 'half'
    folder.mkdir()
    (folder / 'model.py').write_text(bundle(['_linalg', 'calculus', 'activation_functions', 'loss_functions'],
                                            '"""half a module"""', extra_exports=['derivative', 'pseudo_log']))
    document = grade(folder, settings, tmp_path / 'out', GradeOptions(mode='check', progress=False))
    checks = by_id(document)
    assert list(checks) == list(CHECK_IDS)
    for check_id in ('activations.table', 'activations.hidden', 'losses.table', 'losses.hidden', 'derivative'):
        assert checks[check_id]['status'] == 'pass', checks[check_id]['message']
    assert "the module has no class 'DenseLayer'" in checks['layers.api']['message']
    for check_id in ('neuron.perceptron', 'layers.gradients', 'layers.updates', 'layers.training'):
        assert checks[check_id]['points'] == 0 and "has no '" in checks[check_id]['message'], checks[check_id]
    assert 'no notebook' in checks['submission.files']['message']

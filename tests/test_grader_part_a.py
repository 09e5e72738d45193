"""Part A grading of the reference and of student-like mutants of it.

The mutants pin the tolerances down from both sides: a correct module that takes φ' and
L' from derivative() with δ = 0.03 must keep full marks; each real mistake must lose the
points of exactly the checks it breaks, with a message naming the function or layer.
"""
import functools

import pytest

from autograder.authoring.bundle import model_source
from autograder.checks.gradients import TOLERANCE
from autograder.authoring.examples.mutations import MUTATIONS, apply
from autograder.sandbox.isolation import Isolation
from autograder.grade import judge_part_a, probe_module
from autograder.settings import load_settings

SETTINGS = load_settings('eindopdracht-v2324.2')
ISOLATION = Isolation()       # the sandbox when this machine has it, as in real grading


@functools.lru_cache(maxsize=None)
def graded(mutation: str | None):
    """{check id: Check} for the reference (None) or a mutant, probed in a subprocess."""
    folder = ISOLATION.workspace()
    source = model_source()
    if mutation:
        source = apply(source, MUTATIONS[mutation])
    (folder / 'model.py').write_text(source, encoding='utf-8')
    request, run = probe_module(SETTINGS, folder, 'flat', limits=ISOLATION.probe_limits(SETTINGS),
                                sandbox=ISOLATION.sandbox)
    return {c.id: c for c in judge_part_a(SETTINGS, request, run)}, run


def statuses(checks):
    return {check_id: c.status for check_id, c in checks.items()}


def test_reference_gets_full_marks_on_every_part_a_check():
    checks, run = graded(None)
    assert run.finished and not run.problems
    assert all(c.status == 'pass' and c.points == c.max_points for c in checks.values()), \
        {i: c.message for i, c in checks.items() if c.status != 'pass'}


def test_numeric_derivatives_with_coarse_delta_still_pass():
    checks, _ = graded('numeric-derivatives')
    assert checks['layers.gradients'].status == 'pass'
    assert checks['layers.updates'].status == 'pass'
    worst = max(r['relative_error'] for rows in checks['layers.gradients'].details['layers'].values()
                for r in rows)
    worst_update = max(r['relative_error'] for r in checks['layers.updates'].details['rows'])
    # the margin the tolerance is chosen with (documented in checks/gradients.py)
    assert worst < TOLERANCE / 4 and worst_update < TOLERANCE / 4, (worst, worst_update)


def changed_checks(mutation):
    reference = statuses(graded(None)[0])
    checks, _ = graded(mutation)
    return {i: c for i, c in checks.items() if c.status != reference[i]}


def test_alpha_instead_of_alpha_over_n_fails_only_the_updates_and_says_so():
    changed = changed_checks('alpha-not-over-n')
    assert set(changed) == {'layers.updates'}
    message = changed['layers.updates'].message
    assert 'batch of 5' in message and '5× too large' in message and 'batch of 1' not in message
    assert changed['layers.updates'].points == pytest.approx(0.5 * changed['layers.updates'].max_points)


def test_softmax_with_only_the_diagonal_fails_the_softmax_gradient():
    changed = changed_checks('softmax-diagonal')
    # a broken gradient also spoils training; the update check is isolated from softmax
    assert set(changed) == {'layers.gradients', 'layers.training'}
    gradients = changed['layers.gradients']
    assert 'SoftmaxLayer' in gradients.message and 'Jacobian' in gradients.message
    assert 'DenseLayer' not in gradients.message and 'ActivationLayer' not in gradients.message
    assert gradients.points == pytest.approx(0.75 * gradients.max_points)


def test_dense_gradient_sign_error_is_named():
    changed = changed_checks('dense-gradient-sign')
    gradients = changed['layers.gradients']
    assert 'DenseLayer' in gradients.message and 'wrong sign' in gradients.message
    assert 'layers.updates' in changed    # the layer before it learns in the wrong direction


def test_gradient_taken_after_the_update_is_caught():
    changed = changed_checks('gradient-after-update')
    assert 'DenseLayer' in changed['layers.gradients'].message


def test_tanh_overflow_fails_table_and_hidden_points():
    changed = changed_checks('tanh-overflow')
    assert set(changed) == {'activations.table', 'activations.hidden'}
    assert 'tanh: wrong at -1000' in changed['activations.table'].message
    assert 'OverflowError' in changed['activations.table'].message
    hidden = changed['activations.hidden']
    assert 'tanh is wrong for large' in hidden.message and 'OverflowError' in hidden.message


def test_softplus_failing_only_between_710_and_1000_is_caught_by_hidden_points():
    changed = changed_checks('softplus-710')
    assert set(changed) == {'activations.hidden'}
    assert 'softplus is wrong for large positive arguments' in changed['activations.hidden'].message
    # the student view names the kind of point, never the point itself
    assert '745.' not in changed['activations.hidden'].message
    # the instructor's view has the point: the anchor 745.5 moved by the secret's jitter
    wrong = [w['argument'] for f in changed['activations.hidden'].hidden['failures'] for w in f.get('wrong', [])]
    assert any(abs(a - 745.5) < 745.5 * 2e-4 and a != 745.5 for a in wrong), wrong


def test_sigmoid_returning_one_at_minus_1000_breaks_sigmoid_and_swish():
    changed = changed_checks('sigmoid-catch')
    table = changed['activations.table'].message
    assert 'sigmoid: wrong at -1000' in table and 'swish: wrong at -1000' in table


def test_elish_and_hardelish_defects():
    assert 'elish is wrong for large negative' in changed_checks('elish-minus-one')['activations.hidden'].message
    changed = changed_checks('hardelish-unbound')
    assert 'hardelish' in changed['activations.table'].message
    assert 'UnboundLocalError' in changed['activations.table'].message


def test_renamed_layer_classes_lose_the_api_points_only():
    changed = changed_checks('renamed-layers')
    assert set(changed) == {'layers.api'}
    message = changed['layers.api'].message
    assert "named 'Dense' instead of 'DenseLayer'" in message
    assert "named 'Activation' instead of 'ActivationLayer'" in message


def test_module_that_raises_on_import_gives_a_complete_result():
    checks, run = graded('import-error')
    assert run.finished
    assert all(c.status == 'fail' and c.points == 0 for c in checks.values())
    assert len(checks) == 13
    for check in checks.values():
        assert check.message.startswith('Could not be checked: the module cannot be imported')
        assert 'RuntimeError: work in progress' in check.message and 'model.py:' in check.message


def test_a_function_returning_inf_is_graded_and_the_results_stay_valid_json(tmp_path):
    from autograder.results import Results, write_json_atomic
    import json
    changed = changed_checks('softplus-inf')
    assert set(changed) == {'activations.table', 'activations.hidden'}
    assert 'softplus: wrong at 1000 (expected 1000, found inf)' in changed['activations.table'].message
    results = Results(SETTINGS, 'quick', {'source': 'softplus-inf'})
    results.add(*graded('softplus-inf')[0].values())
    results.complete()
    write_json_atomic(tmp_path / 'grading.json', results.to_dict())      # allow_nan=False: must not raise
    checks = json.loads((tmp_path / 'grading.json').read_text())['checks']
    rows = next(c for c in checks if c['id'] == 'activations.table')['details']['rows']
    softplus = next(r for r in rows if r['function'] == 'softplus')
    assert softplus['cells'][-1]['found'] == 'inf'

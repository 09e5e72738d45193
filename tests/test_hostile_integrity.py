"""Result integrity, piece by piece (the corpus in test_hostile.py shows it end to end):
the grader's reading of the probe channel, the form and consistency checks of probe
records, the reading of the grader cell's report, and the secret order of the hidden set."""
from __future__ import annotations

import copy
import functools
import json
import random

import pytest

from autograder.authoring.bundle import model_source
from autograder.sandbox.isolation import Isolation
from autograder.checks.probe_failures import TAMPERED
from autograder.grade import judge_part_a, probe_module
from autograder.part_b.hidden_set import HiddenSet
from autograder.part_b.kernel_cell import MIME
from autograder.part_b.cell_report import read_report
from autograder.probes.collect import ProbeRun, parse_channel
from autograder.settings import load_settings

SETTINGS = load_settings('eindopdracht-v2324.2')
TOKEN = 'a' * 32


def line(record: dict, token: str | None = TOKEN) -> bytes:
    if token is not None:
        record = dict(record, token=token)
    return json.dumps(record).encode() + b'\n'


# --- the result channel -----------------------------------------------------------------------
def test_channel_keeps_token_lines_and_reports_the_rest():
    run = ProbeRun()
    data = (line({'event': 'result', 'task': 'derivative', 'ok': True, 'value': {}})
            + line({'event': 'result', 'task': 'training', 'ok': True}, token='b' * 32)
            + b'print("hello")\n' + line({'event': 'done'}))
    parse_channel(data, TOKEN, run)
    assert set(run.records) == {'derivative'} and run.finished
    assert run.tampered['*'] == ["a line without the run's token on the result channel"]


def test_a_second_result_or_a_tampering_note_taints():
    run = ProbeRun()
    result = {'event': 'result', 'task': 'derivative', 'ok': True, 'value': {}}
    parse_channel(line(result) + line(result) + line({'event': 'tampering', 'task': 'training',
                                                       'note': 'a second result for training'}), TOKEN, run)
    assert "a second result for 'derivative' on the result channel" in run.tampered['*']
    assert run.tampered['training'] == ['a second result for training']


def test_an_unfinished_last_line_is_no_tampering():
    run = ProbeRun()
    parse_channel(line({'event': 'result', 'task': 'derivative', 'ok': True, 'value': {}}) + b'{"event": "res',
                  TOKEN, run)
    assert not run.tampered and 'stopped while writing' in run.problems[0]
    assert 'ended before it reported' in run.ended_early


# --- probe records: forged in memory, judged as the grader would --------------------------------
@functools.cache
def reference_run():
    isolation = Isolation()
    folder = isolation.workspace()
    (folder / 'model.py').write_text(model_source(), encoding='utf-8')
    return probe_module(SETTINGS, folder, 'flat', limits=isolation.probe_limits(SETTINGS), sandbox=isolation.sandbox)


def judged(edit=None):
    request, run = reference_run()
    run = copy.deepcopy(run)
    run.tampered = {}
    if edit is not None:
        edit(request, run)
    return {c.id: c for c in judge_part_a(SETTINGS, request, run)}


def test_the_reference_is_not_suspected():
    checks = judged()
    assert all(c.status == 'pass' for c in checks.values()), {i: c.message for i, c in checks.items()}


def test_predictions_that_do_not_follow_from_the_weights_are_a_bug_judged_with_a_note():
    """A predict that adds the bias once per input (b·dim + w·x) is a bug, not tampering: the
    reported bias is half the one that predicts, and the checks judge the predictions."""
    def halve_bias(request, run):
        for task in request['tasks']:
            if task['kind'] == 'single_neuron' and task['id'] != 'neuron:linear-regression':
                state = run.records[task['id']]['value']['state']
                state['bias'] = state['bias'] / 2
    checks = judged(halve_bias)
    for check_id in ('neuron.svm', 'neuron.logistic'):
        check = checks[check_id]
        assert check.status == 'pass' and check.points == check.max_points, check.message
        assert 'predict uses b·dim + w·x instead of b + w·x' in check.message
        assert TAMPERED not in check.message and 'tampering' not in check.details
        assert check.details['inconsistencies'] == [
            'predict uses b·dim + w·x instead of b + w·x (with the bias and weights the model reports)']


def test_predictions_of_no_known_formula_are_named_and_judged_on_accuracy():
    def forge(request, run):
        for task in request['tasks']:
            if task['kind'] == 'single_neuron':
                value = run.records[task['id']]['value']
                value['predictions'] = list(task['ys'])
                value['state'] = {'bias': 1.0, 'weights': [-1.0, 1.0]}
    checks = judged(forge)
    svm = checks['neuron.svm']
    assert svm.status == 'pass' and TAMPERED not in svm.message        # perfect predictions: 100 %
    assert "do not follow from the model's own bias and weights (the sign of b + w·x differs at" in svm.message
    assert checks['neuron.linear-regression'].details['inconsistencies'][0].startswith(
        "the predictions do not follow from the model's own bias and weights (b + w·x differs at")


def test_a_falling_history_without_learning_is_named_not_called_tampering():
    def forge(request, run):
        value = run.records['training']['value']
        value['fitted'] = value['initial']
        task = next(t for t in request['tasks'] if t['id'] == 'training')
        from autograder.probes.reference import load_parameters, reference_network
        net = reference_network(task['network'])
        layer, position = net, 0
        while layer is not None:
            if str(position) in value['initial']:
                entry = value['initial'][str(position)]
                load_parameters(layer, entry['bias'], entry['weights'])
            layer, position = layer.next, position + 1
        value['predictions'] = net.predict(task['val_xs'])
    training = judged(forge)['layers.training']
    assert 'after fit()' in training.message and TAMPERED not in training.message, training.message
    assert "the history claims the training loss fell" in training.details['inconsistencies'][0]


@pytest.mark.parametrize('task_id, garbage, check_id', [
    ('activation:tanh', {'values': [{'value': 1.0}]}, 'activations.table'),       # too few values
    ('neuron:svm', 'passed', 'neuron.svm'),
    ('gradient:DenseLayer:N=4', {'gs': [], 'ls': [], 'plus': 1, 'minus': 2, 'layer': 'x', 'bias': 0,
                                 'weights': 0}, 'layers.gradients'),
    ('training', {'history': None}, 'layers.training'),
])
def test_records_not_in_the_runners_form_fail_their_check_only(task_id, garbage, check_id):
    def forge(request, run):
        run.records[task_id]['value'] = garbage
    checks = judged(forge)
    assert checks[check_id].status == 'fail' and TAMPERED in checks[check_id].message
    assert sum(c.status != 'pass' for c in checks.values()) == (2 if check_id == 'activations.table' else 1)


def test_an_error_that_is_not_an_error_record_does_not_crash_a_check():
    def forge(request, run):
        run.records['derivative'] = {'event': 'result', 'task': 'derivative', 'ok': False, 'error': 'boom'}
    checks = judged(forge)
    assert checks['derivative'].status == 'fail' and TAMPERED in checks['derivative'].message


def test_probes_that_never_reported_say_why():
    def cut(request, run):
        for task_id in [t for t in run.records if t.startswith(('update:', 'training'))]:
            del run.records[task_id]
        run.finished, run.returncode, run.sandbox_note = False, -9, 'killed by signal 9 (SIGKILL)'
    checks = judged(cut)
    for check_id in ('layers.updates', 'layers.training'):
        assert 'the probe process ended before it reported (killed by signal 9' in checks[check_id].message
    assert checks['layers.gradients'].status == 'pass'


# --- the grader cell's report ---------------------------------------------------------------------
def honest() -> dict:
    return {'model_found': True, 'model_class': 'InputLayer',
            'layers': [{'class': 'ActivationLayer', 'name': 'a', 'outputs': 8, 'activation': 'elish',
                        'activation_module': 'model'}],
            'history': {'loss': [1.0, 0.5], 'val_loss': [1.1, 'inf']},
            'predictions': [0, 25, 30], 'predict_seconds': 0.5, 'own_test': {'instances': 10, 'accuracy': 0.3}}


def grader_run(*reports) -> dict:
    return {'status': 'ok', 'outputs': [{'output_type': 'stream', 'text': 'hi'}] +
            [{'output_type': 'display_data', 'data': {MIME: r}} for r in reports]}


def test_an_honest_report_is_read_as_is():
    report, problems = read_report(grader_run(honest()))
    assert not problems
    assert report['predictions'] == [0, 25, 30] and report['history']['val_loss'] == [1.1, 'inf']


@pytest.mark.parametrize('change, checks', [
    ({'predictions': ['A', 1]}, {'partb.accuracy'}),
    ({'predictions': [True, 1]}, {'partb.accuracy'}),
    ({'predictions': [-1, 1]}, {'partb.accuracy'}),
    ({'history': {'loss': 'falling'}}, {'partb.overfitting'}),
    ({'layers': 'elish'}, {'partb.activation'}),
    ({'model_found': 'yes'}, {'partb.activation', 'partb.accuracy'}),
    ({'own_test': {'instances': 10, 'accuracy': 3.0}}, {'partb.accuracy'}),
])
def test_values_the_grader_cell_cannot_produce_are_tampering(change, checks):
    _, problems = read_report(grader_run(dict(honest(), **change)))
    assert set(problems) == checks


def test_two_reports_are_tampering_with_every_report_check():
    _, problems = read_report(grader_run(honest(), honest()))
    assert set(problems) == {'partb.activation', 'partb.accuracy', 'partb.overfitting'}


def test_no_report_is_no_tampering():
    assert read_report(grader_run()) == (None, {})
    assert read_report(None) == (None, {})


# --- the hidden set's order ------------------------------------------------------------------------
def test_the_hidden_set_is_sent_in_a_secret_order():
    images = [f'{i:02x}' * 72 for i in range(52)]
    hidden = HiddenSet(images, [i % 26 for i in range(52)], [3, 7], dither_seed=9)
    shuffled = hidden.shuffled(random.Random(1))
    assert sorted(zip(shuffled.images, shuffled.labels)) == sorted(zip(hidden.images, hidden.labels))
    guess = [i % 26 for i in range(52)]          # what a forger without a model would send
    assert sum(g == y for g, y in zip(guess, shuffled.labels)) < 26


def test_a_malformed_import_record_is_tampering_with_everything():
    def forge(request, run):
        run.records['import'] = {'event': 'result', 'task': 'import', 'ok': False, 'error': 'no', 'stdout': 1}
    checks = judged(forge)
    assert all(c.status == 'fail' and TAMPERED in c.message for c in checks.values())


def test_a_fault_in_a_check_is_an_error_for_the_instructor_not_a_failure(monkeypatch):
    import autograder.checks.derivative as derivative_check

    def broken(*args, **kwargs):
        raise KeyError('values')
    monkeypatch.setattr(derivative_check, 'judge', broken)
    checks = judged()
    derivative = checks['derivative']
    assert derivative.status == 'error' and derivative.points == 0
    assert 'KeyError' in derivative.message and 'ask your instructor' in derivative.message
    assert 'broken' in derivative.hidden['traceback']
    assert all(c.status == 'pass' for check_id, c in checks.items() if check_id != 'derivative')


@pytest.mark.parametrize('task_prefix, check_id', [
    ('derivative', 'derivative'), ('activation:tanh', 'activations.table'), ('neuron:svm', 'neuron.svm'),
    ('layers_api', 'layers.api'), ('gradient:', 'layers.gradients'), ('update:', 'layers.updates'),
    ('training', 'layers.training')])
def test_a_probe_that_raised_is_reported_with_the_students_line(task_prefix, check_id):
    def raised(request, run):
        for task_id in [t for t in run.records if t.startswith(task_prefix)]:
            run.records[task_id] = {'event': 'result', 'task': task_id, 'ok': False,
                                    'error': {'type': 'ZeroDivisionError', 'message': 'float division by zero',
                                              'where': ['model.py:3 in <module>', 'model.py:97 in tanh']}}
    check = judged(raised)[check_id]
    assert check.status in ('fail', 'partial') and check.points < check.max_points
    assert 'ZeroDivisionError: float division by zero at model.py:97 in tanh' in check.message + str(check.details)


# --- the worker's serialisation ---------------------------------------------------------------------
def test_a_json_dumps_that_rewrites_results_marks_them_and_the_parent_calls_it_tampering(monkeypatch):
    from autograder.probes.vlgrader_probe import worker
    from autograder.probes.vlgrader_probe.parent import Parent
    real = json.dumps
    record = {'event': 'result', 'task': 'neuron:svm', 'ok': True, 'value': {'predictions': [0.5, -0.5]}}

    def forged(obj, *args, **kwargs):         # as a forger would: rewrite the record in place
        if obj.get('event') == 'result':
            obj['value']['predictions'] = [1.0, -1.0]
        return real(obj, *args, **kwargs)
    monkeypatch.setattr(json, 'dumps', forged)
    sent = json.loads(worker.serialise(copy.deepcopy(record)))
    assert sent == {**record, 'serialisation': 'rewritten'}       # what the module really predicted
    monkeypatch.setattr(json, 'dumps', lambda obj, *args, **kwargs: real(obj, *args, **kwargs))
    assert json.loads(worker.serialise(copy.deepcopy(record))) == record     # a harmless wrapper
    monkeypatch.setattr(json, 'dumps', real)

    class Channel(list):
        def write(self, text):
            self.append(json.loads(text))

        def flush(self):
            pass
    channel = Channel()
    parent = Parent({'token': TOKEN, 'tasks': [{'id': 'neuron:svm'}]}, channel)
    state = {'current': 'neuron:svm', 'started': True, 'seen_import': True, 'import_ok': True}
    assert parent.accept(real({**record, 'serialisation': 'rewritten'}), state) == ('result', 'neuron:svm', True)
    tampering, result = channel
    assert tampering['event'] == 'tampering' and 'rewritten by a replaced json.dumps' in tampering['note']
    assert result['event'] == 'result' and 'serialisation' not in result
    run = ProbeRun()
    parse_channel(b''.join(real(r).encode() + b'\n' for r in channel), TOKEN, run)
    assert list(run.tampered) == ['neuron:svm']

"""Review flags (issue 21): computed by the grader with their evidence, never a score.

The watch cell (part_b/kernel_cell.py) runs here in a plain interpreter namespace, as the
kernel runs it; the flags are computed from what it recorded and from real hand-in folders.
"""
import json
import shutil
import sys
import textwrap

import pytest

from autograder.part_b.cell_report import clean_watch
from autograder.part_b.kernel_cell import WATCH, watch_source
from autograder.report.dashboard import render_dashboard
from autograder.report import render_instructor, render_student
from autograder.review.determinism import differences
from autograder.review.flags import accuracy_flag, extra_files, nondeterminism_flag, training_flags
from autograder.probes.collect import ProbeRun

MODULE = '''
class Net:
    def __init__(self):
        self.seen = 0

    def partial_fit(self, xs, ys, *, alpha=0.1):
        self.seen += len(xs)
        return 1.0

    def fit(self, xs, ys, *, alpha=0.001, epochs=100, batch_size=None):
        return {'loss': [self.partial_fit(xs, ys, alpha=alpha) for _ in range(epochs)]}
'''


@pytest.fixture
def kernel_like(tmp_path, monkeypatch):
    """A workspace with the student's module imported, and a namespace standing in for the
    kernel's globals (IPython keeps its own open() there)."""
    (tmp_path / 'netmod.py').write_text(MODULE)
    (tmp_path / 'weights.json').write_text(json.dumps({'w': [1, 2]}))
    (tmp_path / 'EMNIST_mini.dat').write_bytes(b'\0' * 72)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    import netmod
    namespace = {'open': open, 'netmod': netmod}
    exec(watch_source(['EMNIST_mini.dat']), namespace)
    yield namespace
    namespace[WATCH]['restore']()
    sys.modules.pop('netmod', None)


def test_the_watch_records_training_calls_and_files_read_in_the_workspace(kernel_like):
    ns = kernel_like
    code = textwrap.dedent('''
        import json
        model = netmod.Net()
        with open('weights.json') as handle:
            weights = json.load(handle)
        with open('EMNIST_mini.dat', 'rb') as handle:
            handle.read()
        with open('plot.txt', 'w') as handle:
            handle.write('x')
        model.fit([[0.0]] * 3, [[1.0]] * 3, alpha=0.0, epochs=2)
        my_history = model.fit([[0.0]] * 250, [[1.0]] * 250, alpha=0.5, epochs=4)
        ''')
    exec(code, ns)
    watch = ns[WATCH]
    assert ns['model'].seen == 3 * 2 + 250 * 4               # the wrapped methods still train
    # outer fit() calls only (fit's own partial_fit calls are not counted twice)
    assert [(c['method'], c['instances'], c['alpha'], c['epochs']) for c in watch['calls']] == [
        ('fit', 3, 0.0, 2.0), ('fit', 250, 0.5, 4.0)]
    assert [(o['path'], o['mode']) for o in watch['opened']] == [('weights.json', 'r'), ('plot.txt', 'w')]
    history_from = next(i for i, c in enumerate(watch['calls']) if c['result'] is ns['my_history'])
    cleaned = clean_watch({'calls': [{k: v for k, v in c.items() if k != 'result'} for c in watch['calls']],
                           'opened': watch['opened'], 'history_from': history_from})
    flags = {f['code']: f for f in training_flags(cleaned, ns['my_history'], 100, 'EMNIST_mini.dat')}
    assert set(flags) == {'files-loaded', 'training-alpha-zero'}
    assert 'weights.json' in flags['files-loaded']['evidence'] and 'plot.txt' not in flags['files-loaded']['evidence']
    assert flags['training-alpha-zero']['evidence'] == 'fit() was called with alpha = 0 (1 of 2 training calls).'


def test_restoring_puts_back_the_methods_and_open(kernel_like):
    ns = kernel_like
    import builtins
    assert hasattr(ns['netmod'].Net.fit, '__autograder_original__') and builtins.open is not ns['open']
    ns[WATCH]['restore']()
    assert not hasattr(ns['netmod'].Net.fit, '__autograder_original__')
    assert ns['open'] is open and builtins.open is open


def test_a_history_trained_elsewhere_and_a_handful_of_instances_are_flagged():
    watch = clean_watch({'calls': [{'class': 'InputLayer', 'method': 'fit', 'instances': 1, 'alpha': 0.0,
                                    'epochs': 1}], 'opened': [], 'history_from': None})
    history = {'loss': [1.0] * 50, 'val_loss': [1.0] * 50}
    flags = {f['code']: f for f in training_flags(watch, history, 100, 'EMNIST_mini.dat')}
    assert set(flags) == {'training-alpha-zero', 'training-few', 'history-mismatch'}
    assert flags['history-mismatch']['evidence'] == ('The history has 50 entries, but the graded run trained 1 '
                                                     'epochs in all (1 training calls).')
    assert flags['training-few']['details'] == {'instances': 1, 'minimum': 100}


def test_the_master_notebooks_two_fits_joined_into_one_history_are_not_flagged():
    watch = clean_watch({'calls': [{'method': 'fit', 'instances': 2808, 'alpha': 0.25, 'epochs': 4},
                                   {'method': 'fit', 'instances': 2808, 'alpha': 0.1, 'epochs': 1}],
                         'opened': [], 'history_from': None})
    assert training_flags(watch, {'loss': [1.0] * 5, 'val_loss': [1.0] * 5}, 100, 'EMNIST_mini.dat') == []
    # the history one fit() returned must have that call's epochs
    watch['history_from'] = 1
    [flag] = training_flags(watch, {'loss': [1.0] * 5}, 100, 'EMNIST_mini.dat')
    assert flag['details'] == {'length': 5, 'epochs': 1.0}


def test_malformed_watch_records_are_dropped_not_trusted():
    assert clean_watch({'calls': 'x', 'opened': []}) is None
    assert clean_watch({'calls': [5], 'opened': []}) is None
    cleaned = clean_watch({'calls': [{'method': 'fit', 'instances': True, 'alpha': float('nan')}],
                           'opened': [], 'history_from': 7})
    assert cleaned['calls'][0]['instances'] is None and cleaned['calls'][0]['alpha'] is None
    assert cleaned['history_from'] is None


def test_hidden_accuracy_far_above_own_is_flagged_beyond_the_margin_only():
    assert accuracy_flag(0.70, 0.62, 0.15) is None
    flag = accuracy_flag(1.0, 0.667, 0.15)
    assert flag['code'] == 'hidden-above-own' and '100.0%' in flag['evidence'] and '66.7%' in flag['evidence']
    assert accuracy_flag(0.9, None, 0.15) is None           # no own test split: nothing to compare


def test_extra_files_beyond_module_notebook_and_export(tmp_path):
    for name in ('model.py', 'notebook.ipynb', 'notebook.html', 'helpers.py', 'README.md', 'weights.json',
                 '__MACOSX/._model.py', 'data/table.pkl'):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b'12345')
    flag = extra_files(tmp_path, [tmp_path / 'model.py', tmp_path / 'notebook.ipynb', tmp_path / 'notebook.html'])
    assert [f['file'] for f in flag['details']['files']] == ['data/table.pkl', 'weights.json']
    assert extra_files(tmp_path / 'data', [tmp_path / 'data' / 'table.pkl']) is None


def test_differences_between_two_probe_processes():
    request = {'tasks': [{'id': 'activation:tanh', 'kind': 'call', 'function': 'tanh', 'args': [[0.5], [1.0]]}]}
    first, second = ProbeRun(), ProbeRun()
    first.records['activation:tanh'] = {'ok': True, 'value': {'values': [{'value': 0.4621}, {'value': 0.7616}]}}
    second.records['activation:tanh'] = {'ok': True, 'value': {'values': [{'value': 0.4621}, {'value': 0.1}]}}
    found = differences(request, first, second)
    assert found == [{'function': 'tanh', 'argument': '1.0', 'first': '0.7616', 'second': '0.1'}]
    assert differences(request, first, first) == []
    flag = nondeterminism_flag(found)
    assert flag['evidence'] == ('A second probe process got other values: tanh(1.0) was 0.7616, then 0.1 '
                                '(1 differences).')


def test_flags_show_to_the_instructor_and_on_the_dashboard_never_to_the_student(tmp_path):
    from autograder.grade import GradeOptions, grade
    from autograder.settings import load_settings
    folder = tmp_path / 'hand-in'
    folder.mkdir()
    from autograder.authoring.bundle import model_source
    (folder / 'model.py').write_text(model_source())
    (folder / 'weights.json').write_text('{}')
    document = grade(folder, load_settings('eindopdracht-v2324.2'), tmp_path / 'out',
                     GradeOptions(mode='check', progress=False))
    document['review'] = [extra_files(folder, [folder / 'model.py'])]
    instructor, student = render_instructor(document), render_student(document)
    assert 'data-flag="extra-files"' in instructor and 'weights.json (2 bytes)' in instructor
    assert 'data-flag="extra-files"' not in student and 'To review' not in student
    assert 'data-flag="test-secret"' in instructor          # graded with the public test secret: said
    dashboard = render_dashboard([document])
    assert 'data-testid="to-review"' in dashboard and 'data-flag="extra-files"' in dashboard


def test_the_grades_export_has_a_review_column_with_the_flags_that_ask_for_a_look(tmp_path):
    import csv
    from pathlib import Path

    from autograder.batch.exports import GRADES_COLUMNS, Row, write_grades_csv
    from autograder.batch.gradebook import GRADED, Record
    from autograder.batch.inbox import Attempt
    flags = [training_flags(clean_watch({'calls': [{'method': 'fit', 'instances': 1, 'alpha': 0.0, 'epochs': 1}],
                                         'opened': []}), None, 100, 'EMNIST_mini.dat'),
             [{'code': 'hidden-not-secret', 'title': 'Hidden set from the data file students have',
               'evidence': 'x', 'note': True}]]
    rows = []
    for name, review in zip(('bob', 'carol'), flags):
        record = Record('a', name, '', 'bob.zip', 'c' * 64, 'quick', 'f', '1', GRADED, points=90.0, max_points=100.0,
                        grade=9.1, passed=1, results_json=json.dumps({'review': review}))
        rows.append(Row(Attempt(name, '', Path(f'{name}.zip'), 'c' * 64, (f'{name}.zip',)), record, True))
    write_grades_csv(rows, tmp_path / 'grades.csv')
    with open(tmp_path / 'grades.csv', newline='', encoding='utf-8') as handle:
        table = {r['student']: r for r in csv.DictReader(handle)}
    assert GRADES_COLUMNS[-1] == 'review'
    assert table['bob']['review'] == ('Trained with learning rate 0: fit() was called with alpha = 0 (1 of 1 training '
                                      'calls). | Trained on a handful of instances: The graded run trains on at '
                                      'most 1 instances (fewer than 100).')
    assert table['carol']['review'] == '' and table['bob']['grade'] == '9.1'     # a note is not a flag; no penalty


def test_a_module_that_answers_randomly_per_process_differs_between_two_probe_processes():
    from autograder.authoring.bundle import model_source
    from autograder.grade import probe_module
    from autograder.review.determinism import RERUN_KINDS
    from autograder.sandbox.isolation import Isolation
    from autograder.settings import load_settings
    settings, isolation = load_settings('eindopdracht-v2324.2'), Isolation()
    noisy = model_source() + ('\n\nimport random as _random\n_NOISE = _random.random() * 1e-3   # drawn once per process\n'
                              '_tanh = tanh\n\n\ndef tanh(a):\n    return _tanh(a) + _NOISE\n')
    runs = {}
    for name, source in (('steady', model_source()), ('noisy', noisy)):
        pair = []
        for _ in range(2):
            folder = isolation.workspace()
            try:
                (folder / 'model.py').write_text(source, encoding='utf-8')
                pair.append(probe_module(settings, folder, 'flat', kinds=RERUN_KINDS,
                                         limits=isolation.probe_limits(settings), sandbox=isolation.sandbox))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        assert {t['kind'] for t in pair[0][0]['tasks']} == set(RERUN_KINDS)
        runs[name] = differences(pair[0][0], pair[0][1], pair[1][1])
    assert runs['steady'] == []
    assert runs['noisy'] and {d['function'] for d in runs['noisy']} == {'tanh'}
    assert nondeterminism_flag(runs['noisy'])['evidence'].startswith('A second probe process got other values: tanh(')

"""The HTML reports (autograder.report), on small, realistic results documents built here
with autograder.results: what each view shows, what the student view never shows, that the
pages are self-contained and accessible, and the class dashboard. Fast: nothing is graded.
(The end-to-end test on really graded examples is test_report_e2e.py; the browser test is
test_report_browser.py.)"""
from __future__ import annotations

import copy
import json
import math
import re

import pytest
from bs4 import BeautifulSoup

from autograder.probes.points import activation_grid, loss_grid
from helpers.html import article, soup, text
from autograder.report import render_instructor, render_student, write_dashboard, write_reports
from autograder.report import plots
from autograder.report.formatting import exact, number
from autograder.results import Check, Results
from autograder.settings import load_settings
from vlearning import activation_functions, loss_functions

SETTINGS = load_settings('eindopdracht-v2324.2')
# Distinctive hidden values: they occur nowhere but under the checks' `hidden`.
HIDDEN_POINTS = [-1e300, -745.5, -709.5, 2.350169, 4.547417, -0.410453, 709.5, 745.5, 1e300]
HIDDEN_EXPECTED = math.tanh(2.350169)       # the expected value at a hidden point
HIDDEN_LABELS = [3, 1, 2, 0, 3, 3, 1, 0, 2, 1]
HIDDEN_PREDICTIONS = [3, 1, 2, 1, 3, 0, 1, 0, 2, 1]
ATTACK = '<script>alert("x")</script>'


# --- a realistic flawed submission ---------------------------------------------------------
def _curve(name, student):
    xs = activation_grid()
    reference = getattr(activation_functions, name)
    ref = [reference(x) for x in xs]
    values, errors, wrong = [], [], []
    for x, r in zip(xs, ref):
        try:
            value = student(x)
            values.append(value); errors.append(None)
            wrong.append(not math.isclose(value, r, rel_tol=1e-6, abs_tol=1e-9))
        except OverflowError:
            values.append(None); errors.append('OverflowError'); wrong.append(True)
    return {'function': name, 'x': xs, 'student': values, 'reference': ref, 'errors': errors, 'wrong': wrong,
            'target': None}


def _naive_tanh(x):
    return (math.exp(x) - math.exp(-x)) / (math.exp(x) + math.exp(-x))


def _wrong_elish(x):
    return activation_functions.elish(x) * (1.5 if x < 0 else 1.0)


def _activation_checks():
    args = SETTINGS.activations.arguments
    rows, curves = [], []
    for name in ('linear', 'tanh', 'elish'):
        reference = getattr(activation_functions, name)
        cells = []
        for a in args:
            expected = reference(a)
            if name == 'tanh' and abs(a) >= 700:
                cells.append({'argument': a, 'expected': expected, 'found': 'OverflowError: math range error',
                              'ok': False, 'error': True})
            elif name == 'elish' and a < 0 and abs(a) < 700:
                cells.append({'argument': a, 'expected': expected, 'found': _wrong_elish(a), 'ok': False})
            else:
                cells.append({'argument': a, 'expected': expected, 'found': expected, 'ok': True})
        rows.append({'function': name, 'cells': cells})
        student = {'linear': reference, 'tanh': _naive_tanh, 'elish': _wrong_elish}[name]
        curves.append(_curve(name, student))
    rows.append({'function': 'nipuna', 'missing': "the module has no function 'nipuna' (did you mean 'nipuma'?)",
                 'cells': [{'argument': a, 'expected': activation_functions.nipuna(a), 'ok': False, 'found': None}
                           for a in args]})
    table = Check.scored('activations.table', 'Activation functions: the table of Deel A', 0.6, 10.0,
                         'Not as expected — tanh: wrong at -1000 (expected -1, found OverflowError: math range '
                         'error), 1000 (expected 1, found OverflowError: math range error); elish: wrong at -1.',
                         details={'arguments': args, 'target': None, 'rows': rows, 'curves': curves})
    hidden = Check.scored(
        'activations.hidden', 'Activation functions at hidden probe points', 0.5, 5.0,
        'Some functions fail at points outside the table — tanh is wrong for large positive arguments '
        '(|x| ≥ 700, where math.exp overflows) (raises OverflowError).',
        details={'functions': [{'function': 'linear', 'ok': True},
                               {'function': 'tanh', 'ok': False, 'errors': ['OverflowError'],
                                'where': ['large positive arguments (|x| ≥ 700, where math.exp overflows)']},
                               {'function': 'elish', 'ok': False, 'errors': [], 'where': ['ordinary arguments']},
                               {'function': 'nipuna', 'ok': False, 'problem': "the module has no function 'nipuna'"}]},
        hidden={'failures': [{'function': 'tanh', 'wrong': [
            {'argument': 745.5, 'expected': 1.0, 'found': 'OverflowError: math range error'},
            {'argument': 2.350169, 'expected': HIDDEN_EXPECTED, 'found': 0.9}]},
            {'function': 'nipuna', 'problem': "the module has no function 'nipuna'"}],
            'points': HIDDEN_POINTS})
    return [table, hidden]


def _loss_checks():
    args = SETTINGS.losses.arguments
    rows = [{'function': name, 'cells': [{'argument': [a, 1.0], 'expected': getattr(loss_functions, name)(a, 1.0),
                                          'found': getattr(loss_functions, name)(a, 1.0), 'ok': True}
                                         for a in args]} for name in ('mean_squared_error', 'hinge')]
    grid = loss_grid()
    curves = [{'function': r['function'], 'x': grid, 'student': [getattr(loss_functions, r['function'])(x, 1.0) for x in grid],
               'reference': [getattr(loss_functions, r['function'])(x, 1.0) for x in grid],
               'errors': [None] * len(grid), 'wrong': [False] * len(grid), 'target': 1.0} for r in rows]
    return [Check.scored('losses.table', 'Loss functions: the table of Deel A', 1.0, 5.0,
                         'All 2 functions give the expected values at 0.01, 0.1, 0.5, 0.9, 0.99.',
                         details={'arguments': args, 'target': 1.0, 'rows': rows, 'curves': curves}),
            Check.scored('losses.hidden', 'Loss functions at hidden probe points', 1.0, 3.0,
                         'All 2 functions are right at every hidden probe point.',
                         details={'functions': [{'function': 'mean_squared_error', 'ok': True},
                                                {'function': 'hinge', 'ok': True}]},
                         hidden={'failures': [], 'points': [[0.594496, 1.0], [0.877738, 0.0]]})]


def _layer_checks():
    def row(label, error, ok=True, message=''):
        return {'task': f'gradient:{label}', 'label': label, 'batch': 3, 'relative_error': error, 'ok': ok,
                'message': message, 'suspicious': False}
    gradients = Check.scored(
        'layers.gradients', 'Backpropagation: gs of every layer type against finite differences', 0.75, 8.0,
        'SoftmaxLayer (SoftmaxLayer, N=3): gs differ from the finite differences of its own losses '
        '(relative error 0.512, tolerance 0.03).',
        details={'tolerance': 0.03, 'alpha': 0.5, 'layers': {
            'LossLayer': [row('mean_squared_error', 1.37e-12)],
            'ActivationLayer': [row('tanh', 6.1e-11), row('elish', None, False, 'raised OverflowError')],
            'SoftmaxLayer': [row('SoftmaxLayer', 0.512, False, 'gs differ from the finite differences '
                                 '(relative error 0.512, tolerance 0.03). Expected the full Jacobian.')],
            'DenseLayer': [row('N=1', 4.1e-12)]}})
    updates = Check.scored(
        'layers.updates', 'DenseLayer updates', 0.5, 6.0,
        'batch of 5, DenseLayer at position 1: it is 5× too large: the batch size N = 5 is not divided out.',
        details={'tolerance': 0.03, 'rows': [{'batch': 1, 'layer': 1, 'ok': True, 'relative_error': 5e-11},
                                             {'batch': 5, 'layer': 1, 'ok': False, 'relative_error': 0.8}]})
    api = Check.scored('layers.api', 'Layers: names, chaining, indexing, reprs and initialisation', 0.5, 4.0,
                       "DenseLayer is named 'Dense' instead of 'DenseLayer'.",
                       details={'items': [{'what': 'class InputLayer', 'ok': True, 'problem': ''},
                                          {'what': 'class DenseLayer', 'ok': False,
                                           'problem': "named 'Dense' instead of 'DenseLayer'"}]})
    return [gradients, updates, api]


def _notebook():
    tb = ['\x1b[31m---------------------------------------------------------------------------\x1b[39m',
          '\x1b[31mNameError\x1b[39m                                 Traceback (most recent call last)',
          "\x1b[32m----> \x1b[39m\x1b[32m4\x1b[39m data.scatter(xs, ys, model=my_modle)",
          "\x1b[31mNameError\x1b[39m: name 'my_modle' is not defined"]
    cells = [
        {'index': 1, 'status': 'ok', 'start': 0.5, 'end': 1.6, 'seconds': 1.1, 'error': None,
         'source': 'import model\nimport data', 'truncated_chars': 0},
        {'index': 3, 'status': 'error', 'start': 1.6, 'end': 1.7, 'seconds': 0.1,
         'error': {'ename': 'NameError', 'evalue': "name 'my_modle' is not defined", 'traceback': tb},
         'source': f'data.scatter(xs, ys, model=my_modle)  # {ATTACK}', 'truncated_chars': 0},
        {'index': 5, 'status': 'timeout', 'start': 1.7, 'end': 601.7, 'seconds': 600.0, 'error': None,
         'source': 'while True:\n    pass', 'truncated_chars': 0},
        {'index': 7, 'status': 'not-run', 'start': None, 'end': None, 'seconds': None, 'error': None,
         'source': 'print("never")', 'truncated_chars': 0},
    ]
    return {'cells': cells, 'seconds': 601.7, 'startup_seconds': 0.5, 'kernel_died_in': None, 'timed_out': False,
            'error': None, 'injected_parameters': {'epochs': 5}, 'grader_cell': {'status': 'ok'}}


def _part_b_checks():
    letters = 'ABCD'
    matrix = [[0] * 4 for _ in range(4)]
    for p, y in zip(HIDDEN_PREDICTIONS, HIDDEN_LABELS):
        matrix[y][p] += 1
    history = {'loss': [2.0, 1.2, 0.8, 0.5, 0.3, 0.2], 'val_loss': [2.1, 1.3, 1.0, 1.1, 1.3, 1.6]}
    return [
        Check.scored('notebook.runs', 'The notebook runs top to bottom without errors', 0.0, 5.0,
                     "Not every cell ran cleanly: cell 3 raised NameError: name 'my_modle' is not defined; "
                     'cell 5 was stopped at its time limit after 600 s.',
                     details={'cells': 4, 'ran': 3, 'failing': [3, 5], 'seconds': 601.7}),
        Check.scored('partb.activation', 'Deel B uses elish or hardelish', 0.0, 5.0,
                     "The model's activation layers use tanh; the assignment requires elish or hardelish.",
                     details={'layers': [{'class': 'InputLayer', 'name': 'InputLayer_1', 'outputs': 144,
                                          'activation': None, 'activation_module': None},
                                         {'class': 'ActivationLayer', 'name': 'ActivationLayer_1', 'outputs': 96,
                                          'activation': 'tanh', 'activation_module': 'model'}],
                              'used': []}),
        Check.scored('partb.time', 'Deel B: the graded run takes at most 5 minutes (normalised)', 0.0, 5.0,
                     'The graded run took 6.3 normalised minutes; the limit is 5.',
                     details={'minutes': 7.0, 'normalised_minutes': 6.3, 'limit_minutes': 5.0, 'speed_factor': 0.9,
                              'nominal_seconds_per_1000': 3.25, 'measured_seconds_per_1000': 3.6,
                              'locked_cells': [40, 49], 'structure_problems': []}),
        Check.scored('partb.accuracy', 'Deel B accuracy on the hidden test set (minimum 70%, target 80%)',
                     0.7, 10.0, '80.0% of the 10 hidden test images are classified correctly (8).',
                     details={'accuracy': 0.8, 'instances': 10, 'minimum': 0.7, 'target': 0.8,
                              'own_test': {'instances': 150, 'accuracy': 0.74}, 'labels': letters,
                              'per_class': [r[i] / sum(r) for i, r in enumerate(matrix)], 'confusion': matrix,
                              'predict_seconds': 0.4},
                     hidden={'predictions': HIDDEN_PREDICTIONS, 'labels': HIDDEN_LABELS}),
        Check.scored('partb.overfitting', 'Deel B does not visibly overfit', 0.0, 5.0,
                     'Overfitting: the validation loss rose from 1 (epoch 3) to 1.6 at the end (+60%; allowed +10%).',
                     details={'rule': 'validation loss at the end ≤ 1.10 × its minimum, and ≤ 2 × the training loss',
                              'history': history, 'validation_key': 'val_loss', 'last': 1.6, 'minimum': 1.0,
                              'best_epoch': 3, 'train_last': 0.2}),
    ]


def synthetic_document(*, mode='grade', student='Jansen, Anna', source='anna-jansen.zip', rejected=None):
    """A results document of a flawed submission, as grade() would write it."""
    results = Results(SETTINGS, 'quick', submission={
        'source': source, 'checksum': 'ab' * 32, 'student': student, 'attempt': 2,
        'module_kind': 'flat',
        'findings': [{'level': 'warning', 'code': 'extra-files', 'message': f'3 extra files were ignored {ATTACK}'}]},
        mode=mode)
    results.started, results.finished = '2026-11-21T10:00:00+00:00', '2026-11-21T10:01:30+00:00'
    results.timings = {'intake': 0.01, 'probes': 0.7, 'execution': 88.0, 'total': 90.0}
    results.environment = {'grader_version': '0.7.0', 'python': '3.11.7', 'sandboxed': True,
                           'probes': {'seconds': 0.6, 'finished': True, 'returncode': 0, 'timed_out': False,
                                      'problems': [], 'stderr_tail': 'debug: tanh(745.5) overflowed',
                                      'sandboxed': True, 'sandbox_note': ''},
                           'calibration': {'seconds_per_1000': 3.6}}
    results.add(Check.scored('submission.files', 'The hand-in holds the module, the notebook and its HTML export',
                             1.0, 2.0, 'All three files are there, named as the assignment asks.',
                             details={'findings': results.submission['findings'], 'module_kind': 'flat',
                                      'files': {'module': 'model.py', 'notebook': 'Eindopdracht.ipynb', 'html': None}}))
    results.add(Check.scored('static.imports', 'The module imports only the Python standard library', 0.0, 5.0,
                             'The module imports numpy, outside the standard library: model.py:3: import numpy as np.',
                             details={'files': ['model.py'], 'unreadable': [], 'violations': [
                                 {'module': 'numpy', 'where': 'model.py:3', 'statement': 'import numpy as np',
                                  'optional': False, 'dynamic': False}]}))
    results.add(*_activation_checks(), *_loss_checks(), *_layer_checks())
    if rejected:
        results.submission['rejected'] = rejected
    if mode == 'grade':
        results.add(*_part_b_checks())
        results.notebook = _notebook()
    else:
        for check_id in ('notebook.runs', 'partb.activation', 'partb.time', 'partb.accuracy', 'partb.overfitting'):
            results.add(Check(check_id, check_id, 'skipped', 0.0, SETTINGS.points[check_id],
                              'Not run by `autograder check`.'))
    results.complete()
    return json.loads(json.dumps(results.to_dict()))


@pytest.fixture(scope='module')
def document():
    return synthetic_document()


@pytest.fixture(scope='module')
def student_html(document):
    return render_student(document)


@pytest.fixture(scope='module')
def instructor_html(document):
    return render_instructor(document)








# --- the header and the checks --------------------------------------------------------------
def test_header_shows_student_assignment_date_score_and_hard_requirements(document, student_html):
    page = soup(student_html)
    assert text(page.h1) == SETTINGS.title
    header = text(page.find('header'))
    assert 'Jansen, Anna' in header and 'anna-jansen.zip' in header and '(attempt 2)' in header
    assert '2026-11-21 10:01 UTC' in header
    score = document['score']
    assert page.find(attrs={'data-testid': 'grade'}).get_text() == f"{score['grade']:.1f}"
    assert text(page.find(attrs={'data-testid': 'points'})) == f"{number(score['points'])} / {number(score['max_points'])}"
    assert '✘ not passed' in header
    hard = page.find(attrs={'data-testid': 'hard-requirements'}).find_all('li')
    assert len(hard) == len(score['hard_requirements']) == 6
    by_title = {text(li.a): text(li) for li in hard}
    assert by_title['The module imports only the Python standard library'].startswith('✘')
    assert by_title['The module imports only the Python standard library'].endswith('not met')
    assert 'capped' in header


def test_every_check_has_its_status_as_icon_and_word_its_points_and_its_message(document, student_html):
    icons = {'pass': '✔ pass', 'partial': '◐ partial', 'fail': '✘ fail', 'error': '! error', 'skipped': '· skipped'}
    for check in document['checks']:
        node = article(student_html, check['id'])
        heading = text(node.h3)
        assert heading.startswith(icons[check['status']]), (check['id'], heading)
        assert check['title'] in heading
        assert f"{number(check['points'])} / {number(check['max_points'])} points" in text(node)
        assert text(node.find('p', class_='message')) == ' '.join(check['message'].split())
    statuses = {c['status'] for c in document['checks']}
    assert {'pass', 'partial', 'fail', 'error'} <= statuses          # the fixture covers them
    overview = soup(student_html).find('table', class_='overview-table').find_all('tr')[1:]
    assert len(overview) == len(document['checks'])


def test_function_table_shows_expected_values_and_highlights_the_wrong_cells(student_html):
    table = article(student_html, 'activations.table').find('table', class_='values')
    headers = [text(th) for th in table.thead.find_all('th')]
    assert headers == ['function', 'x = -1000', 'x = -1', 'x = 0', 'x = 1', 'x = 1000']
    rows = {text(tr.th): tr for tr in table.tbody.find_all('tr')}
    tanh = rows['tanh'].find_all('td')
    assert [('cell-wrong' in td['class']) for td in tanh] == [True, False, False, False, True]
    assert text(tanh[0]) == '✘ raised OverflowError: math range error expected -1'
    assert text(tanh[4]).endswith('expected 1')
    assert text(tanh[1]).startswith('✔')
    elish = rows['elish'].find_all('td')
    assert 'cell-wrong' in elish[1]['class']
    expected = activation_functions.elish(-1.0)
    assert text(elish[1]) == f'✘ found {number(_wrong_elish(-1.0))} expected {number(expected)}'
    assert 'bad-row' in rows['tanh']['class'] and 'bad-row' not in (rows['linear'].get('class') or [])
    missing = rows['nipuna'].find('td')
    assert missing['colspan'] == '5' and "did you mean 'nipuma'" in text(missing)


def test_each_wrong_function_gets_an_overlay_around_its_failure(student_html):
    figures = article(student_html, 'activations.table').find_all('figure')
    alts = [f.img['alt'] for f in figures]
    # tanh and elish are wrong (nipuna has no curve: it is missing); linear is right: no picture
    assert len(figures) == 2
    tanh, elish = alts
    assert tanh.startswith('tanh:') and 'raises OverflowError at 12 of 13 points of large negative x' in tanh
    assert 'large positive x' in tanh and 'ordinary x' not in tanh
    assert elish.startswith('elish:') and 'ordinary x' in elish and 'overflow' not in elish.lower()
    for figure in figures:
        assert figure.img['src'].startswith('data:image/png;base64,')
        assert text(figure.figcaption) == figure.img['alt']
    # the losses are all right: no overlay
    assert article(student_html, 'losses.table').find('figure') is None


def test_overlay_regions_follow_the_failures():
    tanh = _curve('tanh', _naive_tanh)
    assert [name for name, _ in plots.overlay_regions(tanh, 'activations')] == ['large negative x', 'large positive x']
    elish = _curve('elish', _wrong_elish)
    regions = plots.overlay_regions(elish, 'activations')
    assert [name for name, _ in regions] == ['ordinary x']
    assert all(-5 <= elish['x'][i] <= 5 for i in regions[0][1])
    right = _curve('linear', activation_functions.linear)       # wrong only in the table: the ordinary range
    assert [name for name, _ in plots.overlay_regions(right, 'activations')] == ['ordinary x']
    picture = plots.function_overlay(tanh, 'activations')
    assert picture.uri.startswith('data:image/png;base64,') and picture.width > 300
    loss = {'function': 'hinge', 'x': loss_grid(), 'student': [None] * 41, 'reference': [1.0] * 41,
            'errors': ['ValueError'] * 41, 'wrong': [True] * 41, 'target': 1.0}
    assert [name for name, _ in plots.overlay_regions(loss, 'losses')] == ['ŷ']
    assert 'raises ValueError at 41 of 41 points' in plots.function_overlay(loss, 'losses').alt


def test_hidden_check_names_kinds_of_points_never_the_points(student_html, instructor_html):
    node = article(student_html, 'activations.hidden')
    items = {text(li.code): text(li) for li in node.find('ul', class_='flist').find_all('li')}
    assert items['linear'].startswith('✔ pass')
    assert items['tanh'].startswith('✘ fail') and 'large positive arguments' in items['tanh']
    assert '(raises OverflowError)' in items['tanh']
    assert "no function 'nipuna'" in items['nipuna']
    assert node.find(class_='instructor-only') is None
    inode = article(instructor_html, 'activations.hidden')
    hidden = inode.find('details', class_='hidden-details')
    rows = [[text(td) for td in tr.find_all('td')] for tr in hidden.find('table').tbody.find_all('tr')]
    assert ['tanh', '745.5', '1', 'OverflowError: math range error'] in rows
    assert ['tanh', '2.350169', repr(HIDDEN_EXPECTED), '0.9'] in rows
    assert ', '.join(exact(p) for p in HIDDEN_POINTS) in text(hidden)


def test_gradients_per_layer_with_relative_errors_and_a_bar_against_the_tolerance(student_html):
    node = article(student_html, 'layers.gradients')
    tables = {text(t.caption): t for t in node.find_all('table', class_='grad')}
    assert set(tables) == {'✔ pass LossLayer', '✘ fail ActivationLayer: 1 of 2 probes fail',
                           '✘ fail SoftmaxLayer: 1 of 1 probes fail', '✔ pass DenseLayer'}
    softmax = tables['✘ fail SoftmaxLayer: 1 of 1 probes fail'].tbody.find_all('tr')
    cells = [text(td) for td in softmax[0].find_all('td')]
    assert cells[:4] == ['✘ fail', 'SoftmaxLayer', '3', '0.512']
    bar = softmax[0].find(class_='ebar')
    assert 'over' in bar['class'] and 'above the tolerance' in bar['aria-label']
    assert 'full Jacobian' in text(softmax[1])                       # the row's own message
    ok_bar = tables['✔ pass LossLayer'].find(class_='ebar')
    assert 'over' not in ok_bar['class']
    # a log scale: 1e-12 sits at the far left, the tolerance 0.03 at about 81 %
    assert 'left: 80.59%' in ok_bar.find(class_='ebar-tol')['style']
    assert text(tables['✘ fail ActivationLayer: 1 of 2 probes fail'].find_all('tr')[-2]).startswith('✘ fail elish')
    updates = article(student_html, 'layers.updates')
    assert [text(td) for td in updates.find_all('tr')[-1].find_all('td')][:4] == \
        ['✘ fail', 'DenseLayer at position 1', '5', '0.8']


def test_checklists_open_when_something_failed(student_html):
    details = article(student_html, 'layers.api').find('details')
    assert details.has_attr('open') and '1 of 2 requirements met' in text(details.summary)
    rows = [text(tr) for tr in details.tbody.find_all('tr')]
    assert rows[1] == "✘ fail class DenseLayer named 'Dense' instead of 'DenseLayer'"


def test_static_check_details(student_html):
    violations = article(student_html, 'static.imports').find('table')
    assert [text(td) for td in violations.tbody.tr.find_all('td')][:3] == ['model.py:3', 'import numpy as np', 'numpy']
    files = text(article(student_html, 'submission.files'))
    assert 'html — missing' in files and '3 extra files were ignored' in files


def test_notebook_run_lists_every_cell_and_the_tracebacks(student_html):
    node = article(student_html, 'notebook.runs')
    rows = [[text(td) for td in tr.find_all('td')] for tr in node.find('table', class_='cells').tbody.find_all('tr')]
    assert rows == [['1', '✔ ok', '1.1 s', 'import model'],
                    ['3', '! error', '100 ms', f'data.scatter(xs, ys, model=my_modle) # {ATTACK}'],
                    ['5', '⏱ timeout', '10.0 min', 'while True:'],
                    ['7', '· not run', '—', 'print("never")']]
    tracebacks = node.find_all(class_='traceback')
    assert [t['id'] for t in tracebacks] == ['cell-3', 'cell-5']
    assert node.find('a', href='#cell-3') is not None
    tb = tracebacks[0].find('pre', class_='tb').get_text()
    assert '\x1b' not in tb and "NameError: name 'my_modle' is not defined" in tb and '----> 4 data.scatter' in tb
    assert 'stopped at its time limit' in text(tracebacks[1])
    assert 'epochs = 5' in text(node) and 'profile quick' in text(node)


def test_part_b_accuracy_gauge_and_confusion_matrix(student_html):
    node = article(student_html, 'partb.accuracy')
    gauge = node.find(class_='gauge')
    assert 'width: 80.0%' in gauge.find(class_='gauge-fill')['style']
    marks = [(m['style'], text(m)) for m in gauge.find_all(class_='gauge-mark')]
    assert marks == [('left: 70.0%', 'minimum 70%'), ('left: 80.0%', 'target 80%')]
    assert 'your own test split 74.0% of 150' in text(node)
    matrix = node.find('table', attrs={'data-testid': 'confusion'})
    rows = [[text(c) for c in tr.find_all(['th', 'td'])] for tr in matrix.tbody.find_all('tr')]
    assert rows[0] == ['A', '1', '1', '', '', '50%']              # A taken for B once
    assert rows[3] == ['D', '1', '', '', '2', '67%']              # D taken for A once
    assert 'D taken for A: 1×' in text(node)


def test_part_b_time_gauge_and_overfitting_verdict(student_html):
    time = article(student_html, 'partb.time')
    gauge = time.find(class_='gauge')
    assert 'over' in gauge['class'] and '6.3 min normalised, limit 5.0 min' == gauge['aria-label']
    assert '126% of the limit — over the limit' in text(time)
    over = article(student_html, 'partb.overfitting')
    figure = over.find('figure')
    assert figure.img['alt'].startswith('Learning curve over 6 epochs')
    facts = text(over.find('section', class_='panel-verdict'))
    assert '✘ fail overfitting' in facts and 'rise from the lowest +60.0%' in facts
    assert 'validation ÷ training 8.00×' in facts and 'lowest validation loss 1 (epoch 3)' in facts
    layers = article(student_html, 'partb.activation')
    assert 'Required activation found: none.' in text(layers)


def test_check_mode_marks_part_b_skipped():
    html = render_student(synthetic_document(mode='check'))
    page = soup(html)
    assert 'autograder check' in text(page.find(class_='banner'))
    for check_id in ('notebook.runs', 'partb.accuracy'):
        node = article(html, check_id)
        assert text(node.h3).startswith('· skipped') and node.find('section') is None
    assert 'incomplete' in text(page.find(class_='points-box'))


def test_a_rejected_submission_says_why():
    html = render_student(synthetic_document(rejected='the zip holds 20000 files (at most 500)'))
    banner = soup(html).find(class_='banner', role='alert')
    assert 'not accepted' in text(banner) and '20000 files' in text(banner)


# --- student view against instructor view --------------------------------------------------------
def _numbers(html):
    """Every number in the page's text and attributes (not in its stylesheet or its images)."""
    html = re.sub(r'<style>.*?</style>', '', html, flags=re.S)
    html = re.sub(r'data:image/png;base64,[A-Za-z0-9+/=]+', '', html)
    return set(re.findall(r'-?\d+(?:\.\d+)?(?:e[-+]?\d+)?', html))


def test_student_view_shows_no_hidden_value(document, student_html, instructor_html):
    # in full and as the report rounds numbers; integers like 40 could occur for other reasons
    full = {exact(v) for v in HIDDEN_POINTS + [HIDDEN_EXPECTED]}
    rounded = {number(v) for v in HIDDEN_POINTS + [HIDDEN_EXPECTED]}
    in_student, in_instructor = _numbers(student_html), _numbers(instructor_html)
    assert len(full) == 10 and full <= in_instructor                 # the search does find them ...
    assert not (full | rounded) & in_student                         # ... but not in the student's page
    # hidden-set predictions: only the instructor gets the table of them
    assert 'Hidden-set predictions' not in student_html and 'Hidden-set predictions' in instructor_html
    # the probes' stderr can echo hidden points: instructor only
    assert 'tanh(745.5)' not in student_html and 'tanh(745.5)' in instructor_html
    assert 'report-view" content="student' in student_html


def test_student_view_does_not_depend_on_the_hidden_parts(document, student_html):
    """Whatever `hidden` holds, the student's page is the same: rendered from student_view()."""
    changed = copy.deepcopy(document)
    for check in changed['checks']:
        check['hidden'] = {'failures': [{'function': 'tanh', 'wrong': [{'argument': 123.456, 'expected': 9.87,
                                                                         'found': 'SECRET'}]}],
                           'points': [123.456], 'predictions': [0], 'labels': [1]}
    assert render_student(changed) == student_html


def test_instructor_view_has_everything(document, instructor_html):
    page = soup(instructor_html)
    assert page.find('h2', string='Instructor details') is not None
    sections = [text(h) for h in page.find(id='instructor').find_all('h3')]
    assert sections[:2] == ['Submission', 'Intake findings'] and 'The probe run' in sections
    assert 'The whole results document (raw JSON)' in sections
    raw = page.find(id='instructor').find_all('pre', class_='raw')[-1].get_text()
    assert json.loads(raw) == document
    # every check carries its raw details; static checks included
    node = article(instructor_html, 'static.imports')
    assert json.loads(node.find('details', class_='raw-details').pre.get_text()) == \
        next(c for c in document['checks'] if c['id'] == 'static.imports')['details']
    predictions = article(instructor_html, 'partb.accuracy').find('details', class_='hidden-details')
    assert '2 of 10 wrong' in text(predictions)


# --- the pages themselves ----------------------------------------------------------------------
@pytest.mark.parametrize('view', ['student', 'instructor'])
def test_pages_are_self_contained_escaped_and_headed_in_order(view, student_html, instructor_html):
    html = student_html if view == 'student' else instructor_html
    page = soup(html)
    assert page.find('meta', attrs={'http-equiv': 'Content-Security-Policy'})['content'].startswith("default-src 'none'")
    assert page.find('link') is None and not re.search(r'''(src|href)\s*=\s*["']?(https?:)?//''', html)
    assert all(img['src'].startswith('data:image/png;base64,') and img.get('alt') for img in page.find_all('img'))
    assert ATTACK not in html and '&lt;script&gt;alert(' in html
    scripts = page.find_all('script')
    assert len(scripts) == (0 if view == 'student' else 1)           # only the print helper
    levels = [int(h.name[1]) for h in page.find_all(re.compile('^h[1-6]$'))]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    assert '@media print' in page.style.get_text()
    for badge in page.find_all(class_='badge'):                      # never colour alone
        assert badge.find(class_='icon').get_text().strip() and badge.find(class_='word').get_text().strip()


def test_write_reports_writes_both_views_atomically(tmp_path, document, monkeypatch):
    paths = write_reports(document, tmp_path)
    assert paths == {'student': tmp_path / 'report.html', 'instructor': tmp_path / 'report-instructor.html'}
    assert paths['student'].read_text(encoding='utf-8') == render_student(document)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['report-instructor.html', 'report.html']
    before = paths['student'].read_text(encoding='utf-8')
    from autograder.report import render

    def broken(_):
        raise RuntimeError('template error')
    monkeypatch.setattr(render, 'render_instructor', broken)
    with pytest.raises(RuntimeError):
        render.write_reports(synthetic_document(student='Someone Else'), tmp_path)
    assert paths['student'].read_text(encoding='utf-8') == before      # nothing half-written
    assert sorted(p.name for p in tmp_path.iterdir()) == ['report-instructor.html', 'report.html']


def test_a_surprising_document_still_renders():
    document = synthetic_document()
    for check in document['checks']:
        if check['id'] in ('partb.accuracy', 'layers.gradients'):
            check['details'] = {'confusion': 'not a matrix', 'layers': [1, 2], 'accuracy': 0.5}
    document['notebook'] = {}
    html = render_instructor(document)
    assert 'Rendering problem' in html
    assert 'accuracy' in text(article(html, 'partb.accuracy'))
    assert 'Rendering problem' not in render_student(document)


# --- the dashboard ---------------------------------------------------------------------------
def test_dashboard_summarises_the_class(tmp_path):
    documents = [synthetic_document(), synthetic_document(student=None, source='s123.zip'),
                 synthetic_document(student='Bakker, Bo', source='bo.zip')]
    good = synthetic_document(student='de Vries, Cas', source='cas.zip')
    for check in good['checks']:
        check['status'], check['points'] = 'pass', check['max_points']
    good['score'].update(points=100.0, grade=10.0, passed=True, hard_requirements={k: True for k in good['score']['hard_requirements']})
    documents.append(good)
    path = write_dashboard(documents, tmp_path, {'Jansen, Anna': 'anna/report.html',
                                                 's123.zip': 'zip/report.html',
                                                 'de Vries, Cas': 'cas/report.html'})
    assert path == tmp_path / 'dashboard.html'
    html = path.read_text(encoding='utf-8')
    page = soup(html)
    stats = text(page.find(attrs={'data-testid': 'stats'}))
    assert stats.startswith('4 submissions 1 passed (25%)')
    histogram = page.find('img')
    assert histogram['src'].startswith('data:image/png') and 'Histogram of 4 grades' in histogram['alt']
    assert '; 1 at or above the pass mark 5.5.' in histogram['alt']
    rates = {text(tr.find('code')): [text(td) for td in tr.find_all('td')][1:6]
             for tr in page.find(id='rates').tbody.find_all('tr')}
    assert rates['static.imports'] == ['1', '0', '3', '0', '25%']
    assert rates['submission.files'] == ['4', '0', '0', '0', '100%']
    common = page.find(attrs={'data-testid': 'common-failures'}).find_all('li')
    assert len(common) == 10 and text(common[0]).startswith('3×')
    rows = page.find(id='students').tbody.find_all('tr')
    names = [text(tr.td.a or tr.td).split(' ')[0] for tr in rows]
    assert names == ['Bakker,', 'de', 'Jansen,', 's123.zip']       # by name, case-insensitively
    links = {text(tr.td.a): tr.td.a['href'] for tr in rows if tr.td.a}
    assert links == {'s123.zip': 'zip/report.html', 'de Vries, Cas': 'cas/report.html',
                     'Jansen, Anna': 'anna/report.html'}
    anna = rows[2]
    assert anna['data-result'] == 'failed' and ' static.imports ' in anna['data-failing']
    assert anna.find('a', href='anna/report.html#check-static-imports') is not None
    assert [b['data-key'] for b in page.find(id='students').find_all('button', class_='sort')] == ['0', '1', '2', '3', '4']
    assert page.find(id='filter-text') and page.find(id='filter-check').find('option', value='partb.time')
    assert ATTACK not in html


def test_values_that_are_no_numbers_are_shown_not_choked_on():
    """inf, nan and values the runner could not turn into a float (None) in the curves and
    cells: the table shows them as text, the overlay marks them off the scale."""
    document = synthetic_document()
    table = next(c for c in document['checks'] if c['id'] == 'activations.table')
    curve = next(c for c in table['details']['curves'] if c['function'] == 'elish')
    for i, value in zip(range(45, 48), (math.inf, math.nan, None)):
        curve['student'][i], curve['wrong'][i] = value, True
    cell = table['details']['rows'][2]['cells'][2]
    cell.update(found=math.nan, ok=False)
    html = render_student(document)
    node = article(html, 'activations.table')
    assert '✘ found nan expected 0' in text(node)
    elish = node.find_all('figure')[1].img['alt']
    assert elish.startswith('elish:') and '3 values off the scale or not a number' in elish


def test_dashboard_links_the_other_pages_of_a_batch():
    from autograder.report.dashboard import render_dashboard
    html = render_dashboard([synthetic_document()], pages={'Similarity report': 'similarity.html'})
    nav = BeautifulSoup(html, 'html.parser').find('nav')
    assert nav is not None and nav.find('a', href='similarity.html').get_text() == 'Similarity report'
    assert BeautifulSoup(render_dashboard([synthetic_document()]), 'html.parser').find('nav') is None


def test_the_gradient_table_headers_stay_apart_in_dutch(document):
    """The header of the error column and of the bar column are two cells whose text fits or
    wraps: in Dutch the fixed 6.5rem column let 'relatieve fout' run into its neighbour."""
    dutch = render_student({**copy.deepcopy(document), 'language': 'nl'})
    table = article(dutch, 'layers.gradients').find('table', class_='grad')
    headers = [text(th) for th in table.thead.find_all('th')]
    assert headers[-2:] == ['relatieve fout', 'ten opzichte van de tolerantie 0.03']
    css = soup(dutch).find('style').get_text()
    assert 'table.grad thead th { white-space: normal; }' in css
    assert 'table.grad col.c-err { width: 8.5rem; }' in css

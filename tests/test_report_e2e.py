"""End to end: reports of really graded example hand-ins (the session's `graded_examples`,
shared with test_grade_examples.py): every part renders from a full grading, the flawed
example shows its failure with its picture, and no hidden value reaches the student's page."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from autograder.report import render_instructor, render_student, write_dashboard, write_reports
from helpers.html import article, soup, text
from autograder.report.formatting import exact, number
from autograder.results import student_view
from autograder.registry import CHECK_IDS

pytestmark = pytest.mark.slow      # reports of really graded examples








def numbers(html):
    """Every number in a page's text and attributes (not in its stylesheet or its images)."""
    html = re.sub(r'<style>.*?</style>', '', html, flags=re.S)
    html = re.sub(r'data:image/png;base64,[A-Za-z0-9+/=]+', '', html)
    return set(re.findall(r'-?\d+(?:\.\d+)?(?:e[-+]?\d+)?', html))


def distinctive(value: float) -> bool:
    """A number unlikely to occur by chance: at least 4 significant digits, or tiny/huge."""
    digits = re.sub(r'e.*', '', repr(abs(value))).replace('.', '').strip('0')
    return len(digits) >= 4 or 'e' in repr(value)


def scalars(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from scalars(v)
    elif isinstance(value, list):
        for v in value:
            yield from scalars(v)
    else:
        yield value


@pytest.fixture(scope='module')
def reference(graded_examples):
    """The reference, graded in full (notebook run and Deel B), with its reports written."""
    document, out = graded_examples.grade('reference')
    paths = write_reports(document, out)
    return document, {k: p.read_text(encoding='utf-8') for k, p in paths.items()}


@pytest.fixture(scope='module')
def overflow(graded_examples):
    """tanh written with exp, graded with `check` (static checks and probes: where it fails)."""
    document, out = graded_examples.grade('flawed-overflow', mode='check')
    paths = write_reports(document, out)
    return document, {k: p.read_text(encoding='utf-8') for k, p in paths.items()}


def test_the_reference_report_shows_every_part(reference):
    document, html = reference
    page = soup(html['student'])
    assert page.find(attrs={'data-testid': 'grade'}).get_text() == '10.0'
    assert '✔ passed' in text(page.find('header'))
    assert [a['data-check'] for a in page.find_all('article', attrs={'data-check': True})] == list(CHECK_IDS)
    assert all(a['data-status'] == 'pass' for a in page.find_all('article', attrs={'data-check': True}))
    assert page.find('td', class_='cell-wrong') is None and not article(html['student'], 'activations.table').find('figure')
    # notebook: one row per cell, each with status and duration
    cells = article(html['student'], 'notebook.runs').find('table', class_='cells').tbody.find_all('tr')
    assert len(cells) == len(document['notebook']['cells']) > 20
    # every cell ran but the last, the template's self-check, which the grader skips
    assert [text(tr.find_all('td')[1]) for tr in cells] == ['✔ ok'] * (len(cells) - 1) + ['· skipped']
    assert 'cells marked skipped are empty or only run the self-check' in text(article(html['student'], 'notebook.runs'))
    # Deel B: gauge against the limit, accuracy against minimum and target, confusion, curve
    details = {c['id']: c['details'] for c in document['checks']}
    time = article(html['student'], 'partb.time')
    assert text(time.find(class_='gauge-text')).startswith(f"{details['partb.time']['normalised_minutes']:.1f} min")
    accuracy = article(html['student'], 'partb.accuracy')
    assert [text(m) for m in accuracy.find_all(class_='gauge-mark')] == [
        f"minimum {details['partb.accuracy']['minimum'] * 100:.0f}%", f"target {details['partb.accuracy']['target'] * 100:.0f}%"]
    matrix = accuracy.find('table', attrs={'data-testid': 'confusion'}).tbody.find_all('tr')
    assert [text(tr.th) for tr in matrix] == list('ABCDEFGHIJKLMNOPQRSTUVWXYZ')
    counted = sum(int(td.get_text()) for tr in matrix for td in tr.find_all('td')[:-1] if td.get_text())
    assert counted == details['partb.accuracy']['instances']
    curve = article(html['student'], 'partb.overfitting').find('figure')
    epochs = len(details['partb.overfitting']['history']['loss'])
    assert curve.img['alt'].startswith(f'Learning curve over {epochs} epochs')
    assert '✔ pass no visible overfitting' in text(article(html['student'], 'partb.overfitting'))


def test_the_overflow_example_shows_its_failure_with_its_picture(overflow):
    document, html = overflow
    node = article(html['student'], 'activations.table')
    tanh = next(tr for tr in node.find('table', class_='values').tbody.find_all('tr') if text(tr.th) == 'tanh')
    wrong = [text(td) for td in tanh.find_all('td') if 'cell-wrong' in td['class']]
    assert wrong == ['✘ raised OverflowError: math range error expected -1',
                     '✘ raised OverflowError: math range error expected 1']
    figures = node.find_all('figure')
    assert len(figures) == 1 and figures[0].img['alt'].startswith('tanh:')
    assert 'raises OverflowError' in figures[0].img['alt'] and 'large positive x' in figures[0].img['alt']
    hidden = article(html['student'], 'activations.hidden')
    assert re.search(r'✘ fail tanh: wrong for large negative arguments .* \(raises OverflowError\)', text(hidden))
    for check_id in ('notebook.runs', 'partb.accuracy'):
        assert text(article(html['student'], check_id).h3).startswith('· skipped')


def test_no_hidden_value_reaches_the_student_view(overflow):
    document, html = overflow
    public = numbers(json.dumps(student_view(document)))
    hidden = [v for c in document['checks'] for v in scalars(c['hidden'])]
    floats = {v for v in hidden if isinstance(v, float) and (v != int(v) or abs(v) >= 1e15) and distinctive(v)}
    full = {exact(v) for v in floats} - public                  # seen nowhere but under `hidden`
    rounded = {number(v) for v in floats if exact(v) in full}
    # distinctive hidden probe points: the overflow anchors as the (test) secret jitters them
    from autograder.probes.points import hidden_points
    from autograder.settings import load_settings
    from autograder.settings.course_secret import public_test_secret
    settings = load_settings(document['assignment']['id'])
    drawn = hidden_points(settings.activations, public_test_secret(), settings.id, 'activations')
    pinned = {exact(p) for p in drawn if abs(abs(p) - 745.5) < 1 or abs(p - 709.5) < 0.1 or p >= 1e299}
    assert len(pinned) == 4, pinned
    assert pinned <= full and not pinned & public
    assert full <= numbers(html['instructor'])                  # the instructor sees them: the search works
    assert not (full | rounded) & numbers(html['student'])
    failures = next(c for c in document['checks'] if c['id'] == 'activations.hidden')['hidden']['failures']
    assert failures and failures[0]['function'] == 'tanh'
    texts = {v for v in hidden if isinstance(v, str) and len(v) > 5} - {
        v for v in scalars(student_view(document)) if isinstance(v, str)}
    assert not any(t in html['student'] for t in texts)


def test_hidden_set_labels_only_for_the_instructor(reference):
    document, html = reference
    hidden = next(c for c in document['checks'] if c['id'] == 'partb.accuracy')['hidden']
    assert len(hidden['labels']) == len(hidden['predictions']) > 100
    assert 'Hidden-set predictions' in html['instructor'] and 'Hidden-set predictions' not in html['student']
    scrambled = copy.deepcopy(document)
    for check in scrambled['checks']:
        check['hidden'] = {'labels': [0] * 5, 'predictions': [1] * 5, 'points': [0.123456]}
    assert render_student(scrambled) == html['student']
    assert render_instructor(scrambled) != html['instructor']


def test_the_command_line_writes_both_reports(tmp_path, capsys):
    from autograder.cli import main
    template = Path(__file__).parents[1] / 'student_template' / 'eindopdracht-v2324.2'
    assert main(['check', str(template), '--out', str(tmp_path)]) == 1     # the template's checks fail
    assert f"Report:  {tmp_path / 'report.html'}" in capsys.readouterr().out
    document = json.loads((tmp_path / 'grading.json').read_text(encoding='utf-8'))
    assert (tmp_path / 'report.html').read_text(encoding='utf-8') == render_student(document)
    assert (tmp_path / 'report-instructor.html').read_text(encoding='utf-8') == render_instructor(document)


def test_dashboard_of_graded_examples(reference, overflow, tmp_path):
    path = write_dashboard([reference[0], overflow[0]], tmp_path, {'reference.zip': 'reference/report.html'})
    page = soup(path.read_text(encoding='utf-8'))
    rows = page.find(id='students').tbody.find_all('tr')
    assert [text(tr.td).split()[0] for tr in rows] == ['flawed-overflow.zip', 'reference.zip']
    assert rows[1].td.a['href'] == 'reference/report.html' and rows[0].td.a is None
    rates = {text(tr.find('code')): [text(td) for td in tr.find_all('td')][1:6]
             for tr in page.find(id='rates').tbody.find_all('tr')}
    assert rates['activations.table'] == ['1', '1', '0', '0', '50%']
    assert rates['partb.accuracy'] == ['1', '0', '0', '1', '100%']

"""Every student-facing text of every example, in English and Dutch, is free of the grader's
internals (issue 20, item 4) and never speaks of tampering (item 3): grading.json's
messages and details, the student's report.html, results.json and the terminal summary.

English reuses the grades tests/test_grade_examples.py makes in the same session (the
`editions` fixture caches them: `check` for module flaws, a full `grade` for the reference
and the notebook flaws); Dutch grades each example again with `check` (seconds each), so
the notebook's and Part B's texts are scanned in English only. None of the examples breaks
the probe protocol: the hostile corpus (tests/helpers/hostile/) holds those.
"""
from __future__ import annotations

import json
import re

import pytest
from helpers.hand_ins import EDITIONS
from helpers.html import soup, text

from autograder.authoring.examples.catalogue import examples
from autograder.grade import GradeOptions, grade
from autograder.registry import PART_B_CHECKS
from autograder.report.render import render_student
from autograder.report.summary import render_summary
from autograder.settings import load_settings

pytestmark = pytest.mark.slow

CATALOGUES = {edition: examples(load_settings(edition)) for edition in EDITIONS}
CASES = [(edition, name) for edition, catalogue in CATALOGUES.items() for name in catalogue]

LEAKS = {
    'a grader path': re.compile(r'/(?:tmp|work|root|home|usr|opt|proc)/|site-packages|vlgrader_probe|<frozen |'
                                r'\.venv|(?<![-\w])autograder/(?:checks|probes|results|grade|notebook|part_b)'),
    'a traceback': re.compile(r'Traceback'),
    'a raw dict': re.compile(r"\{'"),
    'a memory address': re.compile(r'0x[0-9a-fA-F]{6,}'),
    'tampering': re.compile(r'tamper|geknoeid', re.IGNORECASE),
}


def _mode(edition: str, name: str) -> str:
    """The mode tests/test_grade_examples.py grades the example in (so the grade is shared)."""
    example = CATALOGUES[edition][name]
    module_only = name != 'reference' and not set(example.fails) & set(PART_B_CHECKS) and not example.notebook_edits
    return 'check' if module_only else 'grade'


def strings(value, where: str = ''):
    """Every text in a JSON value, with where it sits."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f'{where}.{key}')
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, f'{where}[{i}]')


def student_texts(document: dict, out) -> list[tuple[str, str]]:
    texts = []
    for check in document['checks']:
        texts.append((f"{check['id']}.message", check['message']))
        texts += [(f"{check['id']}.details{w}", s) for w, s in strings(check['details'])]
    results = out / 'results.json'
    texts += [(f'results.json{w}', s) for w, s in strings(json.loads(results.read_text(encoding='utf-8')))]
    page = soup(render_student(document))
    for node in page(['script', 'style']):
        node.decompose()
    texts.append(('report.html', text(page)))
    texts.append(('terminal', render_summary(document)))
    return texts


def leaks(texts: list[tuple[str, str]]) -> list[str]:
    found = []
    for where, value in texts:
        for what, pattern in LEAKS.items():
            match = pattern.search(value)
            if match:
                start = max(0, match.start() - 80)
                found.append(f'{what} in {where}: …{value[start:match.end() + 80]}…')
    return found


@pytest.mark.parametrize('edition, name', CASES)
def test_english_texts_show_only_the_students_world(editions, edition, name):
    document, out = editions[edition].grade(name, mode=_mode(edition, name))
    assert document['language'] == 'en'
    assert not leaks(student_texts(document, out)), leaks(student_texts(document, out))[:5]


@pytest.mark.parametrize('edition, name', CASES)
def test_dutch_texts_show_only_the_students_world(editions, edition, name, tmp_path):
    graded = editions[edition]
    document = grade(graded.zips[name], graded.settings, tmp_path,
                     GradeOptions(profile='quick', mode='check', progress=False, isolation=graded.isolation,
                                  language='nl'))
    assert document['language'] == 'nl'
    assert not leaks(student_texts(document, tmp_path)), leaks(student_texts(document, tmp_path))[:5]


def test_the_scan_finds_each_leak():
    """The patterns catch what issue 20 found in real messages."""
    found = leaks([
        ('a', "len(model) should be 8, found {'error': {'type': 'TypeError'}}"),
        ('b', 'File "/tmp/autograder-sandbox-0/runner-x/vlgrader_probe/tasks.py", line 3'),
        ('c', 'Traceback (most recent call last):'),
        ('d', 'found <function linear at 0x7f3a2b1c0d>'),
        ('e', 'Niet beoordeeld: er is met de testuitvoer geknoeid'),
        ('f', 'Classifies 88% of the training data correctly.')])
    assert [f.split(' in ')[0] for f in found] == [
        'a raw dict', 'a grader path', 'a traceback', 'a memory address', 'tampering']


@pytest.mark.parametrize('edition', EDITIONS)
def test_a_bias_added_per_input_is_a_bug_judged_on_accuracy(editions, edition):
    """Issue 20: predict computing φ(b·dim + w·x) was called tampering and lost 6 points. Its
    accuracy is still above the checks' threshold: it keeps them, with a note naming the slip."""
    reference = {c['id']: c for c in editions[edition].grade('reference', mode='check')[0]['checks']}
    checks = {c['id']: c for c in editions[edition].grade('flawed-bias-per-input', mode='check')[0]['checks']}
    for check_id in ('neuron.svm', 'neuron.logistic'):
        check = checks[check_id]
        assert check['points'] == reference[check_id]['points'] == check['max_points'], check['message']
        assert 'predict uses b·dim + w·x instead of b + w·x' in check['message']
        assert check['details']['inconsistencies'] and 'tampering' not in check['details']
        assert 0.8 <= check['details']['accuracy'] <= reference[check_id]['details']['accuracy']

"""A second edition of the assignment from the same framework (eindopdracht-v2324.1: Sign-MNIST,
NIPUNA with β = 1): what is edition-specific lives in the assignment folder, both editions
grade, and a hand-in of one edition graded as the other says so instead of crashing."""
from __future__ import annotations

import re

import pytest

from autograder.grade import GradeOptions, grade
from autograder.registry import title
from autograder.settings import load_settings
from helpers.hand_ins import ROOT

V1, V2 = load_settings('eindopdracht-v2324.1'), load_settings('eindopdracht-v2324.2')


def test_the_editions_differ_only_in_their_settings():
    assert (V1.part_b.data_file, V1.part_b.loader, V1.part_b.picture) == (
        'Sign_MNIST_mini.dat', 'sign_mnist_mini', 'gestures')
    assert V1.part_b.classes == len(V1.part_b.class_labels) == 24 and 'J' not in V1.part_b.class_labels
    assert V1.part_b.required_activations == ['nipuna'] and V1.part_b.required_parameters == {'beta': 1.0}
    assert V1.activations.tabled[-1] == 'nipuna' and V2.activations.tabled[-2:] == ['nipuna', 'elish']
    assert title('partb.activation', V1) == 'Deel B uses NIPUNA (β = 1)'
    assert title('partb.activation', V2) == 'Deel B uses ELiSH or HardELiSH'


def test_nothing_edition_specific_in_the_grader_code():
    """The data sets, their loaders and pictures and the required activations are settings."""
    specific = re.compile(r'emnist|sign_mnist|EMNIST_mini|Sign_MNIST|\bletters\b|gestures', re.I)
    found = []
    for path in (ROOT / 'autograder').rglob('*'):
        if path.suffix not in ('.py', '.j2'):
            continue
        for number, line in enumerate(path.read_text(encoding='utf-8').splitlines(), start=1):
            if specific.search(line):
                found.append(f'{path.relative_to(ROOT)}:{number}: {line.strip()}')
    assert not found, '\n'.join(found)


def test_the_master_of_each_edition_reads_its_own_data():
    import nbformat
    for settings in (V1, V2):
        code = '\n'.join(c.source for c in nbformat.read(settings.master_path, as_version=4).cells
                         if c.cell_type == 'code')
        assert f"data.{settings.part_b.loader}('./{settings.part_b.data_file}'" in code
        assert f'data.{settings.part_b.picture}(tst_xs[:20]' in code
        others = [s for s in (V1, V2) if s is not settings]
        assert all(o.part_b.data_file not in code for o in others)


@pytest.fixture(scope='module')
def v1_reference_zip(editions):
    return editions['eindopdracht-v2324.1'].zips['reference']


def test_a_hand_in_of_the_other_edition_says_which_edition_it_is(v1_reference_zip, tmp_path):
    document = grade(v1_reference_zip, V2, tmp_path / 'out', GradeOptions(mode='check', progress=False))
    findings = {f['code']: f['message'] for f in document['submission']['findings']}
    assert 'is it edition eindopdracht-v2324.1' in findings['other-edition']
    assert '--assignment eindopdracht-v2324.1' in findings['other-edition']
    files = next(c for c in document['checks'] if c['id'] == 'submission.files')
    assert 'is it edition eindopdracht-v2324.1' in files['message']


@pytest.mark.slow
def test_graded_in_full_as_the_other_edition_the_notebook_run_says_why_it_fails(v1_reference_zip, tmp_path):
    document = grade(v1_reference_zip, V2, tmp_path / 'out', GradeOptions(progress=False))
    runs = next(c for c in document['checks'] if c['id'] == 'notebook.runs')
    assert runs['status'] == 'fail' and 'FileNotFoundError' in runs['message']
    assert "This notebook's Part B reads Sign_MNIST_mini.dat" in runs['message']
    assert document['score']['grade'] is not None          # a complete result, not a crash

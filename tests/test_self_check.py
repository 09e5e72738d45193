"""The self-check inside Jupyter: a real kernel (nbclient) runs the template's last cell on a
folder and shows the failing checks in the cell's HTML output, in the student's language; the
check runs in a process of its own; the grader skips the cell."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.authoring.examples.build import build_examples
from autograder.authoring.template import SELF_CHECK_CODE, student_notebook
from autograder.notebook.cells import is_self_check
from autograder.notebook.self_check import SelfCheck, check
from autograder.report.render import scope_css
from autograder.settings import load_settings
from helpers.html import soup, text

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = load_settings('eindopdracht-v2324.2')


def run_cells(folder: Path, *sources: str, timeout: int = 300) -> list[nbformat.NotebookNode]:
    """Run code cells in a fresh kernel whose working folder is `folder` (as Jupyter does for a
    notebook in that folder); the executed cells."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    NotebookClient(nb, timeout=timeout, kernel_name='python3', resources={'metadata': {'path': str(folder)}}).execute()
    return nb.cells


def html_output(cell) -> str:
    found = [o['data']['text/html'] for o in cell.outputs if o.get('output_type') in ('execute_result', 'display_data')
             and 'text/html' in o.get('data', {})]
    assert found, cell.outputs
    return found[0]


def statuses(html: str) -> dict[str, str]:
    return {a['data-check']: a['data-status'] for a in soup(html).find_all('article')}


@pytest.fixture(scope='module')
def template_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp('template') / 'my-assignment'
    shutil.copytree(ROOT / 'student_template' / 'eindopdracht-v2324.2', folder)
    return folder


@pytest.fixture(scope='module')
def overflow_folder(tmp_path_factory):
    """The flawed-overflow example unpacked as a student's folder (tanh overflows at ±1000)."""
    tmp = tmp_path_factory.mktemp('flawed')
    [zipped] = build_examples(SETTINGS, tmp / 'zips', ['flawed-overflow'])
    folder = tmp / 'my-assignment'
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(folder)
    return folder


def test_the_templates_last_cell_runs_the_self_check_in_a_real_kernel(template_folder):
    """The cell exactly as the template has it, in the template's folder: every Deel A check
    fails on the empty skeleton, the static checks pass, Deel B is left out."""
    assert student_notebook(SETTINGS).cells[-1].source == SELF_CHECK_CODE
    [cell] = run_cells(template_folder, SELF_CHECK_CODE)
    html = html_output(cell)
    found = statuses(html)
    assert found['activations.table'] == 'fail' and found['layers.gradients'] == 'fail'
    assert found['static.imports'] == 'pass' and found['static.locked-cells'] == 'pass'
    assert not any(check_id.startswith(('partb.', 'notebook.')) for check_id in found)
    table = soup(html).find('article', attrs={'data-check': 'activations.table'})
    assert 'NotImplementedError' in text(table) and 'model.py' in text(table.find(class_='panel-fixes'))
    todo = [text(p) for p in soup(html).find_all(attrs={'data-testid': 'not-written'})]
    assert todo[0].startswith('Not written yet: linear, tanh, softsign') and len(todo) == 3   # one per section
    plain = next(o['data']['text/plain'] for o in cell.outputs if 'text/plain' in o.get('data', {}))
    assert 'activations' not in plain.split('\n')[0] and 'Not written yet: linear, tanh' in plain   # the text
    assert 'NotImplementedError' not in plain                       # fallback: a to-do list (issue 22)


def test_one_part_in_jupyter(template_folder):
    """check('layers'): that part's checks only, and the magic takes the part too."""
    [cell, _load, magic] = run_cells(template_folder, "from autograder.notebook import check\ncheck('layers')",
                                     '%load_ext autograder', '%autograder check neurons')
    assert set(statuses(html_output(cell))) == {'layers.api', 'layers.gradients', 'layers.updates', 'layers.training'}
    assert set(statuses(html_output(magic))) == {'neuron.perceptron', 'neuron.svm', 'neuron.logistic',
                                                 'neuron.linear-regression'}


def test_a_flawed_module_shows_its_failing_check_and_where_to_fix_it_in_dutch(overflow_folder):
    [cell] = run_cells(overflow_folder, "from autograder.notebook import check\ncheck(lang='nl')")
    html = html_output(cell)
    found = statuses(html)
    assert found['activations.hidden'] == found['activations.table'] == 'partial'     # tanh of many functions
    assert found['layers.gradients'] == 'pass'
    hidden = text(soup(html).find('article', attrs={'data-check': 'activations.hidden'}))
    assert 'tanh' in hidden and 'OverflowError' in hidden
    assert 'Waar verbeteren' in hidden and 'regel' in hidden          # where, in the student's language
    assert soup(html).find(attrs={'data-testid': 'self-check'})['lang'] == 'nl'


def test_the_magic_runs_the_same_check(overflow_folder):
    [_load, cell] = run_cells(overflow_folder, '%load_ext autograder', '%autograder check --lang en')
    found = statuses(html_output(cell))
    assert found['activations.hidden'] == 'partial' and found['layers.gradients'] == 'pass'


def test_the_kernels_own_state_cannot_change_the_verdict(overflow_folder):
    """A kernel that has imported the module and repaired tanh in memory still gets the verdict
    on the files: the check runs in a fresh process."""
    [_patch, cell] = run_cells(overflow_folder,
                               'import math, model\nmodel.tanh = math.tanh', "from autograder.notebook import check\ncheck()")
    assert statuses(html_output(cell))['activations.hidden'] == 'partial'


def test_under_the_grader_the_self_check_does_nothing(monkeypatch, template_folder):
    monkeypatch.setenv('AUTOGRADER_GRADING', '1')
    result = check(template_folder)
    assert isinstance(result, SelfCheck) and result.document is None and 'grader' in str(result)


def test_the_grader_recognises_self_check_cells_and_nothing_else():
    assert is_self_check(SELF_CHECK_CODE)
    assert is_self_check('%load_ext autograder\n%autograder check --full')
    assert is_self_check('from autograder.notebook import check\ncheck(full=True)')
    assert not is_self_check('from autograder.notebook import check\ncheck()\nimport os; os.remove("x")')
    assert not is_self_check('check()') and not is_self_check('')


def test_the_fragments_style_stays_inside_it():
    css = ':root { --a: 1; }\nbody { margin: 0; }\nh2, .check p { color: red; }\n' \
          '@media print { body { margin: 1px; } .x { y: z; } }'
    scoped = scope_css(css, '.s')
    selectors = [s.strip() for block in scoped.replace('@media print {', '').split('}')
                 for s in block.split('{')[0].split(',') if s.strip()]
    assert selectors == ['.s', '.s', '.s h2', '.s .check p', '.s', '.s .x']


@pytest.mark.slow
def test_the_grader_skips_the_self_check_cell_of_a_hand_in(graded_examples):
    """The example hand-ins end with the template's self-check cell, as students' do: the graded
    run skips it and the notebook check passes."""
    document, _ = graded_examples.grade('reference')
    cells = document['notebook']['cells']
    assert is_self_check(cells[-1]['source']) and cells[-1]['status'] == 'skipped'
    assert next(c for c in document['checks'] if c['id'] == 'notebook.runs')['status'] == 'pass'


POSIX_ONLY = {'pwd', 'grp', 'fcntl', 'resource', 'termios', 'posix'}


def test_the_self_check_imports_nothing_posix_only_at_module_level():
    """The self-check runs on Windows too: every module it can import (all but the batch,
    which instructors run on Linux) imports POSIX-only modules only inside a guard."""
    import ast
    offenders = []
    for path in sorted((ROOT / 'autograder').rglob('*.py')):
        if 'batch' in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding='utf-8'))
        for node in tree.body:              # module level, not inside try/except or a function
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            offenders += [f'{path.relative_to(ROOT)}: import {n}' for n in names if n.split('.')[0] in POSIX_ONLY]
    assert not offenders, offenders

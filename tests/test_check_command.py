"""`autograder check` as a student reads it: a to-do list of at most 30 lines at 80 columns
for the unfilled template, one part on its own, a SyntaxError said once at the student's
line, and exit statuses a script can rely on (0 passed, 1 failed, 3 nothing to check)."""
from __future__ import annotations

import re

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.checks.locate import Fix, Locator, Place, with_fixes
from autograder.cli import EXIT_FAILED, EXIT_NOTHING, EXIT_PASSED
from autograder.i18n import language
from autograder.settings import load_settings
from helpers.hand_ins import ROOT, hand_in_folder

SETTINGS = load_settings('eindopdracht-v2324.2')
TEMPLATE = ROOT / 'student_template' / SETTINGS.id
NOT_WRITTEN = {   # the template's placeholders, as the course names them, per part
    'activations': ['linear', 'tanh', 'softsign', 'sigmoid', 'softplus', 'relu', 'swish', 'sign', 'nipuna',
                    'elish', 'hardelish', 'derivative'],
    'losses': ['mean_squared_error', 'mean_absolute_error', 'categorical_crossentropy', 'binary_crossentropy',
               'hinge'],
}


def check(*args: str, cwd: Path, lang: str = 'nl', **popen) -> subprocess.CompletedProcess:
    env = {**os.environ, 'COLUMNS': '80', 'AUTOGRADER_LANG': lang}
    return subprocess.run([sys.executable, '-P', '-m', 'autograder', 'check', *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture(scope='module')
def template(tmp_path_factory):
    return shutil.copytree(TEMPLATE, tmp_path_factory.mktemp('template') / 'work')


def test_the_unfilled_template_reads_as_a_to_do_list(template):
    done = check(cwd=template)
    lines = done.stdout.splitlines()
    assert done.returncode == EXIT_FAILED, done.stderr
    assert len(lines) <= 30 and max(map(len, lines)) <= 80, done.stdout
    assert 'NotImplementedError' not in done.stdout and '0.0/' not in done.stdout
    todo = [line for line in lines if line.startswith('  Nog niet geschreven:')]
    assert len(todo) == 3                                           # functions, neurons, layers: once each
    text = ' '.join(done.stdout.split())                            # the list wraps at 80 columns
    assert ('Nog niet geschreven: ' + ', '.join(NOT_WRITTEN['activations'] + NOT_WRITTEN['losses'])) in text
    assert 'Nog niet geschreven: Perceptron, Neuron, LinearRegression' in text
    for name in NOT_WRITTEN['activations'] + NOT_WRITTEN['losses'] + ['Perceptron']:
        assert text.count(f' {name},') + text.count(f' {name} ') + text.endswith(name) <= 1, name
    assert 'Het notebook is een geldig Jupyter-notebook met gewiste output' in text      # passing: one line
    assert 'niet uitgevoerd' in text


def test_one_part_on_its_own(template):
    done = check('activations', cwd=template)
    assert done.returncode == EXIT_FAILED
    text = ' '.join(done.stdout.split())
    assert 'Nog niet geschreven: ' + ', '.join(NOT_WRITTEN['activations']) in text
    assert 'mean_squared_error' not in text and 'Perceptron' not in text and 'Inlevering' not in text
    assert 'Alleen activations gecontroleerd: 0 / 17 punten.' in text
    done = check('layers', str(template), '--lang', 'en', cwd=template.parent)
    assert re.search(r'Not written yet: (\w+, )*Layer\b', done.stdout) and 'tanh' not in done.stdout


def test_a_syntax_error_is_said_once_at_the_students_line(tmp_path):
    folder = shutil.copytree(TEMPLATE, tmp_path / 'work')
    lines = (folder / 'model.py').read_text(encoding='utf-8').splitlines()
    lines[35] = '    return a +'                                    # line 36, in softsign
    (folder / 'model.py').write_text('\n'.join(lines) + '\n', encoding='utf-8')
    results = tmp_path / 'results.json'
    done = check('--results', str(results), cwd=folder)
    assert done.returncode == EXIT_FAILED
    text = ' '.join(done.stdout.split())
    assert text.count('regel 36') == 1, done.stdout
    assert 'model.py, regel 36: SyntaxError: invalid syntax' in text
    document = results.read_text(encoding='utf-8')
    assert '<frozen' not in document and '<frozen' not in done.stdout and 'importlib' not in done.stdout
    said = [c for c in json.loads(document)['checks'] if 'regel 36' in c['message']]
    assert [c['id'] for c in said] == ['activations.table']
    assert said[0]['details']['fix'][0] == {'file': 'model.py', 'line': 36, 'name': 'SyntaxError',
                                            'problem': 'invalid syntax', 'advice': ''}


def test_exit_statuses(tmp_path):
    assert check(str(tmp_path), cwd=tmp_path).returncode == EXIT_NOTHING          # an empty folder
    reference = hand_in_folder(SETTINGS, tmp_path / 'reference')
    done = check(str(reference), cwd=tmp_path)
    assert done.returncode == EXIT_PASSED, done.stdout
    assert check('nonsense', 'words', 'three', cwd=tmp_path).returncode == 2


def test_a_closed_pipe_ends_quietly(template):
    process = subprocess.Popen([sys.executable, '-P', '-m', 'autograder', 'check'], cwd=template,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, 'COLUMNS': '80'})
    process.stdout.close()                                          # `| head` that has read enough
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=300) == 141
    assert 'Traceback' not in stderr and 'BrokenPipeError' not in stderr


def test_a_method_is_named_with_its_class_and_a_cut_list_says_how_many_more():
    locator = Locator({'model.py': 'def __init__():\n    pass\n\nclass Layer:\n    def __init__(self):\n'
                                   '        raise NotImplementedError\n\nclass DenseLayer(Layer):\n'
                                   '    def __call__(self, xs):\n        raise NotImplementedError\n'})
    assert locator.qualified(Place('model.py', 6, '__init__')).name == 'Layer.__init__'
    assert locator.qualified(Place('model.py', 10, '__call__')).name == 'DenseLayer.__call__'
    assert locator.qualified(Place('model.py', 2, '__init__')).name == '__init__'       # the function
    fixes = [Fix(Place('model.py', line, f'f{line}'), 'wrong') for line in range(1, 8)]
    with language('en'):
        assert with_fixes('Wrong.', fixes).endswith('model.py, line 4 (f4): wrong (and 3 more).')
    with language('nl'):
        assert with_fixes('Fout.', fixes[:5]).endswith('(en nog 1).')
    unreadable = Locator({'model.py': 'def f(:\n    pass\n'}).unreadable
    assert [(u.file, u.line, u.kind) for u in unreadable] == [('model.py', 1, 'SyntaxError')]

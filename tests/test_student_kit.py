"""The student kit (`autograder student-kit`): one wheel that checks a student's work without
the answer key, installed into an environment without the project, and what `autograder
check` says there: a to-do list for the unfilled template, every kit check passed for the
reference hand-in."""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import registry
from autograder.authoring.student_kit import (DEPENDENCIES, build_kit, distribution_name, neutral_settings,
                                              offline_environment)
from autograder.kit import LEFT_OUT
from autograder.probes.points import activation_grid, hidden_points, loss_grid
from autograder.settings.course_secret import public_test_secret
from autograder.settings import load_settings
from helpers.hand_ins import ROOT, hand_in_folder

SETTINGS = load_settings('eindopdracht-v2324.2')
TEMPLATE = ROOT / 'student_template' / SETTINGS.id
SOLUTION_MODULES = ('layers', 'neurons', 'activation_functions', 'loss_functions', 'calculus')


def _body_lines(path: Path) -> set[str]:
    """The code lines of every function body of a reference module (docstrings and comments
    aside), stripped; short lines (`return x`, `else:`) occur in any program and say nothing."""
    source = path.read_text(encoding='utf-8')
    lines = source.splitlines()
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = node.body[1:] if ast.get_docstring(node) is not None else node.body
        for statement in body:
            for line in lines[statement.lineno - 1:statement.end_lineno]:
                text = line.split('#')[0].strip()
                if len(text) >= 24 and not text.startswith(('"""', "'''")):
                    found.add(text)
    return found


def _solution_lines() -> set[str]:
    """Lines of the master notebook's code cells that the student notebook does not have."""
    from autograder.authoring.template import student_notebook
    given = {line.strip() for cell in student_notebook(SETTINGS).cells for line in cell.source.splitlines()}
    master = nbformat.read(SETTINGS.master_path, as_version=4)
    return {line.strip() for cell in master.cells if cell.cell_type == 'code'
            for line in cell.source.splitlines() if len(line.strip()) >= 24 and line.strip() not in given}


@pytest.fixture(scope='module')
def kit(tmp_path_factory):
    return build_kit(SETTINGS, tmp_path_factory.mktemp('kit'))


@pytest.fixture(scope='module')
def kit_python(kit, tmp_path_factory):
    return offline_environment(kit, tmp_path_factory.mktemp('kit-env') / 'venv')


def _run(python: Path, *args: str, cwd: Path, lang: str = 'nl') -> subprocess.CompletedProcess:
    env = {**os.environ, 'COLUMNS': '80', 'AUTOGRADER_LANG': lang}
    env.pop('PYTHONPATH', None)
    autograder = python.parent / 'autograder'
    return subprocess.run([str(autograder), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.mark.slow
def test_the_wheel_holds_no_answer_key(kit):
    assert kit.name.startswith('vlearning_selfcheck_eindopdracht_v2324_2-') and kit.suffix == '.whl'
    with zipfile.ZipFile(kit) as wheel:
        names = wheel.namelist()
        texts = {n: wheel.read(n).decode('utf-8', errors='replace') for n in names}
    metadata = next(t for n, t in texts.items() if n.endswith('.dist-info/METADATA'))
    assert f'Name: {distribution_name(SETTINGS)}\n' in metadata and 'Name: vlearning\n' not in metadata
    assert sorted(re.findall(r'Requires-Dist: (\S+)', metadata)) == sorted(DEPENDENCIES)
    assert not any(n.startswith('vlearning/') for n in names)
    assert not any(n.startswith(('autograder/batch/', 'autograder/gradescope/', 'autograder/authoring/examples/'))
                   or n.endswith(('bundle.py', 'template.py', 'calibration.py', 'student_kit.py')) for n in names)
    everything = '\n'.join(texts.values())
    # no code line of the reference's function bodies
    for module in SOLUTION_MODULES:
        leaked = sorted(line for line in _body_lines(ROOT / 'reference' / 'vlearning' / f'{module}.py')
                        if line in everything)
        assert not leaked, f'{module}.py: {leaked[:5]}'
    # nor the grader's own copies of the course's formulas: the runner's stand-ins for missing
    # functions and the per-instance DenseLayer are replaced or left behind
    for own in ('probes/vlgrader_probe/standins.py', 'probes/per_instance.py'):
        leaked = sorted(line for line in _body_lines(ROOT / 'autograder' / own) if line in everything)
        assert not leaked, f'{own}: {leaked[:5]}'
    assert "'sigmoid'" not in texts['autograder/probes/vlgrader_probe/standins.py']
    # no master solution cell: none of their lines is a line of the kit (its notebook's cells read as cells)
    lines = {line.strip() for n, t in texts.items() if not n.endswith('.ipynb') for line in t.splitlines()}
    lines |= {line.strip() for n, t in texts.items() if n.endswith('.ipynb')
              for cell in nbformat.reads(t, as_version=4).cells for line in cell.source.splitlines()}
    leaked = sorted(_solution_lines() & lines)
    assert not leaked, leaked[:5]
    # no hidden probe point: the functions are asked at the printed tables and the public grid only
    kit_folder = f'autograder/kit/assignments/{SETTINGS.id}/'
    request = json.loads(texts[kit_folder + 'request.json'])
    public = {*SETTINGS.activations.arguments, *activation_grid()}
    for task in request['tasks']:
        if task['id'].startswith('activation:'):
            assert {args[0] for args in task['args']} <= public, task['id']
        if task['id'].startswith('loss:'):
            assert {tuple(args) for args in task['args']} <= {(a, SETTINGS.losses.target) for a in
                                                              [*SETTINGS.losses.arguments, *loss_grid()]}
    assert not any(t['id'].startswith('update:') for t in request['tasks'])      # left out: the reference's step
    # neither the repository's anchors nor the points the (test) secret draws from them
    drawn = [p for table, kind in ((SETTINGS.activations, 'activations'), (SETTINGS.losses, 'losses'))
             for p in [*table.hidden_points, *hidden_points(table, public_test_secret(), SETTINGS.id, kind)]
             if p not in public and p not in SETTINGS.losses.arguments and p not in loss_grid()]
    assert drawn
    numbers = {float(token) for name in ('request.json', 'expected.json', 'assignment.toml')
               for token in re.findall(r'-?\d+\.?\d*(?:e[+-]?\d+)?', texts[kit_folder + name])}
    assert not numbers & set(drawn), sorted(numbers & set(drawn))
    expected = json.loads(texts[kit_folder + 'expected.json'])
    assert not any((entry.get('hidden') or {}).get('arguments')
                   for kind in ('activations', 'losses') for entry in expected[kind].values())
    # no seeds of the hidden points or the hidden test set
    seeds = {SETTINGS.activations.hidden_random.seed, SETTINGS.losses.hidden_random.seed, SETTINGS.part_b.hidden_seed}
    assert not numbers & seeds


def test_the_settings_lose_their_hidden_points_and_seeds_or_the_build_stops():
    cleaned = neutral_settings(SETTINGS.file.read_text(encoding='utf-8'))
    assert 'hidden_points = []' in cleaned and 'seed = 0' in cleaned and 'hidden_seed = 0' in cleaned
    assert neutral_settings('[activations]\nhidden_points = [\n  1.5,\n]\n') == '[activations]\nhidden_points = []\n'
    with pytest.raises(ValueError, match='hidden points'):
        neutral_settings('[activations.hidden_random]\ncount = 8\nseed = 5\n')


@pytest.mark.slow
def test_the_kit_checks_the_template_and_the_reference_without_the_project(kit_python, tmp_path):
    found = subprocess.run([str(kit_python), '-c', 'import vlearning'], capture_output=True, text=True, cwd=tmp_path)
    assert 'ModuleNotFoundError' in found.stderr                 # the reference is nowhere
    where = subprocess.run([str(kit_python), '-c', 'import autograder; print(autograder.__file__)'],
                           capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert str(ROOT) not in where

    template = shutil.copytree(TEMPLATE, tmp_path / 'template')
    done = _run(kit_python, 'check', cwd=template)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) <= 30 and max(map(len, lines)) <= 80, done.stdout
    assert 'Nog niet geschreven: linear, tanh, softsign, sigmoid' in done.stdout
    assert 'NotImplementedError' not in done.stdout and 'Traceback' not in done.stderr
    assert 'Alleen bij de echte beoordeling: activations.hidden' in done.stdout

    reference = hand_in_folder(SETTINGS, tmp_path / 'reference')
    results = tmp_path / 'reference.json'
    done = _run(kit_python, 'check', str(reference), '--results', str(results), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    checks = {c['id']: c for c in json.loads(results.read_text(encoding='utf-8'))['checks']}
    ran = [i for i, c in checks.items() if c['status'] != 'skipped']
    assert ran == [i for i in registry.CHECK_IDS if registry.record(i).step != registry.PART_B and i not in LEFT_OUT]
    assert all(checks[i]['status'] == 'pass' for i in ran), {i: checks[i]['message'] for i in ran}
    assert all(checks[i]['details'].get('left_out') for i in LEFT_OUT)

    code = ('from autograder.notebook import check\nresult = check("layers", lang="en")\n'
            'import re\nprint(sorted(result.failing), '
            'bool(re.search(r"Not written yet: (\\w+, )*Layer\\b", result._repr_html_())))')
    shown = subprocess.run([str(kit_python), '-c', code], capture_output=True, text=True, cwd=template, timeout=300)
    assert shown.stdout.split('\n')[0] == ("['layers.api', 'layers.gradients', 'layers.training'] True"), shown.stderr

    done = _run(kit_python, 'check', '--full', cwd=template)         # the kit runs no notebook
    assert done.returncode == 2 and 'student kit' in done.stderr

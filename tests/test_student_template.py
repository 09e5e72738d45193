"""The student template (`autograder template`): the committed files are a fresh build of the
master, the notebook holds no solution, model.py is an importable standard-library skeleton
of the whole course API, and `autograder check` on the unfilled template says what is missing.
"""
from __future__ import annotations

import ast
import importlib.util
import inspect
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.notebook.cells import is_self_check

from autograder.checks import locked_cells
from autograder.checks.module_imports import scan_source, violations
from autograder.checks import notebook_format
from autograder.notebook.execution import parameters_cell
from autograder.registry import PART_A_CHECKS
from autograder.settings import load_settings
from autograder.authoring.template import PROTOCOL_METHODS, build_template
from helpers.hand_ins import EDITIONS
from vlearning import model as reference

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = load_settings('eindopdracht-v2324.2')
TEMPLATE = ROOT / 'student_template' / SETTINGS.id
NOTEBOOK = TEMPLATE / SETTINGS.notebook
MODEL = TEMPLATE / SETTINGS.module_file
MASTER = nbformat.read(SETTINGS.master_path, as_version=4)
REBUILD = f'autograder template --assignment {SETTINGS.id} --out student_template/{SETTINGS.id}'

# What the master's solution cells contain and the template must not.
SOLUTION_CODE = ('DenseLayer(96)', 'model.elish', 'emnist_mini(', '.fit(', 'evaluate(', 'data.confusion',
                 'data.curve', '52_000', 'epochs = 8', 'alpha=')


def _tags(cell) -> list[str]:
    return cell.get('metadata', {}).get('tags', [])


@pytest.fixture(scope='module')
def student_nb():
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope='module')
def skeleton():
    """model.py imported under a private name (never as `model`: that is the reference shim)."""
    spec = importlib.util.spec_from_file_location('student_template_model', MODEL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the build ------------------------------------------------------------------------------------
@pytest.mark.parametrize('edition', EDITIONS)
def test_the_committed_template_is_a_fresh_build(tmp_path, edition):
    settings = load_settings(edition)
    template = ROOT / 'student_template' / settings.id
    rebuild = f'autograder template --assignment {settings.id} --out student_template/{settings.id}'
    written = build_template(settings, tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in template.iterdir()), \
        f'the committed template has other files than a build; run `{rebuild}`'
    for path in written:
        assert path.read_bytes() == (template / path.name).read_bytes(), \
            f'{path.name} differs from a fresh build of the master; run `{rebuild}` and commit it'


def test_a_rebuild_is_byte_identical(tmp_path):
    first = {p.name: p.read_bytes() for p in build_template(SETTINGS, tmp_path / 'a')}
    second = {p.name: p.read_bytes() for p in build_template(SETTINGS, tmp_path / 'b')}
    assert first == second


def test_no_data_files_are_copied():
    assert not any(p.suffix in ('.dat', '.zip') or p.name == 'data.py' for p in TEMPLATE.iterdir())


# --- the notebook ---------------------------------------------------------------------------------
def test_the_notebook_keeps_the_masters_cells_and_ids(student_nb):
    """The master's cells, then the optional self-check (the grader skips it)."""
    assert [(c.id, c.cell_type) for c in student_nb.cells] == \
        [(c.id, c.cell_type) for c in MASTER.cells] + [('self-check-intro', 'markdown'), ('self-check', 'code')]
    assert is_self_check(student_nb.cells[-1].source)
    for mine, master in zip(student_nb.cells, MASTER.cells):
        if 'solution' not in _tags(master):
            assert mine.source == master.source, f'cell {master.id} changed but is not a solution cell'
    # the master's metadata, and the edition (so that `autograder check` grades this one)
    assert student_nb.metadata == {**MASTER.metadata, 'autograder': {'assignment': SETTINGS.id}}


def test_the_notebook_is_handed_out_clean(student_nb):
    code = [c for c in student_nb.cells if c.cell_type == 'code']
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert not any('solution' in _tags(c) for c in student_nb.cells), 'the solution tag is instructor metadata'
    reading = notebook_format.read(NOTEBOOK, NOTEBOOK.name)
    assert reading.notebook is not None and reading.fraction == 1.0, reading.message


def test_solution_cells_are_emptied_to_their_heading(student_nb):
    master_solutions = {c.id: c for c in MASTER.cells if 'solution' in _tags(c)}
    assert len(master_solutions) == 8
    for cell in student_nb.cells:
        if cell.id not in master_solutions:
            continue
        lines = cell.source.splitlines()
        assert lines[0] == master_solutions[cell.id].source.splitlines()[0], 'the step heading is kept'
        assert '# Schrijf hier je eigen code' in cell.source
        assert all(not line.strip() or line.lstrip().startswith('#') for line in lines), \
            f'cell {cell.id} holds code:\n{cell.source}'
        leaked = [s for s in SOLUTION_CODE if s in cell.source]
        assert not leaked, (cell.id, leaked)
    headings = [c.source.splitlines()[0] for c in student_nb.cells if c.id in master_solutions]
    assert '# STAP 2: MODELDEFINITIE' in headings


def test_no_solution_code_anywhere_between_the_locked_cells(student_nb):
    start, end = [i for i, c in enumerate(student_nb.cells) if SETTINGS.locked_marker in c.source]
    graded = '\n'.join(c.source for c in student_nb.cells[start + 1:end])
    code = '\n'.join(line for line in graded.splitlines() if not line.lstrip().startswith('#'))
    assert not code.strip()
    assert not [s for s in SOLUTION_CODE if s in code]


def test_the_locked_cells_are_unchanged(student_nb):
    locked = locked_cells.match(student_nb, MASTER, SETTINGS.locked_marker)
    assert not locked.problems and locked.graded_run is not None, locked.problems
    mine = [c.source for c in student_nb.cells if SETTINGS.locked_marker in c.source]
    assert mine == [c.source for c in MASTER.cells if SETTINGS.locked_marker in c.source]


def test_the_parameters_cell_keeps_its_tag_so_the_quick_profile_can_inject(student_nb):
    tagged = [i for i, c in enumerate(student_nb.cells) if 'parameters' in _tags(c)]
    master_tagged = [i for i, c in enumerate(MASTER.cells) if 'parameters' in _tags(c)]
    assert tagged == master_tagged and len(tagged) == 1
    cell = student_nb.cells[tagged[0]]
    for name in SETTINGS.profile('quick').parameters:
        assert name in cell.source, f'the placeholder names {name}, which the quick profile injects'
    cell = parameters_cell(student_nb, SETTINGS.profile('quick').parameters, 'test')
    assert cell.after == tagged[0] and 'epochs = ' in cell.source


# --- model.py -------------------------------------------------------------------------------------
def test_model_py_parses_and_imports_only_the_standard_library():
    source = MODEL.read_text(encoding='utf-8')
    uses = scan_source(source, MODEL.name)
    assert not violations(uses), violations(uses)
    assert {u.module for u in uses} <= set(sys.stdlib_module_names)


def test_model_py_defines_every_name_of_the_course_api(skeleton):
    missing = [name for name in reference.__all__ if not hasattr(skeleton, name)]
    assert not missing
    for name in reference.__all__:
        ours, theirs = getattr(skeleton, name), getattr(reference, name)
        assert inspect.isclass(ours) == inspect.isclass(theirs), name
        assert (ours.__doc__ or '').strip(), f'{name} has no docstring'
        if inspect.isclass(theirs):
            assert [b.__name__ for b in ours.__bases__] == [b.__name__ for b in theirs.__bases__], name
            wanted = [m for m in PROTOCOL_METHODS if m in vars(theirs)]
            assert [m for m in wanted if m not in vars(ours)] == [], name
            for method in wanted:
                _same_signature(f'{name}.{method}', vars(ours)[method], vars(theirs)[method])
        else:
            _same_signature(name, ours, theirs)
    assert {'__init__', '__repr__', '__call__', '__add__', '__iadd__', '__getitem__', '__len__', '__iter__',
            'add', 'set_inputs'} <= set(vars(skeleton.Layer))
    assert {'predict', 'partial_fit', 'fit', 'evaluate'} <= set(vars(skeleton.InputLayer))


def _normalised(parameter: inspect.Parameter):
    default = parameter.default
    if callable(default) and default is not inspect.Parameter.empty:
        default = default.__name__
    return parameter.name, parameter.kind, default


def _same_signature(name: str, ours, theirs) -> None:
    """The reference's parameters: names, kinds and defaults."""
    mine = [_normalised(p) for p in inspect.signature(ours).parameters.values()]
    assert mine == [_normalised(p) for p in inspect.signature(theirs).parameters.values()], name


def test_every_function_only_raises_not_implemented():
    tree = ast.parse(MODEL.read_text(encoding='utf-8'))
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    expected = sum(len([m for m in PROTOCOL_METHODS if m in vars(obj)]) if inspect.isclass(obj) else 1
                   for obj in map(lambda name: getattr(reference, name), reference.__all__))
    assert len(functions) == expected
    for function in functions:
        body = function.body
        assert ast.get_docstring(function), f'{function.name} has no docstring'
        assert len(body) == 2, f'{function.name} has more than a docstring and a raise'
        raised = body[1]
        assert isinstance(raised, ast.Raise) and ast.unparse(raised.exc) == 'NotImplementedError', function.name
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    assert all(all(isinstance(s, (ast.FunctionDef, ast.Expr)) for s in c.body) for c in classes), \
        'class bodies hold only a docstring and methods (no class attributes from the reference)'


def test_calling_anything_raises_not_implemented(skeleton):
    for name in reference.__all__:
        obj = getattr(skeleton, name)
        arguments = [0.5] * sum(1 for p in inspect.signature(obj).parameters.values()
                                if p.default is inspect.Parameter.empty
                                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
        with pytest.raises(NotImplementedError):
            obj(*arguments)


# --- autograder check on the unfilled template --------------------------------------------------------
@pytest.fixture(scope='module')
def checked(tmp_path_factory):
    from autograder.grade import GradeOptions, grade
    out = tmp_path_factory.mktemp('template-check')
    started = time.monotonic()
    document = grade(TEMPLATE, SETTINGS, out, GradeOptions(mode='check', isolation=None, progress=False))
    return document, time.monotonic() - started


def test_check_on_the_template_finishes_in_seconds(checked):
    document, seconds = checked
    assert seconds < 10, f'autograder check took {seconds:.1f} s'
    assert document['mode'] == 'check'


def test_check_on_the_template_says_what_is_missing(checked):
    document, _ = checked
    by_id = {c['id']: c for c in document['checks']}
    assert not [c['id'] for c in document['checks'] if c['status'] == 'error'], 'nothing may crash'
    for check_id in PART_A_CHECKS:
        check = by_id[check_id]
        assert check['status'] in ('fail', 'partial') and check['points'] < check['max_points'], check
        if check_id.endswith('.hidden'):      # names the functions, never the hidden points
            table = SETTINGS.activations if check_id.startswith('activations') else SETTINGS.losses
            assert all(f'{name} is wrong' in check['message'] for name in table.tabled), check['message']
        else:
            assert 'NotImplementedError' in check['message'], (check_id, check['message'])
    assert by_id['static.imports']['status'] == 'pass'
    assert by_id['static.locked-cells']['status'] == 'pass'
    assert by_id['static.notebook-format']['status'] == 'pass'
    assert all(by_id[c]['status'] == 'skipped' for c in ('notebook.runs', 'partb.accuracy'))


def test_an_empty_skeleton_earns_no_part_a_points(checked):
    document, _ = checked
    assert sum(c['points'] for c in document['checks'] if c['id'] in PART_A_CHECKS) == 0

"""The boundary of student-facing text (results/student_text.py), where-to-fix in the
student's own files (checks/locate.py, the runner's error records) and the probes' copy of
a module with its sibling files (intake/module_copy.py) — issue 20, items 4 and 5."""
from __future__ import annotations

import copy
import functools
import json
import os

import pytest

from autograder.checks.locate import Locator, from_harness
from autograder.intake.module_copy import copy_module_folder, importable
from autograder.probes.vlgrader_probe import encoding
from autograder.results import Check, Results
from autograder.results.student_text import clean_details, clean_text, error_line, own_file, shown
from autograder.settings import load_settings

GRADER_TRACEBACK = '''Traceback (most recent call last):
  File "/tmp/autograder-sandbox-0/runner-k2j/vlgrader_probe/tasks.py", line 120, in layers_api
    value['len'] = len(model)
  File "/tmp/autograder-sandbox-0/ws-12ab/model.py", line 212, in __len__
    raise TypeError(f"object of type '{type(self).__name__}' has no len()")
TypeError: object of type 'InputLayer' has no len()
'''
LEN_ERROR = {'type': 'TypeError', 'message': "object of type 'InputLayer' has no len()",
             'where': ['model.py:212 in __len__'], 'traceback': GRADER_TRACEBACK}


def test_a_raw_error_record_in_a_message_becomes_one_line():
    message = f"len(model) should be 8, found {({'error': LEN_ERROR})!r}."
    assert clean_text(message) == ("len(model) should be 8, found TypeError: object of type 'InputLayer' has no "
                                   "len() (model.py, line 212).")


def test_a_traceback_becomes_its_last_line_at_the_students_frame():
    assert clean_text('importing it raised:\n' + GRADER_TRACEBACK) == (
        "importing it raised:\nTypeError: object of type 'InputLayer' has no len() (model.py, line 212)\n")


def test_memory_addresses_leave_and_names_stay():
    text = ('found Neuron(dim=2, activation=<function linear at 0x7f3a2b1c0d10>, loss=<built-in function abs>) '
            'and <model.DenseLayer object at 0x7f0011223344>, <bound method Neuron.fit of '
            '<model.Neuron object at 0x7f99aa887766>>, id 0xdeadbeef1')
    assert clean_text(text) == ('found Neuron(dim=2, activation=<function linear>, loss=<built-in function abs>) '
                                'and <DenseLayer object>, <bound method Neuron.fit>, id')
    assert clean_text('0x7f0011223344') == ''


@pytest.mark.parametrize('path, shown_as', [
    ('/tmp/autograder-sandbox-0/ws-1/model.py', 'model.py'),
    ('/tmp/autograder-sandbox-0/ws-1/vlearning/layers.py', 'vlearning/layers.py'),
    ('/srv/grading/out/alice/workspace/model.py', 'model.py'),
    ('/tmp/autograder-sandbox-0/runner-x/vlgrader_probe/tasks.py', None),
    ('/usr/lib/python3.11/importlib/metadata/__init__.py', None),
    ('<frozen importlib._bootstrap>', None),
    ('/opt/vlgrader/runtime/lib/python3.11/site-packages/numpy/core/numeric.py', None),
    ('model.py', 'model.py'),
])
def test_a_path_is_the_students_own_file_or_nothing(path, shown_as):
    assert own_file(path) == shown_as


def test_grader_paths_in_a_text_are_left_out():
    text = ('see /work/main/autograder/checks/neurons.py and File "/usr/lib/python3.11/importlib/__init__.py", '
            'line 126, in import_module; your /tmp/autograder-sandbox-0/ws-9/model.py')
    cleaned = clean_text(text)
    assert '/work' not in cleaned and 'importlib' not in cleaned and '/tmp' not in cleaned
    assert cleaned.endswith('your model.py')


def test_details_keep_the_error_without_traceback_or_grader_frames():
    error = dict(LEN_ERROR, where=['tasks.py:120 in layers_api', 'model.py:212 in __len__'])
    error['where'][0] = '/tmp/autograder-sandbox-0/runner-k/vlgrader_probe/tasks.py:120 in layers_api'
    cleaned = clean_details({'error': error, 'values': [{'float': 'nan'}], 'note': 'at 0x7f0011223344'})
    assert cleaned['error'] == {'type': 'TypeError', 'message': "object of type 'InputLayer' has no len()",
                                'line': "TypeError: object of type 'InputLayer' has no len() (model.py, line 212)",
                                'where': ['model.py:212 in __len__']}
    assert cleaned['values'] == [{'float': 'nan'}] and cleaned['note'] == ''


def test_shown_renders_encoded_values():
    assert shown([[{'float': 'nan'}, 0.5]]) == '[[nan, 0.5]]'
    assert shown({'error': LEN_ERROR}) == "TypeError: object of type 'InputLayer' has no len() (model.py, line 212)"
    assert shown({'repr': '<function f at 0x7fabcdef0123>', 'type': 'function'}) == '<function f>'
    assert error_line({'type': 'ValueError', 'message': ''}) == 'ValueError'


def test_a_huge_text_is_not_parsed_as_a_literal():
    text = "{'a': " * 10_000 + '1' + '}' * 10_000
    assert clean_text(text) == text            # bounded: left as it is, never evaluated


def test_results_add_is_the_boundary():
    """Every check passes it; the instructor's hidden part keeps the raw record."""
    results = Results(load_settings('eindopdracht-v2324.2'), 'quick', submission={})
    check = Check('layers.api', 'Layers', 'partial', 3.0, 4.0,
                  f"len(model) should be 8, found {({'error': LEN_ERROR})!r}",
                  details={'error': LEN_ERROR}, hidden={'traceback': GRADER_TRACEBACK})
    results.add(check)
    stored = json.dumps(results.to_dict()['checks'][0]['details']) + results.checks[0].message
    assert 'Traceback' not in stored and '/tmp/' not in stored and "{'" not in stored
    assert results.checks[0].hidden['traceback'] == GRADER_TRACEBACK


# --- where to fix ------------------------------------------------------------------------------------
SOURCE = '''
class Neuron:
    def __init__(self, dim):
        self.dim = dim

    def fit(self, xs, ys):
        pass


class Perceptron:
    def __init__(self, dimensions):
        self.dim = dimensions

    def fit(self, xs, ys):
        pass
'''


def harness(code, **params):
    return {'type': 'HarnessError', 'message': '', 'harness': True, 'code': code, 'params': params}


def test_a_constructor_the_course_cannot_call_is_pinned_on_init():
    locator = Locator({'model.py': SOURCE})
    place = from_harness(harness('signature', call='Perceptron(dim=…)', name='Perceptron',
                                 signature='(dimensions)', error='missing a required argument'), locator)
    assert (place.file, place.line, place.name) == ('model.py', 11, 'Perceptron.__init__')
    place = from_harness(harness('signature', call='Neuron.fit(…)', name='Neuron.fit'), locator)
    assert place.name == 'Neuron.fit'


def test_a_missing_class_is_pinned_on_nothing_else():
    locator = Locator({'model.py': SOURCE.replace('class Perceptron:', 'class Perceptronn:')})
    assert from_harness(harness('missing-name', name='Perceptron'), locator) is False
    assert from_harness({'type': 'ValueError', 'message': 'x'}, locator) is None


def test_the_runners_errors_name_only_the_students_files(tmp_path, monkeypatch):
    """A package's __init__.py failing inside importlib is pinned on the package's line, never
    on importlib's own __init__.py; paths are the student's, relative to the hand-in."""
    package = tmp_path / 'pkg_w20c'
    package.mkdir()
    (package / '__init__.py').write_text('import importlib.metadata\n'
                                         'VERSION = importlib.metadata.version("no-such-dist-w20c")\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(encoding, 'WORKSPACE', [os.path.realpath(tmp_path)])
    try:
        __import__('pkg_w20c')
    except Exception as error:          # noqa: BLE001 - PackageNotFoundError
        record = encoding.describe_error(error)
    assert record['where'] == ['pkg_w20c/__init__.py:2 in <module>']
    (tmp_path / 'broken_w20c.py').write_text('x = 1\ndef f(:\n')
    try:
        __import__('broken_w20c')
    except SyntaxError as error:
        record = encoding.describe_error(error)
    assert record['where'][-1] == 'broken_w20c.py:2 in <module>'


# --- the probes get the sibling files ------------------------------------------------------------------
def test_the_module_is_copied_with_what_it_can_import(tmp_path):
    hand_in = tmp_path / 'hand_in'
    (hand_in / 'helpers').mkdir(parents=True)
    (hand_in / '.venv' / 'lib').mkdir(parents=True)
    (hand_in / 'notes').mkdir()
    (hand_in / 'model.py').write_text('from layer import *\n')
    (hand_in / 'layer.py').write_text('X = 1\n')
    (hand_in / 'helpers' / '__init__.py').write_text('')
    (hand_in / 'helpers' / 'maths.py').write_text('Y = 2\n')
    (hand_in / 'notes' / 'scratch.py').write_text('')          # not a package: import cannot reach it
    (hand_in / '.venv' / 'lib' / 'six.py').write_text('')
    (hand_in / 'notebook.ipynb').write_text('{}')
    (hand_in / 'linked.py').symlink_to(hand_in / 'layer.py')
    assert [p.relative_to(hand_in).as_posix() for p in importable(hand_in)] == [
        'layer.py', 'model.py', 'helpers/__init__.py', 'helpers/maths.py']
    target = tmp_path / 'probes'
    target.mkdir()
    assert copy_module_folder(hand_in / 'model.py', target) == []
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob('*') if p.is_file()) == [
        'helpers/__init__.py', 'helpers/maths.py', 'layer.py', 'model.py']


# --- a check's message, from a real probe run ------------------------------------------------------------
@functools.cache
def _reference_run():
    from autograder.authoring.bundle import model_source
    from autograder.grade import probe_module
    from autograder.sandbox.isolation import Isolation
    isolation = Isolation()
    folder = isolation.workspace()
    (folder / 'model.py').write_text(model_source(), encoding='utf-8')
    return probe_module(SETTINGS, folder, 'flat', limits=isolation.probe_limits(SETTINGS), sandbox=isolation.sandbox)


SETTINGS = load_settings('eindopdracht-v2324.2')


def test_a_len_that_raises_and_a_refused_beta_read_as_their_errors():
    """Issue 20: `len(model) should be 8, found {'error': {… 'traceback': …}}` and `found None`."""
    from autograder.grade import judge_part_a
    request, run = _reference_run()
    run = copy.deepcopy(run)
    value = run.records['layers_api']['value']
    value['len'] = {'error': LEN_ERROR}
    value['activation_kwargs'] = {'error': {
        'type': 'HarnessError', 'message': '', 'harness': True, 'code': 'signature', 'where': [],
        'traceback': GRADER_TRACEBACK,
        'params': {'call': 'ActivationLayer(…, activation=…, beta=…)', 'name': 'ActivationLayer',
                   'signature': '(outputs, activation=<function linear at 0x7f3a2b1c0d10>, *, name=None)',
                   'error': "got an unexpected keyword argument 'beta'"}}}
    check = {c.id: c for c in judge_part_a(SETTINGS, request, run)}['layers.api']
    assert ("len(model) should be 8, found TypeError: object of type 'InputLayer' has no len() at "
            'model.py:212 in __len__') in check.message
    assert ("does not take that call (got an unexpected keyword argument 'beta')" in check.message
            and 'found None' not in check.message)
    shown_text = check.message + json.dumps(check.details)
    assert "{'" not in shown_text and 'Traceback' not in shown_text and '0x7f' not in shown_text


def test_a_failing_cell_keeps_only_the_students_frames():
    from autograder.results import student_view
    traceback = ['\x1b[31m-----------------------------------------------------------\x1b[39m',
                 '\x1b[31mTypeError\x1b[39m                    Traceback (most recent call last)',
                 'Cell \x1b[32mIn[7]\x1b[39m, line 2\n      1 net = model.InputLayer(2)\n----> 2 len(net)\n',
                 'File \x1b[32m/tmp/autograder-sandbox-0/ws-3/model.py:212\x1b[39m, in \x1b[36mLayer.__len__\x1b[39m'
                 '\x1b[34m(self)\x1b[39m\n    211 def __len__(self):\n--> 212     raise TypeError("no len()")\n',
                 'File /opt/vlgrader/runtime/lib/python3.11/site-packages/numpy/core/numeric.py:5, in f()\n',
                 '\x1b[31mTypeError\x1b[39m: no len()']
    document = {'checks': [], 'notebook': {'cells': [
        {'index': 7, 'status': 'error', 'error': {'ename': 'TypeError', 'evalue': 'no len()', 'traceback': traceback}},
        {'index': 8, 'status': 'ok'}]}}
    cells = student_view(document)['notebook']['cells']
    assert cells[0]['error']['traceback'] == [
        'Cell In[7], line 2\n      1 net = model.InputLayer(2)\n----> 2 len(net)\n',
        'File model.py:212, in Layer.__len__(self)\n    211 def __len__(self):\n--> 212     raise TypeError("no len()")\n',
        'TypeError: no len()']
    assert cells[1] == {'index': 8, 'status': 'ok'}
    assert document['notebook']['cells'][0]['error']['traceback'] == traceback      # the instructor's, untouched


def test_static_imports_read_the_siblings_the_module_imports(tmp_path):
    from autograder.checks.module_imports import module_files
    (tmp_path / 'model.py').write_text('from functions import *\nimport helpers.maths\n')
    (tmp_path / 'functions.py').write_text('import math\nfrom _linalg import dot\n')
    (tmp_path / '_linalg.py').write_text('def dot(a, b):\n    return 0\n')
    (tmp_path / 'helpers').mkdir()
    (tmp_path / 'helpers' / '__init__.py').write_text('')
    (tmp_path / 'test_model.py').write_text('import numpy\n')     # never imported by the module
    (tmp_path / 'data.py').write_text('import matplotlib\n')      # the course's, replaced by the grader's
    assert [p.name for p in module_files(tmp_path / 'model.py', 'flat')] == ['model.py', 'functions.py', '_linalg.py']


def test_a_frame_of_the_graders_watch_cell_never_reaches_the_student():
    """The watch around fit (part_b/kernel_cell.py) is on the stack when a student's fit raises."""
    from autograder.results.student_text import clean_notebook
    traceback = ['\x1b[0;31mTypeError\x1b[0m   Traceback (most recent call last)',
                 "Cell In[27], line 3\n----> 3 history_1 = my_model.fit(trn_xs, trn_ys, batch_size=100)",
                 "Cell In[24], line 49, in __autograder_watch_install.<locals>.wrap.<locals>.watched_method(self)\n"
                 "---> 49                 watch['depth'] -= 1",
                 "TypeError: LinearRegression.fit() got an unexpected keyword argument 'batch_size'"]
    cell = {'index': 27, 'status': 'error', 'error': {'ename': 'TypeError', 'traceback': traceback}}
    shown = clean_notebook({'cells': [cell]})['cells'][0]['error']['traceback']
    assert len(shown) == 2 and 'my_model.fit' in shown[0] and 'batch_size' in shown[1]
    assert not any('watch' in block for block in shown)


def test_only_the_protocol_checks_may_say_tampered():
    """Issue 20: a value inconsistent with the formula is a bug judged by the check's own criteria;
    only a broken probe or report protocol (probe_failures.py, report_failures.py) says 'tampered'."""
    import ast
    from pathlib import Path
    checks = Path(__file__).resolve().parents[1] / 'autograder' / 'checks'
    saying = set()
    for path in checks.glob('*.py'):
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
            if (isinstance(node, ast.Call) and getattr(node.func, 'id', None) in ('_', 'N_') and node.args
                    and isinstance(node.args[0], ast.Constant) and 'tampered' in str(node.args[0].value)):
                saying.add(path.name)
    assert saying == {'probe_failures.py', 'report_failures.py'}, saying

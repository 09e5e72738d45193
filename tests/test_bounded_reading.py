"""The grader reads what a student wrote in bounded time and memory (issue 21, item 1): a
source over the cap is refused with its size, a larger one is parsed in a limited child, no
helper is quadratic; and the imports check (issue 20 pattern 7, issue 22 item 5) tells a
test block under `if __name__ == '__main__':` and a module that does not parse from a
forbidden import."""
from __future__ import annotations

import ast

import pytest

from autograder.checks import module_imports
from autograder.checks.context import Context
from autograder.checks.locate import locator_for
from autograder.checks.notebook_format import MAX_NOTEBOOK_BYTES, read
from autograder.intake import SubmissionSpec, intake
from autograder.notebook.cells import parse_cell, parse_cells
from autograder.results import ERROR
from autograder.sandbox.syntax_tree import (IN_PROCESS_BYTES, MAX_NODES, MAX_SOURCE_BYTES, SourceTooLarge, _decode,
                                            parse, parse_many, read_capped)
from autograder.settings import load_settings

from helpers.hand_ins import hand_in_folder

SETTINGS = load_settings('eindopdracht-v2324.2')


def _functions(count: int) -> str:
    return '\n'.join(f'def f{i}(a, b):\n    return a + b * {i}\n' for i in range(count))


# --- the parser --------------------------------------------------------------------------------
def test_a_larger_source_is_parsed_in_the_child_to_the_same_tree():
    source = _functions(3000)
    assert IN_PROCESS_BYTES < len(source) < MAX_SOURCE_BYTES
    parsed = parse(source)
    assert parsed.ok and ast.dump(parsed.tree, include_attributes=True) == ast.dump(ast.parse(source),
                                                                                     include_attributes=True)


def test_syntax_errors_keep_their_kind_and_line_in_the_child_and_here():
    body = _functions(3000)
    broken = {'small': 'def f():\nreturn 1\n', 'large': body + 'def g(:\n    pass\n',
              'indent': body + 'def h():\n    x = 1\n      y = 2\n'}
    found = parse_many(broken)
    assert (found['small'].error_kind, found['small'].error_line) == ('IndentationError', 2)
    lines = body.count('\n') + 1
    assert (found['large'].error_kind, found['large'].error_line) == ('SyntaxError', lines)
    assert (found['indent'].error_kind, found['indent'].error_line) == ('IndentationError', lines + 2)
    assert not any(p.ok or p.refused for p in found.values())


def test_a_source_over_the_cap_is_refused_with_its_size_unread():
    parsed = parse('x = 1  # ' + 'y' * (8 << 20) + '\n')
    assert parsed.tree is None and not parsed.error_kind
    assert parsed.refused == 'it is 8.0 MB, more than the 1 MB the grader reads of a Python file'


def test_a_tree_with_too_many_nodes_is_refused_in_the_child():
    source = 'x = [' + '0,' * (MAX_NODES + 10) + ']\n'
    assert len(source) < MAX_SOURCE_BYTES
    parsed = parse(source)
    assert parsed.tree is None and 'more than 500,000 syntax elements' in parsed.refused


def test_the_childs_answer_is_json_that_may_hold_syntax_tree_nodes_only():
    """The child read hostile text: its answer is data (JSON), never a pickle, and each object
    in it must be an `ast` node with that node's own fields, or one of the tagged constants."""
    source = "x = b'\\xff' + 1j + ... + 10**30 + 0x" + 'f' * 40 + " + 1e400\n"
    child = parse(source + '#' * (IN_PROCESS_BYTES + 10) + '\n')       # large enough for the child
    assert child.ok and ast.dump(child.tree, include_attributes=True) == ast.dump(ast.parse(source),
                                                                                 include_attributes=True)
    assert _decode(b'[[3, 11], []]') == ([3, 11], [])
    with pytest.raises(ValueError, match='not part of a syntax tree'):
        _decode(b'{"_": "NodeVisitor"}')
    with pytest.raises(ValueError, match='not part of a syntax tree'):
        _decode(b'{"_": "Name", "id": "x", "__class__": "os.system"}')
    with pytest.raises(ValueError, match='not part of a syntax tree'):
        _decode(b'{"$": "pickle", "v": ""}')


def test_read_capped_refuses_before_reading(tmp_path):
    path = tmp_path / 'model.py'
    with open(path, 'wb') as handle:
        handle.truncate(50 << 20)          # sparse: 50 MB that nobody reads
    with pytest.raises(SourceTooLarge, match='it is 50.0 MB, more than the 1 MB'):
        read_capped(path)


def test_a_huge_cell_is_not_parsed():
    assert parse_cell('x = 1\n' * 10) is not None
    assert parse_cell('# ' + 'a' * MAX_SOURCE_BYTES) is None


def test_cells_are_parsed_together_the_larger_ones_in_one_child():
    large = _functions(3000)
    trees = parse_cells(['import os', 'x = (', '%time\nimport math', large, '# ' + 'a' * MAX_SOURCE_BYTES])
    assert [type(t).__name__ for t in trees] == ['Module', 'NoneType', 'Module', 'Module', 'NoneType']
    assert isinstance(trees[2].body[0], ast.Import) and len(trees[3].body) == 3000


# --- the imports check ------------------------------------------------------------------------
def test_statement_texts_are_linear_on_one_long_line():
    """`ast.get_source_segment` per import was quadratic: 37 s at 800 KB; 30,000 imports on one
    line of 330 KB are read here with the text of every statement."""
    line = '; '.join(f'import os as o{i}' for i in range(30_000))
    uses = module_imports.scan_source(line + '\n', 'model.py')
    assert len(uses) == 30_000 and uses[-1].statement == 'import os as o29999' and uses[-1].line == 1


def test_a_long_statement_is_cut_in_the_message():
    uses = module_imports.scan_source('import os, ' + ', '.join(f'm{i}' for i in range(2000)) + '\n', 'model.py')
    assert len(uses[0].statement) == 300 and uses[0].statement.endswith('…')


def test_an_import_under_the_main_guard_is_not_a_violation():
    source = '''import math
def f(x):
    return math.tanh(x)
if __name__ == '__main__':
    import numpy as np
    print(np.tanh(0.5))
else:
    import scipy
'''
    uses = module_imports.scan_source(source, 'model.py')
    assert [(u.module, u.main_only) for u in uses] == [('math', False), ('numpy', True), ('scipy', False)]
    assert [u.module for u in module_imports.violations(uses)] == ['scipy']


def _judge(tmp_path, module: str):
    folder = hand_in_folder(SETTINGS, tmp_path / 'hand-in', module)
    workspace = intake(folder, tmp_path / 'ws', SubmissionSpec.from_settings(SETTINGS))
    ctx = Context(SETTINGS, SETTINGS.profile('quick'), mode='check', workspace=workspace)
    return module_imports.judge(ctx)


def test_the_check_notes_a_test_block_and_passes(tmp_path):
    from autograder.authoring.bundle import model_source
    check = _judge(tmp_path, model_source() + "\n\nif __name__ == '__main__':\n    import numpy\n    print(numpy.pi)\n")
    assert check.status == 'pass', check.message
    assert "model.py:" in check.message and "imports numpy only under `if __name__ == '__main__':`" in check.message
    assert check.details['main_only'][0]['module'] == 'numpy' and check.details['violations'] == []


def test_a_syntax_error_is_an_unreadable_module_not_a_violation(tmp_path):
    from autograder.authoring.bundle import model_source
    lines = model_source().splitlines() + ['', 'def broken(:', '    import numpy']
    check = _judge(tmp_path, '\n'.join(lines) + '\n')
    assert check.status == ERROR and check.points == 0
    # the line is said once, by Deel A's first check (tests/test_check_command.py)
    assert check.message == ('The imports could not be checked: the module could not be read '
                             '(model.py has a SyntaxError (its line is shown under Deel A)).')
    assert check.details['violations'] == []


def test_an_8_mb_line_is_refused_with_a_clear_message(tmp_path):
    from autograder.authoring.bundle import model_source
    numbers = ', '.join(str(i % 1000) for i in range(1_650_000))
    module = model_source() + f'\nEMBEDDED = [{numbers}]\n'
    assert 8.0 < len(module) / 1e6 < 8.2
    check = _judge(tmp_path, module)
    assert check.status == ERROR
    assert check.message == (f'The imports could not be checked: the module could not be read (model.py: it is '
                             f'{len(module) / 2**20:.1f} MB, more than the 1 MB the grader reads of a Python file).')


def test_the_locator_skips_a_file_over_the_cap(tmp_path):
    from autograder.authoring.bundle import model_source
    folder = hand_in_folder(SETTINGS, tmp_path / 'hand-in', model_source() + '#' * (2 << 20) + '\n')
    workspace = intake(folder, tmp_path / 'ws', SubmissionSpec.from_settings(SETTINGS))
    assert locator_for(workspace).functions == {}
    (workspace.module).write_text(model_source())
    assert locator_for(workspace).function('tanh') is not None


def test_a_notebook_over_the_cap_is_not_parsed(tmp_path):
    path = tmp_path / 'notebook.ipynb'
    with open(path, 'wb') as handle:
        handle.truncate(MAX_NOTEBOOK_BYTES + 1)
    reading = read(path, 'notebook.ipynb')
    assert reading.notebook is None and reading.message == (
        'notebook.ipynb is 32.0 MB, more than the 32 MB the grader reads of a notebook: clear its outputs '
        '(Cell > All Output > Clear) and save it again.')


def test_intake_ranks_a_misnamed_module_within_the_bounds(tmp_path):
    """A misnamed module is found by parsing the candidates (larger ones in one child); one
    over the cap is not parsed, and intake says so."""
    from autograder.authoring.bundle import model_source
    module = model_source() + '# padding\n' * 8000                 # > 64 KB: parsed in the child
    assert len(module) > IN_PROCESS_BYTES
    folder = hand_in_folder(SETTINGS, tmp_path / 'a', module)
    (folder / SETTINGS.module_file).rename(folder / 'mymodel.py')
    (folder / 'notes.py').write_text('# ' + 'x' * (2 << 20) + '\n')      # over the cap: ranked last
    workspace = intake(folder, tmp_path / 'ws-a', SubmissionSpec.from_settings(SETTINGS))
    found = {f.code: f.message for f in workspace.findings}
    assert 'module-ambiguous' in found and "'mymodel.py' defines the most of the course's names" in found[
        'module-ambiguous'] and 'notes.py' in found['module-ambiguous']
    assert workspace.module.read_text() == module

    folder = hand_in_folder(SETTINGS, tmp_path / 'b', model_source() + '#' * (2 << 20) + '\n')
    (folder / SETTINGS.module_file).rename(folder / 'mymodel.py')
    workspace = intake(folder, tmp_path / 'ws-b', SubmissionSpec.from_settings(SETTINGS))
    assert 'It could not be parsed' in next(f.message for f in workspace.findings if f.code == 'module-renamed')

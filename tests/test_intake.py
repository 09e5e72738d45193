"""Intake: every accepted shape of a submission becomes the same workspace, and says why."""
import hashlib
import os
from pathlib import Path

import pytest

from autograder.intake.receive import (BlackboardName, IntakeError, SubmissionSpec, intake,
                                       parse_blackboard_name)
from helpers.zips import make_zip

SPEC = SubmissionSpec()
NB, HTML = SPEC.notebook, SPEC.html_export
PREFIX = 'Eindopdracht_v2324.2_s1234567_attempt_2024-06-23-22-14-03_'
MODEL = b'class Perceptron:\n    pass\n\ndef tanh(a):\n    return a\n'
NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
EXPORT = b'<html><body>exported</body></html>'
# Running this file would leave a marker: intake must never run anything.
EXECUTES = b'open(__file__ + ".ran", "w").close()\nclass Neuron:\n    pass\n'


def make_folder(path: Path, members: dict[str, bytes]) -> Path:
    for name, data in members.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(data)
    path.mkdir(parents=True, exist_ok=True)
    return path


def tree_state(path: Path) -> str:
    """Names, kinds and contents of everything under `path` (links not followed)."""
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    lines = []
    for here, folders, files in os.walk(path):
        folders.sort()
        for name in sorted(folders + files):
            full = Path(here) / name
            rel = full.relative_to(path).as_posix()
            if full.is_symlink():
                lines.append(f'{rel} -> {os.readlink(full)}')
            elif full.is_file():
                lines.append(f'{rel} {hashlib.sha256(full.read_bytes()).hexdigest()}')
            else:
                lines.append(f'{rel}/')
    return '\n'.join(lines)


def run(tmp_path, source, spec=SPEC):
    """Intake, checking that the source is untouched and the workspace is new."""
    before = tree_state(source)
    workspaces = tmp_path / 'ws'
    existing = set(workspaces.iterdir()) if workspaces.exists() else set()
    workspace = intake(source, workspaces, spec)
    assert tree_state(source) == before
    assert workspace.root.parent == workspaces.resolve() and workspace.root not in existing
    assert workspace.source == source
    return workspace


def codes(workspace) -> dict[str, str]:
    return {f.code: f.level for f in workspace.findings}


def files(workspace) -> list[str]:
    return sorted(p.relative_to(workspace.root).as_posix() for p in workspace.root.rglob('*')
                  if p.is_file())


def message(workspace, code) -> str:
    [found] = [f.message for f in workspace.findings if f.code == code]
    return found


# ----------------------------------------------------------------------------- input kinds

def test_a_complete_zip_needs_no_findings(tmp_path):
    source = make_zip(tmp_path / 'Eindopdracht_v2324.2.zip',
                      {'model.py': MODEL, NB: NOTEBOOK, HTML: EXPORT})
    workspace = run(tmp_path, source)
    assert workspace.module == workspace.root / 'model.py' and workspace.module_kind == 'flat'
    assert workspace.notebook == workspace.root / NB and workspace.html == workspace.root / HTML
    assert workspace.findings == []
    assert workspace.student is None and workspace.attempt is None
    assert workspace.checksum == hashlib.sha256(source.read_bytes()).hexdigest()
    assert workspace.module.read_bytes() == MODEL


def test_a_folder_is_copied_not_moved(tmp_path):
    source = make_folder(tmp_path / 'submission', {'model.py': MODEL, NB: NOTEBOOK, HTML: EXPORT})
    workspace = run(tmp_path, source)
    assert files(workspace) == sorted([HTML, NB, 'model.py'])
    assert (source / 'model.py').exists() and workspace.findings == []
    assert len(workspace.checksum) == 64


def test_folder_checksum_follows_content(tmp_path):
    one = make_folder(tmp_path / 'one', {'model.py': MODEL, NB: NOTEBOOK})
    two = make_folder(tmp_path / 'two', {'model.py': MODEL, NB: NOTEBOOK})
    three = make_folder(tmp_path / 'three', {'model.py': MODEL + b'#', NB: NOTEBOOK})
    sums = [run(tmp_path, s).checksum for s in (one, two, three)]
    assert sums[0] == sums[1] != sums[2]


def test_a_single_module(tmp_path):
    source = make_folder(tmp_path / 'in', {'model.py': MODEL}) / 'model.py'
    workspace = run(tmp_path, source)
    assert workspace.module == workspace.root / 'model.py' and workspace.module_kind == 'flat'
    assert codes(workspace) == {'notebook-missing': 'error', 'html-missing': 'warning'}


def test_a_single_module_under_another_name_is_the_module(tmp_path):
    source = make_folder(tmp_path / 'in', {'script.py': b'print("hi")\n'}) / 'script.py'
    workspace = run(tmp_path, source)
    assert workspace.module.read_bytes() == b'print("hi")\n'
    assert (workspace.root / 'script.py').exists()
    assert 'script.py' in message(workspace, 'module-renamed')


def test_a_single_notebook(tmp_path):
    source = make_folder(tmp_path / 'in', {NB: NOTEBOOK}) / NB
    workspace = run(tmp_path, source)
    assert workspace.notebook == workspace.root / NB and workspace.module is None
    assert codes(workspace)['module-missing'] == 'error'


def test_a_zip_without_extension(tmp_path):
    source = make_zip(tmp_path / 'submission', {'model.py': MODEL, NB: NOTEBOOK, HTML: EXPORT})
    workspace = run(tmp_path, source)
    assert workspace.module is not None and 'zip-without-extension' in codes(workspace)


def test_other_files_are_refused_with_a_reason(tmp_path):
    source = make_folder(tmp_path / 'in', {'report.docx': b'word'}) / 'report.docx'
    with pytest.raises(IntakeError, match=r"'report.docx' is a '.docx' file; expected a .zip"):
        intake(source, tmp_path / 'ws', SPEC)
    with pytest.raises(IntakeError, match='does not exist'):
        intake(tmp_path / 'missing.zip', tmp_path / 'ws', SPEC)


def test_workspaces_are_always_new(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, NB: NOTEBOOK, HTML: EXPORT})
    first, second = run(tmp_path, source), run(tmp_path, source)
    assert first.root != second.root
    assert first.root.name.startswith('sub-') and second.root.name == first.root.name + '-2'
    assert files(first) == files(second) and first.findings == second.findings


def test_the_workspace_may_not_lie_inside_a_source_folder(tmp_path):
    source = make_folder(tmp_path / 'sub', {'model.py': MODEL})
    with pytest.raises(ValueError, match='inside the submission'):
        intake(source, source / 'ws', SPEC)
    assert not (source / 'ws').exists()


# ---------------------------------------------------------------------------- folder safety

def test_folder_symlinks_are_skipped_not_followed(tmp_path):
    secret = make_folder(tmp_path / 'elsewhere', {'secret.txt': b'secret'})
    source = make_folder(tmp_path / 'sub', {'model.py': MODEL, NB: NOTEBOOK})
    (source / 'link.txt').symlink_to(secret / 'secret.txt')
    (source / 'linkdir').symlink_to(secret)
    workspace = run(tmp_path, source)
    assert files(workspace) == sorted([NB, 'model.py'])
    text = message(workspace, 'symlink-skipped')
    assert codes(workspace)['symlink-skipped'] == 'warning'
    assert "'link.txt'" in text and "'linkdir'" in text


def test_folder_special_files_are_skipped(tmp_path):
    source = make_folder(tmp_path / 'sub', {'model.py': MODEL})
    os.mkfifo(source / 'pipe')
    workspace = run(tmp_path, source)
    assert "'pipe'" in message(workspace, 'special-file-skipped')


def test_folder_limits(tmp_path):
    source = make_folder(tmp_path / 'sub', {f'f{i}.txt': b'x' * 100 for i in range(4)})
    with pytest.raises(IntakeError, match="folder 'sub' holds more than 3 files"):
        intake(source, tmp_path / 'ws', SubmissionSpec(max_files=3))
    with pytest.raises(IntakeError, match="folder 'sub' holds more than 300 bytes"):
        intake(source, tmp_path / 'ws', SubmissionSpec(max_unpacked_bytes=300))
    assert not (tmp_path / 'ws').exists() or not any((tmp_path / 'ws').iterdir())


def test_undecodable_folder_names_do_not_break_messages(tmp_path):
    source = make_folder(tmp_path / 'sub', {'model.py': MODEL})
    (source / os.fsdecode(b'._caf\xe9.py')).write_bytes(b'')
    (source / os.fsdecode(b'notitie_\xe9.txt')).write_bytes(b'x')
    workspace = run(tmp_path, source)
    assert (workspace.root / os.fsdecode(b'notitie_\xe9.txt')).read_bytes() == b'x'
    assert message(workspace, 'junk-skipped').encode('utf-8')


def test_an_oversized_file_is_not_read(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL * 100})
    with pytest.raises(IntakeError, match=r"'sub.zip' is [\d,]+ bytes; .* at most 100 bytes"):
        intake(source, tmp_path / 'ws', SubmissionSpec(max_unpacked_bytes=100))


def test_folder_junk_is_skipped(tmp_path):
    source = make_folder(tmp_path / 'sub', {'model.py': MODEL, '.DS_Store': b'',
                                            '__pycache__/model.cpython-311.pyc': b''})
    workspace = run(tmp_path, source)
    assert files(workspace) == ['model.py']
    assert codes(workspace)['junk-skipped'] == 'info'


# ------------------------------------------------------------------------------- blackboard

@pytest.mark.parametrize('name, expected', [
    (PREFIX + 'Eindopdracht_v2324.2.zip',
     BlackboardName('Eindopdracht_v2324.2', 's1234567', '2024-06-23-22-14-03',
                    'Eindopdracht_v2324.2.zip')),
    ('Eind_op_dracht 2.0_jan.jansen_attempt_2024-01-02-03-04-05_model_v2.py',
     BlackboardName('Eind_op_dracht 2.0', 'jan.jansen', '2024-01-02-03-04-05', 'model_v2.py')),
    ('Opdracht_s1_attempt_2024-06-23-22-14-03.txt',
     BlackboardName('Opdracht', 's1', '2024-06-23-22-14-03', None)),
    ('Eindopdracht_v2324.2.zip', None),
    ('Opdracht_s1_attempt_2024-13-23-22-14-03_model.py', None),     # no 13th month
    ('Opdracht_s1_attempt_2024-06-23_model.py', None),
])
def test_parse_blackboard_name(name, expected):
    assert parse_blackboard_name(name) == expected


def test_a_blackboard_zip_gives_student_and_attempt(tmp_path):
    source = make_zip(tmp_path / (PREFIX + 'Eindopdracht_v2324.2.zip'),
                      {'model.py': MODEL, NB: NOTEBOOK, HTML: EXPORT})
    workspace = run(tmp_path, source)
    assert (workspace.student, workspace.attempt) == ('s1234567', '2024-06-23-22-14-03')
    assert workspace.root.name.startswith('s1234567_2024-06-23-22-14-03-')
    assert workspace.findings == []


def test_a_folder_of_loose_blackboard_files(tmp_path):
    receipt = PREFIX[:-1] + '.txt'
    source = make_folder(tmp_path / 'attempt', {PREFIX + 'model.py': MODEL, PREFIX + NB: NOTEBOOK,
                                                PREFIX + HTML: EXPORT, receipt: b'Name: ...'})
    workspace = run(tmp_path, source)
    assert files(workspace) == sorted([HTML, NB, 'model.py', receipt])
    assert (workspace.student, workspace.attempt) == ('s1234567', '2024-06-23-22-14-03')
    assert workspace.module == workspace.root / 'model.py' and workspace.html is not None
    assert codes(workspace) == {'blackboard-names': 'info', 'blackboard-receipt': 'info'}


def test_a_single_blackboard_module(tmp_path):
    source = make_folder(tmp_path / 'in', {PREFIX + 'model.py': MODEL}) / (PREFIX + 'model.py')
    workspace = run(tmp_path, source)
    assert files(workspace) == ['model.py'] and workspace.student == 's1234567'
    assert 'module-renamed' not in codes(workspace)


def test_files_of_several_attempts_are_refused(tmp_path):
    other = PREFIX.replace('s1234567', 's7654321')
    source = make_folder(tmp_path / 'bulk', {PREFIX + 'model.py': MODEL, other + 'model.py': MODEL})
    with pytest.raises(IntakeError, match='several Blackboard attempts.*s1234567.*s7654321'):
        intake(source, tmp_path / 'ws', SPEC)
    assert not any((tmp_path / 'ws').iterdir())


# ------------------------------------------------------------------------- repairing shape

def test_nested_folder_is_flattened(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'Eindopdracht/model.py': MODEL,
                                             f'Eindopdracht/{NB}': NOTEBOOK,
                                             f'Eindopdracht/{HTML}': EXPORT,
                                             '__MACOSX/Eindopdracht/._model.py': b''})
    workspace = run(tmp_path, source)
    assert files(workspace) == sorted([HTML, NB, 'model.py'])
    assert "'Eindopdracht/'" in message(workspace, 'nested-folder')
    assert workspace.notebook == workspace.root / NB


def test_a_zipped_zip_is_unpacked_once(tmp_path):
    inner = make_zip(tmp_path / 'Eindopdracht.zip', {'Eindopdracht/model.py': MODEL,
                                                     f'Eindopdracht/{NB}': NOTEBOOK})
    source = make_zip(tmp_path / 'outer.zip', {'Eindopdracht.zip': inner.read_bytes()})
    workspace = run(tmp_path, source)
    assert files(workspace) == sorted([NB, 'model.py'])
    assert "'Eindopdracht.zip'" in message(workspace, 'nested-zip')
    assert {'nested-zip', 'nested-folder'} <= set(codes(workspace))


def test_only_one_level_of_zips_is_unpacked(tmp_path):
    deepest = make_zip(tmp_path / 'deepest.zip', {'model.py': MODEL})
    inner = make_zip(tmp_path / 'inner.zip', {'deepest.zip': deepest.read_bytes()})
    source = make_zip(tmp_path / 'outer.zip', {'inner.zip': inner.read_bytes()})
    workspace = run(tmp_path, source)
    assert files(workspace) == ['deepest.zip'] and workspace.module is None
    assert "'deepest.zip'" in message(workspace, 'zip-not-unpacked')


def test_a_blackboard_folder_holding_the_zip(tmp_path):
    inner = make_zip(tmp_path / 'x.zip', {'model.py': MODEL, NB: NOTEBOOK, HTML: EXPORT})
    source = make_folder(tmp_path / 'attempt', {PREFIX + 'Eindopdracht_v2324.2.zip':
                                                inner.read_bytes(),
                                                PREFIX[:-1] + '.txt': b'receipt'})
    workspace = run(tmp_path, source)
    assert workspace.module is not None and workspace.html is not None
    assert workspace.student == 's1234567'
    assert {'blackboard-names', 'blackboard-receipt', 'nested-zip'} <= set(codes(workspace))


# --------------------------------------------------------------------------------- the module

def test_a_package(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'vlearning/__init__.py': b'',
                                             'vlearning/layers.py': MODEL,
                                             NB: NOTEBOOK, HTML: EXPORT})
    workspace = run(tmp_path, source)
    assert workspace.module == workspace.root / 'vlearning' and workspace.module_kind == 'package'
    assert workspace.findings == []


def test_flat_and_package_prefers_flat_and_says_so(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'vlearning/__init__.py': b'', 'model.py': MODEL})
    workspace = run(tmp_path, source)
    assert workspace.module_kind == 'flat' and codes(workspace)['module-choice'] == 'info'


def test_a_package_without_init(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'vlearning/layers.py': MODEL})
    workspace = run(tmp_path, source)
    assert workspace.module_kind == 'package' and 'package-init-missing' in codes(workspace)


def test_a_package_in_the_wrong_case(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'VLearning/__init__.py': b'', NB: NOTEBOOK})
    workspace = run(tmp_path, source)
    assert workspace.module == workspace.root / 'vlearning'
    assert (workspace.root / 'VLearning' / '__init__.py').exists()
    assert "'VLearning/'" in message(workspace, 'package-renamed')


def test_a_misnamed_module_is_copied_never_run(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'Model.py': EXECUTES, NB: NOTEBOOK})
    workspace = run(tmp_path, source)
    assert workspace.module == workspace.root / 'model.py'
    assert workspace.module.read_bytes() == EXECUTES and (workspace.root / 'Model.py').exists()
    assert message(workspace, 'module-renamed') == ("The module is named 'Model.py'; expected "
                                                     "'model.py' — graded as the module.")
    assert codes(workspace)['module-renamed'] == 'warning'
    assert not list(tmp_path.rglob('*.ran'))


def test_another_py_that_defines_things_is_the_module(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'mijn_netwerk.py': MODEL,
                                             'data.py': b'def linear(): pass\n', NB: NOTEBOOK})
    workspace = run(tmp_path, source)
    assert workspace.module.read_bytes() == MODEL
    assert "'mijn_netwerk.py'" in message(workspace, 'module-renamed')
    assert "'data.py'" in message(workspace, 'course-file-included')


def test_several_candidates_choose_deterministically(tmp_path):
    helpers = b'def helper():\n    pass\n'
    source = make_zip(tmp_path / 'sub.zip', {'a_helpers.py': helpers, 'netwerk.py': MODEL,
                                             'z_tools.py': helpers, 'run.py': b'print(1)\n'})
    workspace = run(tmp_path, source)
    assert workspace.module.read_bytes() == MODEL
    text = message(workspace, 'module-ambiguous')
    assert "'netwerk.py'" in text and "'a_helpers.py'" in text and "'z_tools.py'" in text
    assert "'run.py'" not in text


def test_a_script_that_defines_nothing_is_not_the_module(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'run.py': b'print(1)\n', NB: NOTEBOOK})
    workspace = run(tmp_path, source)
    assert workspace.module is None and workspace.module_kind is None
    assert "'model.py'" in message(workspace, 'module-missing')
    assert "'run.py'" in message(workspace, 'module-missing')


def test_a_module_one_folder_down(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'code/model.py': MODEL, NB: NOTEBOOK, HTML: EXPORT})
    workspace = run(tmp_path, source)
    assert workspace.module == workspace.root / 'model.py'
    assert message(workspace, 'module-nested') == (
        "The module is 'code/model.py'; expected 'model.py' at the top of the submission — "
        "graded as the module.")


def test_a_package_one_folder_down(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'code/vlearning/__init__.py': b'', NB: NOTEBOOK})
    workspace = run(tmp_path, source)
    assert workspace.module == workspace.root / 'vlearning' and workspace.module_kind == 'package'
    assert (workspace.module / '__init__.py').exists()
    assert "'code/vlearning/'" in message(workspace, 'module-nested')


# ------------------------------------------------------------------ notebook and HTML export

def test_a_misnamed_notebook_and_export(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, 'Eindopdracht (1).ipynb': NOTEBOOK,
                                             'export.html': EXPORT})
    workspace = run(tmp_path, source)
    assert workspace.notebook == workspace.root / 'Eindopdracht (1).ipynb'
    assert workspace.html == workspace.root / 'export.html'
    assert "'Eindopdracht (1).ipynb'" in message(workspace, 'notebook-renamed')
    assert codes(workspace) == {'notebook-renamed': 'warning', 'html-renamed': 'warning'}


def test_several_notebooks_choose_the_closest_name(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, 'Untitled.ipynb': NOTEBOOK,
                                             'Eindopdracht_v2324.2_final.ipynb': NOTEBOOK,
                                             'scratch.ipynb': NOTEBOOK})
    workspace = run(tmp_path, source)
    assert workspace.notebook.name == 'Eindopdracht_v2324.2_final.ipynb'
    text = message(workspace, 'notebook-ambiguous')
    assert "'Untitled.ipynb'" in text and "'scratch.ipynb'" in text


def test_a_notebook_one_folder_down(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, f'notebooks/{NB}': NOTEBOOK})
    workspace = run(tmp_path, source)
    assert workspace.notebook == workspace.root / 'notebooks' / NB
    assert f"'notebooks/{NB}'" in message(workspace, 'notebook-nested')


def test_missing_parts(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, 'Eindopdracht.pdf': b'%PDF'})
    workspace = run(tmp_path, source)
    assert workspace.notebook is None and workspace.html is None
    assert codes(workspace) == {'notebook-missing': 'error', 'html-missing': 'warning'}
    assert "'Eindopdracht.pdf'" in message(workspace, 'html-missing')


def test_an_included_data_file_is_noted(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, NB: NOTEBOOK, HTML: EXPORT,
                                             'EMNIST_mini.dat': b'0 1 2\n'})
    workspace = run(tmp_path, source)
    assert codes(workspace) == {'data-file-included': 'info'}
    assert "'EMNIST_mini.dat'" in message(workspace, 'data-file-included')

"""Intake refuses unsafe zips before writing anything, and never writes outside its workspace."""
import stat
import zipfile
from pathlib import Path

import pytest

from autograder.intake import unpack
from helpers.zips import make_zip
from autograder.intake.receive import IntakeError, SubmissionSpec, intake

SPEC = SubmissionSpec()
MODEL = b'class Perceptron:\n    pass\n'
NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def patch(path: Path, old: bytes, new: bytes) -> None:
    """Replace bytes everywhere in the file (local header and central directory)."""
    raw = path.read_bytes()
    assert raw.count(old) >= 2 and len(old) == len(new)
    path.write_bytes(raw.replace(old, new))


def refused(tmp_path, source, spec=SPEC) -> str:
    before = source.read_bytes()
    workspaces = tmp_path / 'ws'
    with pytest.raises(IntakeError) as caught:
        intake(source, workspaces, spec)
    assert source.read_bytes() == before
    assert not workspaces.exists() or not any(workspaces.iterdir()), 'workspace left behind'
    assert not (tmp_path / 'evil.txt').exists()
    return str(caught.value)


@pytest.mark.parametrize('name', ['../evil.txt', 'sub/../../evil.txt', '/tmp/evil.txt',
                                  'C:\\Users\\evil.txt', 'C:/evil.txt', '\\evil.txt',
                                  '\\\\server\\share\\evil.txt', 'sub\\..\\..\\evil.txt'])
def test_refuses_paths_outside_the_archive(tmp_path, name):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, name: b'x'})
    message = refused(tmp_path, source)
    assert "'sub.zip'" in message and name in message


@pytest.mark.parametrize('mode, word', [(stat.S_IFLNK | 0o777, 'symbolic link'),
                                        (stat.S_IFCHR | 0o666, 'device'),
                                        (stat.S_IFIFO | 0o666, 'device')])
def test_refuses_links_and_devices(tmp_path, mode, word):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, 'link.py': (b'/etc/passwd', mode)})
    message = refused(tmp_path, source)
    assert "'link.py'" in message and word in message


def test_refuses_too_many_files(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {f'f{i}.txt': b'x' for i in range(6)})
    message = refused(tmp_path, source, SubmissionSpec(max_files=5))
    assert '6 files' in message and 'at most 5' in message


def test_refuses_too_large_declared_size(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, 'big.bin': bytes(5000)})
    message = refused(tmp_path, source, SubmissionSpec(max_unpacked_bytes=4096))
    assert "'sub.zip'" in message and 'at most' in message


def test_refuses_a_zip_bomb_member(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, 'bomb.txt': bytes(4 * 2**20)})
    message = refused(tmp_path, source)
    assert "'bomb.txt'" in message and 'zip bomb' in message


def test_small_highly_compressible_files_are_fine(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL + b'#' * 100_000})
    assert intake(source, tmp_path / 'ws', SPEC).module is not None


def test_counts_bytes_actually_written(tmp_path, monkeypatch):
    """Declared sizes can lie: the streaming counter stops on its own."""
    monkeypatch.setattr(unpack.Budget, 'check_declared', lambda *args: None)
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, 'big.bin': bytes(10_000)})
    message = refused(tmp_path, source, SubmissionSpec(max_unpacked_bytes=5000))
    assert "'big.bin'" in message


def test_refuses_a_member_whose_declared_size_lies(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, 'data.bin': b'a' * 3000},
                      compression=zipfile.ZIP_STORED)
    raw = bytearray(source.read_bytes())
    central = raw.find(b'PK\x01\x02', raw.find(b'PK\x01\x02') + 1)   # the second member
    raw[central + 24:central + 28] = (10).to_bytes(4, 'little')     # uncompressed size
    source.write_bytes(bytes(raw))
    message = refused(tmp_path, source)
    assert "'data.bin'" in message


def test_refuses_password_protected_members(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL})
    raw = bytearray(source.read_bytes())
    central = raw.find(b'PK\x01\x02')
    raw[central + 8] |= 0x1
    source.write_bytes(bytes(raw))
    assert 'password' in refused(tmp_path, source)


def test_refuses_an_unreadable_zip(tmp_path):
    source = tmp_path / 'broken.zip'
    source.write_bytes(b'PK\x03\x04 this is not really a zip')
    message = refused(tmp_path, source)
    assert "'broken.zip'" in message and 'zip' in message


def test_refuses_a_file_where_a_folder_is_needed(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'a': b'x', 'a/model.py': MODEL})
    assert "'a/model.py'" in refused(tmp_path, source)


def test_refuses_other_archive_formats(tmp_path):
    source = tmp_path / 'sub.rar'
    source.write_bytes(b'Rar!\x1a\x07\x00')
    message = refused(tmp_path, source)
    assert "'sub.rar'" in message and '.zip' in message


def test_nested_zip_gets_the_same_guards(tmp_path):
    inner = make_zip(tmp_path / 'inner.zip', {'model.py': MODEL, '../evil.txt': b'x'})
    source = make_zip(tmp_path / 'outer.zip', {'inner.zip': inner.read_bytes()})
    message = refused(tmp_path, source)
    assert "'outer.zip/inner.zip'" in message and '../evil.txt' in message


def test_nested_zip_shares_the_size_budget(tmp_path):
    inner = make_zip(tmp_path / 'inner.zip', {'model.py': MODEL, 'big.bin': bytes(3000)},
                     compression=zipfile.ZIP_STORED)
    source = make_zip(tmp_path / 'outer.zip', {'inner.zip': inner.read_bytes()},
                      compression=zipfile.ZIP_STORED)
    message = refused(tmp_path, source, SubmissionSpec(max_unpacked_bytes=5000))
    assert "'outer.zip/inner.zip'" in message and 'on top of' in message and 'at most 5,000 bytes' in message


def test_junk_is_skipped_and_reported(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {
        'model.py': MODEL, 'Eindopdracht_v2324.2.ipynb': NOTEBOOK,
        '__MACOSX/._model.py': b'junk', '.DS_Store': b'junk',
        '.ipynb_checkpoints/Eindopdracht_v2324.2-checkpoint.ipynb': NOTEBOOK,
        '__pycache__/model.cpython-311.pyc': b'junk'})
    workspace = intake(source, tmp_path / 'ws', SPEC)
    files = sorted(p.relative_to(workspace.root).as_posix() for p in workspace.root.rglob('*'))
    assert files == ['Eindopdracht_v2324.2.ipynb', 'model.py']
    [junk] = [f for f in workspace.findings if f.code == 'junk-skipped']
    assert junk.level == 'info'
    for name in ('__MACOSX/', '.DS_Store', '.ipynb_checkpoints/', '__pycache__/'):
        assert name in junk.message


def test_backslash_separators_are_folders(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'Eindopdracht\\model.py': MODEL,
                                             'Eindopdracht\\Eindopdracht_v2324.2.ipynb': NOTEBOOK})
    workspace = intake(source, tmp_path / 'ws', SPEC)
    assert workspace.module == workspace.root / 'model.py'
    assert 'nested-folder' in [f.code for f in workspace.findings]


def test_duplicate_members_keep_the_last(tmp_path):
    source = tmp_path / 'sub.zip'
    with pytest.warns(UserWarning), zipfile.ZipFile(source, 'w') as archive:
        archive.writestr('model.py', b'old = 1\n')
        archive.writestr('model.py', MODEL)
    workspace = intake(source, tmp_path / 'ws', SPEC)
    assert workspace.module.read_bytes() == MODEL
    assert 'duplicate-member' in [f.code for f in workspace.findings]


def test_cp437_names_without_the_utf8_flag(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, 'notitie_X.txt': b'x'})
    patch(source, b'notitie_X', b'notitie_\x82')     # 'é' in cp437, no UTF-8 flag
    workspace = intake(source, tmp_path / 'ws', SPEC)
    assert (workspace.root / 'notitie_é.txt').read_bytes() == b'x'


def test_utf8_names_without_the_flag(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, 'cafXY.txt': b'x'})
    patch(source, b'cafXY', 'café'.encode())
    workspace = intake(source, tmp_path / 'ws', SPEC)
    assert (workspace.root / 'café.txt').read_bytes() == b'x'


def test_invalid_utf8_names_with_the_flag_are_refused_not_crashed(tmp_path):
    source = make_zip(tmp_path / 'sub.zip', {'model.py': MODEL, 'cafÄ.txt': b'x'})
    patch(source, 'cafÄ'.encode(), b'caf\xff\xfe')
    assert 'UTF-8' in refused(tmp_path, source)

"""`autograder export-gradescope`: the bundle's layout, its scripts, and its run_autograder run
locally against a fake /autograder layout (AUTOGRADER_GRADESCOPE_ROOT), grading with the
bundle's own copy of the grader."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from helpers.hand_ins import example_files, make_cheap_assignment
from helpers.zips import write_zip

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow      # the Gradescope bundle run end to end


@pytest.fixture(scope='module')
def bundle(tmp_path_factory):
    folder = make_cheap_assignment(tmp_path_factory.mktemp('assignment'))
    out = tmp_path_factory.mktemp('bundle') / 'autograder.zip'
    done = subprocess.run([sys.executable, '-m', 'autograder', 'export-gradescope', '--assignment', str(folder),
                           '--out', str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    return out, folder


@pytest.fixture
def fake_root():
    """An /autograder stand-in the sandbox user can traverse (pytest's tmp_path is 0700)."""
    root = Path(tempfile.mkdtemp(prefix='gradescope-'))
    root.chmod(0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _install(bundle_zip: Path, root: Path) -> Path:
    source = root / 'source'
    source.mkdir(parents=True)
    with zipfile.ZipFile(bundle_zip) as archive:
        for info in archive.infolist():
            archive.extract(info, source)
            mode = info.external_attr >> 16
            if mode:
                (source / info.filename).chmod(stat.S_IMODE(mode))
    for folder in (source, *[p for p in source.rglob('*') if p.is_dir()]):
        folder.chmod(0o755)
    (root / 'submission').mkdir()
    (root / 'results').mkdir()
    return source


def _run(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, 'AUTOGRADER_GRADESCOPE_ROOT': str(root), 'AUTOGRADER_PYTHON': sys.executable}
    return subprocess.run([str(root / 'source' / 'run_autograder')], env=env, capture_output=True, text=True,
                          timeout=900, cwd='/')


def test_the_bundle_holds_the_scripts_the_grader_and_one_assignment(bundle):
    path, folder = bundle
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        config = json.loads(archive.read('gradescope.json'))
        setup = archive.read('setup.sh').decode()
    for required in ('setup.sh', 'run_autograder', 'gradescope.json', 'pyproject.toml', 'README.md',
                     'autograder/grade.py', 'autograder/gradescope/run_autograder.py', 'reference/vlearning/__init__.py',
                     'autograder/sandbox/runtime-requirements.txt', 'assignments/eindopdracht-v2324.2/assignment.toml',
                     'assignments/eindopdracht-v2324.2/master.ipynb', 'assignments/eindopdracht-v2324.2/expected.json'):
        assert required in names, required
    assert modes['setup.sh'] & 0o111 and modes['run_autograder'] & 0o111
    assert not any('__pycache__' in n or n.endswith('.pyc') or n.startswith(('tests/', '.venv/')) for n in names)
    assert config['assignment'] == 'eindopdracht-v2324.2' and config['profile'] == 'quick' and config['data'] is None
    assert 'pip install --quiet -e' in setup and 'bubblewrap' in setup and 'useradd' in setup
    for script in ('setup.sh', 'run_autograder'):
        with zipfile.ZipFile(path) as archive:
            text = archive.read(script).decode()
        assert text.startswith('#!/usr/bin/env bash\n')
        assert subprocess.run(['bash', '-n'], input=text, text=True).returncode == 0, script


def test_run_autograder_grades_the_submission_into_results_json(bundle, fake_root):
    path, folder = bundle
    from autograder.settings import load_settings
    settings = load_settings(folder)
    source = _install(path, fake_root)
    # Gradescope puts the student's uploaded files in /autograder/submission
    for name, data in example_files(settings, 'reference').items():
        (fake_root / 'submission' / name).write_bytes(data)
    (fake_root / 'submission_metadata.json').write_text(json.dumps(
        {'users': [{'email': 'student@example.org', 'name': 'A Student', 'id': 7}]}))
    done = _run(fake_root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f'grader: {source / "autograder"}' in done.stdout      # the bundle's own copy graded
    results = json.loads((fake_root / 'results' / 'results.json').read_text())
    assert results['score'] == 100.0 and len(results['tests']) == 22
    assert all(t['status'] == 'passed' and 0 <= t['score'] <= t['max_score'] for t in results['tests'])
    assert results['output'].startswith('Grade 10.0')
    assert sorted(p.name for p in (fake_root / 'results').iterdir()) == ['results.json']


def test_a_broken_submission_still_gets_results_and_a_grader_failure_none(bundle, fake_root):
    path, _ = bundle
    source = _install(path, fake_root)
    write_zip(fake_root / 'submission' / 'Eindopdracht_v2324.2.zip', {})
    done = _run(fake_root)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((fake_root / 'results' / 'results.json').read_text())
    assert results['score'] == 0 and all(t['status'] == 'failed' for t in results['tests'])
    # a grader that cannot run writes no results.json: Gradescope then says the autograder failed
    (fake_root / 'results' / 'results.json').unlink()
    (source / 'gradescope.json').write_text('{"assignment": "no-such-assignment"}')
    done = _run(fake_root)
    assert done.returncode == 1
    assert 'no results.json was written' in done.stderr
    assert not (fake_root / 'results' / 'results.json').exists()


def test_the_course_secret_and_hidden_data_go_into_the_bundle(tmp_path):
    from autograder.gradescope.export import build_bundle
    from autograder.settings import load_settings
    from autograder.settings.course_secret import init_secret, read_secret
    secret = read_secret(init_secret(tmp_path / 'secret'))
    hidden = tmp_path / 'hidden.dat'
    hidden.write_bytes(bytes(26 * 72 * 3))
    out = build_bundle(load_settings('eindopdracht-v2324.2'), tmp_path / 'bundle.zip', secret=secret.key,
                       hidden_data=hidden)
    with zipfile.ZipFile(out) as archive:
        config = json.loads(archive.read('gradescope.json'))
        assert archive.read(config['secret']) == secret.key
        assert config['hidden_data'] == 'data/hidden-hidden.dat' and len(archive.read(config['hidden_data'])) == 5616
    plain = build_bundle(load_settings('eindopdracht-v2324.2'), tmp_path / 'plain.zip')
    with zipfile.ZipFile(plain) as archive:
        assert json.loads(archive.read('gradescope.json'))['secret'] is None and 'secret' not in archive.namelist()

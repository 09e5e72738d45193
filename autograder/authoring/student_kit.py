"""`autograder student-kit`: the self-check as one wheel a class may have.

The wheel is built here, without network or build backend: a staging copy of the grader
without the instructor's parts (the example hand-ins, batches, Gradescope, the template
and bundle builders that read the reference) and, under autograder/kit/assignments/, the
assignment as a student may see it (kit/__init__.py). A wheel is a zip with a dist-info
folder (PEP 427); writing it directly keeps the build a pure function of the project.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import tempfile
import tomllib
import zipfile
from pathlib import Path
from typing import Any

from .. import __version__
from ..kit import COURSE_FILE, DATA_FILE, LEFT_OUT, REQUEST_FILE, course_names
from ..settings import Settings

__all__ = ['build_kit', 'distribution_name', 'LEFT_BEHIND', 'DEPENDENCIES']

PACKAGE = Path(__file__).resolve().parents[1]          # autograder/
# What an instructor keeps: never in the kit (paths relative to autograder/).
LEFT_BEHIND = ('authoring/examples', 'authoring/bundle.py', 'authoring/template.py', 'authoring/new_edition.py',
               'authoring/templates', 'authoring/student_kit.py', 'batch', 'gradescope',
               'part_b/calibration.py', 'kit/assignments', 'probes/per_instance.py')
# Replaced in the kit: the runner's stand-ins are the course's formulas of every function,
# which is Deel A's answer; the kit's runner has none (a missing function is then only said).
REPLACED = {'probes/vlgrader_probe/standins.py':
            '"""Stand-ins for missing functions: none in the student kit (the grading has them)."""\n'
            "__all__ = ['STANDINS']\n\nSTANDINS = {}\n"}
# What `autograder check` needs: notebooks (nbformat), the report in Jupyter (jinja2), the
# Dutch catalogue (babel). No numpy, pandas, dask or nbclient.
DEPENDENCIES = ('nbformat>=5.9', 'jinja2>=3.1', 'babel>=2.14')
# The settings' hidden probe points and seeds, neutralised (the kit leaves their checks out).
NEUTRAL = {r'^hidden_points\s*=\s*\[[^\]]*\]': 'hidden_points = []',
           r'^hidden_random\s*=.*$': 'hidden_random = { count = 0, low = 0.0, high = 0.0, seed = 0 }',
           r'^hidden_seed\s*=.*$': 'hidden_seed = 0'}


def distribution_name(settings: Settings) -> str:
    """Never `vlearning` (the reference's name, and many a student's own package)."""
    return f'vlearning-selfcheck-{settings.id}'


def build_kit(settings: Settings, out: Path) -> Path:
    """Write the kit wheel of `settings`' assignment into `out`; returns its path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix='autograder-kit-') as staging:
        root = Path(staging)
        _copy_package(root / 'autograder')
        _assignment(settings, root / 'autograder' / 'kit' / 'assignments')
        return _wheel(root, settings, out)


def _left_behind(relative: str) -> bool:
    return any(relative == item or relative.startswith(item + '/') for item in LEFT_BEHIND)


def _copy_package(target: Path) -> None:
    for path in sorted(PACKAGE.rglob('*')):
        relative = path.relative_to(PACKAGE).as_posix()
        if (path.is_dir() or '__pycache__' in path.parts or path.suffix in ('.pyc', '.pyo')
                or _left_behind(relative)):
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        if relative in REPLACED:
            (target / relative).write_text(REPLACED[relative], encoding='utf-8')
        else:
            shutil.copy2(path, target / relative)
    import vlearning._atomic          # a file utility of the reference, no course code
    shutil.copy2(vlearning._atomic.__file__, target / 'kit' / '_atomic.py')
    from babel.messages.pofile import read_po
    from ..i18n import LANGUAGES, compiled_catalogue
    for lang in LANGUAGES:            # compiled once here, not at every check (i18n.translations)
        po = target / 'i18n' / f'{lang}.po'
        if po.is_file():
            with open(po, 'rb') as handle:
                (target / 'i18n' / f'{lang}.mo').write_bytes(compiled_catalogue(read_po(handle, locale=lang)))


def neutral_settings(text: str) -> str:
    """The settings file without hidden probe points and seeds; refuses one it cannot clean."""
    for pattern, replacement in NEUTRAL.items():
        text = re.sub(pattern, replacement, text, flags=re.MULTILINE)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f'the settings could not be cleaned of their hidden points and seeds ({error})') from None
    for table in ('activations', 'losses'):
        entry = data.get(table, {})
        if entry.get('hidden_points') or entry.get('hidden_random', {}).get('count'):
            raise ValueError(f'[{table}] hidden points are written in a form the kit builder cannot remove')
    if data.get('part_b', {}).get('hidden_seed'):
        raise ValueError('part_b.hidden_seed is written in a form the kit builder cannot remove')
    return text


def _assignment(settings: Settings, assignments: Path) -> None:
    from .bundle import data_source
    from .expected import generate
    import nbformat

    from .template import student_notebook
    from ..probes.request import build_tasks
    from ..settings import load_settings
    folder = assignments / settings.id
    folder.mkdir(parents=True)
    (folder / 'assignment.toml').write_text(neutral_settings(settings.file.read_text(encoding='utf-8')),
                                            encoding='utf-8')
    # the student notebook, not the master: its locked cells are the master's, its solutions are gone
    (folder / settings.master_notebook).write_text(nbformat.writes(student_notebook(settings)), encoding='utf-8')
    kit_settings = load_settings(folder)                   # the cleaned settings, read as the kit reads them
    expected = generate(kit_settings)                      # the printed tables only: no hidden points remain
    for kind in ('activations', 'losses'):
        for entry in expected[kind].values():
            entry['hidden'] = {'arguments': [], 'values': []}
    _write_json(folder / 'expected.json', expected)
    request = build_tasks(kit_settings)
    request.pop('token')
    request['tasks'] = [task for task in request['tasks'] if not _only_left_out(task['id'])]
    _write_json(folder / REQUEST_FILE, request)
    _write_json(assignments / COURSE_FILE, course_names())
    (assignments / DATA_FILE).write_text(data_source(), encoding='utf-8')


def _only_left_out(task_id: str) -> bool:
    """A probe task that only checks the kit leaves out rely on (their training data stays home)."""
    from .. import registry
    users = [r.id for r in registry.CHECKS if task_id not in ('names',) and r.relies_on(task_id)]
    return bool(users) and all(u in LEFT_OUT for u in users)


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, sort_keys=True), encoding='utf-8')


def _wheel(root: Path, settings: Settings, out: Path) -> Path:
    name = distribution_name(settings)
    stem = re.sub(r'[-_.]+', '_', name).lower()
    info = f'{stem}-{__version__}.dist-info'
    metadata = '\n'.join([
        'Metadata-Version: 2.1', f'Name: {name}', f'Version: {__version__}',
        f'Summary: Self-check for {settings.title} (the course autograder without the answer key)',
        'Requires-Python: >=3.11', *(f'Requires-Dist: {d}' for d in DEPENDENCIES), '', ''])
    extra = {f'{info}/METADATA': metadata,
             f'{info}/WHEEL': 'Wheel-Version: 1.0\nGenerator: autograder student-kit\nRoot-Is-Purelib: true\n'
                              'Tag: py3-none-any\n\n',
             f'{info}/entry_points.txt': '[console_scripts]\nautograder = autograder.cli:main\n\n',
             f'{info}/top_level.txt': 'autograder\n'}
    path = out / f'{stem}-{__version__}-py3-none-any.whl'
    records = []
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as wheel:
        files = sorted(p for p in root.rglob('*') if p.is_file())
        entries = [(p.relative_to(root).as_posix(), p.read_bytes()) for p in files]
        entries += [(k, v.encode('utf-8')) for k, v in extra.items()]
        for arcname, content in entries:
            _add(wheel, arcname, content)
            digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b'=').decode()
            records.append(f'{arcname},sha256={digest},{len(content)}')
        records.append(f'{info}/RECORD,,')
        _add(wheel, f'{info}/RECORD', ('\n'.join(records) + '\n').encode('utf-8'))
    return path


def _add(wheel: zipfile.ZipFile, arcname: str, content: bytes) -> None:
    entry = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))   # the same project, the same bytes
    entry.external_attr = 0o644 << 16
    entry.compress_type = zipfile.ZIP_DEFLATED
    wheel.writestr(entry, content)


def offline_environment(wheel: Path, target: Path) -> Path:
    """A new virtual environment at `target` with the kit installed, without network: to try a
    kit before handing it out (and for the tests and bench/kit_self_check.py). The kit is
    installed from its wheel alone (`pip --no-deps --no-index`); its dependencies (nbformat,
    jinja2, babel — and ipykernel for a Jupyter kernel) are read from this interpreter's
    site-packages, added at the end of the new environment's path by a .pth file. Nothing of
    the project is importable there: an editable install's finder in that folder is not run
    (a .pth line only adds a folder), so neither `vlearning` nor this checkout's `autograder` is.
    Returns the new environment's python."""
    import subprocess
    import sys
    import sysconfig
    target = Path(target)
    base = getattr(sys, '_base_executable', sys.executable)
    subprocess.run([base, '-m', 'venv', '--without-pip', str(target)], check=True)
    python = target / ('Scripts/python.exe' if sys.platform == 'win32' else 'bin/python')
    purelib = subprocess.run([str(python), '-c', "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, '_kit_dependencies.pth').write_text(
        '\n'.join(dict.fromkeys([sysconfig.get_paths()['purelib'], sysconfig.get_paths()['platlib']])) + '\n',
        encoding='utf-8')
    subprocess.run([sys.executable, '-m', 'pip', '--python', str(python), 'install', '--quiet', '--no-deps',
                    '--no-index', '--disable-pip-version-check', str(wheel)], check=True)
    return python

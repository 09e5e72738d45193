"""`autograder export-gradescope`: a Gradescope autograder bundle that runs this grader.

Gradescope unpacks the bundle into /autograder/source, runs `setup.sh` once (as root) to
build the image, and for every submission copies `run_autograder` to /autograder, puts the
student's files in /autograder/submission and reads /autograder/results/results.json.
The bundle holds this project's source (the grader, the reference, the one assignment's
settings folder), `gradescope.json` (assignment, profile, data file) and, with `--data`, the
course's data file. `run_autograder` grades the submission folder with
`python -m autograder.gradescope.run_autograder`; `AUTOGRADER_GRADESCOPE_ROOT` (default
/autograder) and `AUTOGRADER_PYTHON` (default the bundle's .venv) make it testable locally.
"""
from __future__ import annotations

import json
import stat
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..settings import Settings

__all__ = ['build_bundle', 'SETUP_SH', 'RUN_AUTOGRADER']

PROJECT = Path(__file__).resolve().parents[2]
FIXED_TIME = (2024, 1, 1, 0, 0, 0)

SETUP_SH = r'''#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu).
# It installs Python >= 3.11, this grader (editable, in /autograder/source/.venv) and the
# student-code sandbox: bubblewrap, the unprivileged user `vlgrader` and the world-readable
# runtime /opt/vlgrader/runtime (as scripts/install-system-deps does in the repository).
set -euxo pipefail
source_dir=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq

python=""
for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        python=$(command -v "$candidate"); break
    fi
done
if [[ -z $python ]]; then
    apt-get install -y -qq --no-install-recommends python3.11 python3.11-venv
    python=$(command -v python3.11)
fi
version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
apt-get install -y -qq --no-install-recommends "python$version-venv" python3-venv bubblewrap util-linux ||
    apt-get install -y -qq --no-install-recommends python3-venv bubblewrap util-linux

"$python" -m venv "$source_dir/.venv"
"$source_dir/.venv/bin/python" -m pip install --quiet --upgrade pip
"$source_dir/.venv/bin/python" -m pip install --quiet -e "$source_dir"

# The sandbox (docs/security-model.md): an unprivileged user and a Python it can read.
id -u vlgrader >/dev/null 2>&1 ||
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin vlgrader
runtime=/opt/vlgrader/runtime
requirements="$source_dir/autograder/sandbox/runtime-requirements.txt"
if ! cmp -s "$requirements" "$runtime/requirements.txt"; then
    umask 022
    rm -rf "$runtime"
    mkdir -p /opt/vlgrader
    /usr/bin/python3 -m venv "$runtime"
    "$runtime/bin/python" -m pip install --quiet --no-input -r "$requirements"
    MPLCONFIGDIR="$runtime/mplconfig" "$runtime/bin/python" -c 'import matplotlib.font_manager'
    chmod -R a+rX "$runtime"
    cp "$requirements" "$runtime/requirements.txt"
fi

# Build the embedded stand-in data once, into the image (a grading would build it each time).
"$source_dir/.venv/bin/python" -c 'from vlearning.data.standin import ensure_standin; ensure_standin()'
# Say whether student code will be sandboxed in this image (Gradescope's container may not
# allow bubblewrap's namespaces; the grader then falls back to resource limits, with a warning).
"$source_dir/.venv/bin/python" -c 'from autograder.sandbox import is_available; print("sandbox:", is_available())'
'''

RUN_AUTOGRADER = r'''#!/usr/bin/env bash
# Gradescope runs this for every submission, in a fresh container: grade /autograder/submission
# into /autograder/results/results.json. A grader failure writes no results.json and exits
# non-zero, so Gradescope reports "the autograder failed" instead of a made-up score.
set -uo pipefail
root=${AUTOGRADER_GRADESCOPE_ROOT:-/autograder}
source_dir="$root/source"
python=${AUTOGRADER_PYTHON:-$source_dir/.venv/bin/python}
export AUTOGRADER_GRADESCOPE_ROOT="$root"
cd "$source_dir" || exit 1
exec "$python" -m autograder.gradescope.run_autograder
'''


def _project_files(settings: Settings) -> list[tuple[str, Path]]:
    """(name in the bundle, file) of the project's source needed to grade."""
    for required in ('pyproject.toml', 'README.md'):
        if not (PROJECT / required).is_file():
            raise FileNotFoundError(f'{PROJECT / required} is missing: export-gradescope needs the grader '
                                    f'run from its source checkout')
    members = [('pyproject.toml', PROJECT / 'pyproject.toml'), ('README.md', PROJECT / 'README.md')]
    for folder in (PROJECT / 'autograder', PROJECT / 'reference' / 'vlearning'):
        for path in sorted(folder.rglob('*')):
            if path.is_file() and '__pycache__' not in path.parts and path.suffix not in ('.pyc', '.pyo'):
                members.append((path.relative_to(PROJECT).as_posix(), path))
    for path in sorted(settings.folder.iterdir()):
        if path.is_file():
            members.append((f'assignments/{settings.id}/{path.name}', path))
    return members


def build_bundle(settings: Settings, out: Path, *, profile: str = 'quick', data_file: Path | None = None,
                 secret: bytes | None = None, hidden_data: Path | None = None) -> Path:
    """Write the bundle zip to `out` (a .zip file); returns it. `secret`: the course secret's
    bytes, put into the bundle (which only the instructor uploads; student code runs in the
    sandbox, which never sees it); None: the bundle grades with the public test secret."""
    settings.profile(profile)
    out = Path(out)
    if out.suffix.lower() != '.zip':
        out = out / 'autograder.zip' if out.is_dir() else out.with_suffix('.zip')
    out.parent.mkdir(parents=True, exist_ok=True)
    config = {'assignment': settings.id, 'profile': profile,
              'data': f'data/{Path(data_file).name}' if data_file else None,
              'hidden_data': f'data/hidden-{Path(hidden_data).name}' if hidden_data else None,
              'secret': 'secret' if secret else None,
              'grader_version': __version__,
              'built': datetime.now(timezone.utc).isoformat(timespec='seconds')}
    partial = out.with_name(out.name + '.partial')
    with zipfile.ZipFile(partial, 'w', compression=zipfile.ZIP_DEFLATED) as archive:
        def add(name: str, data: bytes, executable: bool = False) -> None:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            mode = 0o755 if executable else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        add('setup.sh', SETUP_SH.encode(), executable=True)
        add('run_autograder', RUN_AUTOGRADER.encode(), executable=True)
        add('gradescope.json', json.dumps(config, indent=1).encode())
        for name, path in _project_files(settings):
            add(name, path.read_bytes(), executable=bool(path.stat().st_mode & stat.S_IXUSR))
        if data_file:
            add(config['data'], Path(data_file).read_bytes())
        if hidden_data:
            add(config['hidden_data'], Path(hidden_data).read_bytes())
        if secret:
            add('secret', secret)
    partial.replace(out)
    return out

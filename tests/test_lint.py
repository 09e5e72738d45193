"""The code passes the project's linter (pyproject.toml [tool.ruff]: pyflakes, bugbear,
complexity), as `make lint` runs it."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    ruff = shutil.which('ruff', path=str(Path(sys.executable).parent)) or shutil.which('ruff')
    if ruff is None:
        pytest.skip("ruff is not installed: pip install -e '.[dev]'")
    result = subprocess.run([ruff, 'check', 'autograder', 'reference', 'tests', 'bench'], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr

"""The embedded EMNIST-mini stand-in: layout, determinism, cache, likeness to the real file."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vlearning import data
from vlearning.data import standin

ROOT = Path(__file__).resolve().parents[1]
REAL_EMNIST = ROOT.parent / 'shared' / 'data' / 'EMNIST_mini.dat'
FULL_SIZE = 2000 * 26 * 72


@pytest.fixture(scope='module')
def full(tmp_path_factory):
    """The default stand-in (seed 0), written by the command external checks run."""
    out = tmp_path_factory.mktemp('standin') / 'EMNIST_mini.dat'
    env = {**os.environ, 'PYTHONPATH': str(ROOT / 'reference')}
    result = subprocess.run([sys.executable, '-m', 'vlearning.data.standin', '--out', str(out)],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def pixels(content):
    """(groups, 26, 144) array of 4-bit levels."""
    raw = np.frombuffer(content, dtype=np.uint8)
    return np.stack([raw >> 4, raw & 15], axis=-1).reshape(-1, 26, 144)


def test_same_seed_same_bytes_other_seed_other_bytes():
    first = standin.build_standin(3, groups=20)
    assert len(first) == 20 * 26 * 72
    assert first == standin.build_standin(3, groups=20)
    assert first != standin.build_standin(4, groups=20)


def test_full_file_has_the_real_layout(full):
    assert full.stat().st_size == FULL_SIZE == 3_744_000
    assert not [p for p in full.parent.iterdir() if p.suffix == '.tmp']   # atomic write
    xs, ys = data.emnist_mini(full, num=260, seed=1)
    assert len(xs) == 260 and all(0.0 <= v < 1.0 for x in xs for v in x)
    assert sorted(y.index(1.0) for y in ys) == sorted(list(range(26)) * 10)


def test_ensure_standin_builds_once_then_reuses_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(standin, 'GROUPS', 30)              # a small file, same code path
    path = standin.ensure_standin(2, cache_dir=tmp_path)
    assert path == tmp_path / f'EMNIST_mini_standin_v{standin.GENERATOR_VERSION}_seed2.dat'
    assert path.read_bytes() == standin.build_standin(2, groups=30)
    built = path.stat().st_mtime_ns
    assert standin.ensure_standin(2, cache_dir=tmp_path) == path
    assert path.stat().st_mtime_ns == built                    # reused, not rebuilt
    path.write_bytes(b'partial')                               # a damaged cache is rebuilt
    assert standin.ensure_standin(2, cache_dir=tmp_path).stat().st_size == 30 * 26 * 72
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_cache_location_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path))
    assert standin.cache_path(7) == tmp_path / 'vlearning' / f'EMNIST_mini_standin_v{standin.GENERATOR_VERSION}_seed7.dat'
    monkeypatch.delenv('XDG_CACHE_HOME')
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    assert standin.cache_path(7).parent == tmp_path / 'home' / '.cache' / 'vlearning'


def test_command_line_writes_the_file(tmp_path):
    out = tmp_path / 'sub' / 'standin.dat'
    env = {**os.environ, 'PYTHONPATH': str(ROOT / 'reference')}
    result = subprocess.run([sys.executable, '-m', 'vlearning.data.standin', '--out', str(out),
                             '--seed', '5', '--groups', '30'],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == standin.build_standin(5, groups=30)


def test_ink_statistics_resemble_the_real_letters(full):
    """Real file: 57 % of pixels at level 0, 5.8 % at 15, mean level/16 0.225, and 93 % of
    the images reach level 15 somewhere (measured stand-in: 57 %, 5.5 %, 0.217, 90 %)."""
    levels = pixels(full.read_bytes())
    assert 0.52 < (levels == 0).mean() < 0.62
    assert 0.03 < (levels == 15).mean() < 0.09
    assert 0.19 < levels.mean() / 16 < 0.26
    assert 0.85 < (levels.reshape(-1, 144).max(axis=1) == 15).mean()
    # every image has ink, and the instances differ
    assert (levels.reshape(-1, 144).max(axis=1) >= 8).all()
    assert len({bytes(r) for r in levels[:200, 0]}) == 200


def test_mean_letters_correlate_with_the_real_ones(full):
    """Per-letter mean images of stand-in and real data.

    Thresholds: two *different* letters' means already correlate 0.48 on average (up to
    0.89 for O/Q, C/G: all are blobs in the same frame), so a bare threshold would not show
    that the letters line up. Required: every letter ≥ 0.65 (measured minimum 0.73, G),
    the matched mean ≥ 0.3 above the mismatched mean (measured 0.88 vs 0.48), and for at
    least 24 of 26 real letters the closest stand-in mean is the same letter (measured
    25–26; real N sits between stand-in N and W).
    """
    if not REAL_EMNIST.is_file():
        pytest.skip(f'{REAL_EMNIST} is absent (the course\'s real data are not part of the project)')
    real = pixels(REAL_EMNIST.read_bytes()).mean(axis=0)
    fake = pixels(full.read_bytes()).mean(axis=0)
    corr = np.corrcoef(np.vstack([real, fake]))[:26, 26:]
    matched = np.diag(corr)
    mismatched = corr[~np.eye(26, dtype=bool)]
    assert matched.min() >= 0.65, dict(zip(data.plots.LETTERS, matched.round(2)))
    assert matched.mean() - mismatched.mean() >= 0.3
    assert (corr.argmax(axis=1) == np.arange(26)).sum() >= 24

"""The embedded Sign-MNIST-mini stand-in: layout, determinism, cache, likeness to the real file."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vlearning import data
from vlearning.data import standin_signs

ROOT = Path(__file__).resolve().parents[1]
REAL_SIGNS = ROOT.parent / 'shared' / 'data' / 'Sign_MNIST_mini.dat'
FULL_SIZE = 1400 * 24 * 72


@pytest.fixture(scope='module')
def full(tmp_path_factory):
    """The default stand-in (seed 0), written by the command external checks run (~4 s)."""
    out = tmp_path_factory.mktemp('standin_signs') / 'Sign_MNIST_mini.dat'
    env = {**os.environ, 'PYTHONPATH': str(ROOT / 'reference')}
    result = subprocess.run([sys.executable, '-m', 'vlearning.data.standin_signs', '--out',
                             str(out)], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope='module')
def real():
    if not REAL_SIGNS.is_file():
        pytest.skip(f'{REAL_SIGNS} is absent (the course\'s real data are not part of the project)')
    return pixels(REAL_SIGNS.read_bytes())


def pixels(content):
    """(groups, 24, 144) array of 4-bit levels, in the file's (transposed) orientation."""
    raw = np.frombuffer(content, dtype=np.uint8)
    return np.stack([raw >> 4, raw & 15], axis=-1).reshape(-1, 24, 144)


def nearest_neighbours(levels, queries=1000):
    """For `queries` random images: is the nearest other image of the same letter, and the
    distances (in levels) to the nearest image of the same and of another letter."""
    x = levels.reshape(-1, 144).astype(np.float32)
    letter = np.tile(np.arange(24), len(levels))
    q = np.random.default_rng(0).choice(len(x), queries, replace=False)
    sq = (x * x).sum(axis=1)
    d2 = sq[q, None] + sq[None, :] - 2.0 * x[q] @ x.T
    d2[np.arange(queries), q] = np.inf
    d = np.sqrt(np.maximum(d2, 0.0))
    same = letter[None, :] == letter[q, None]
    return ((letter[d.argmin(axis=1)] == letter[q]).mean(),
            np.median(np.where(same, d, np.inf).min(axis=1)),
            np.median(np.where(same, np.inf, d).min(axis=1)))


def test_same_seed_same_bytes_other_seed_other_bytes():
    first = standin_signs.build_standin(3, groups=20)
    assert len(first) == 20 * 24 * 72
    assert first == standin_signs.build_standin(3, groups=20)
    assert first != standin_signs.build_standin(4, groups=20)


def test_full_file_has_the_real_layout(full):
    assert full.stat().st_size == FULL_SIZE == 2_419_200
    assert not [p for p in full.parent.iterdir() if p.suffix == '.tmp']   # atomic write
    xs, ys = data.sign_mnist_mini(full, num=240, seed=1)
    assert len(xs) == 240 and all(len(x) == 144 and all(0.0 <= v < 1.0 for v in x) for x in xs)
    assert sorted(y.index(1.0) for y in ys) == sorted(list(range(24)) * 10)
    assert standin_signs.LETTERS == data.plots.GESTURES == 'ABCDEFGHIKLMNOPQRSTUVWXY'


def test_ensure_standin_builds_once_then_reuses_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(standin_signs, 'GROUPS', 30)        # a small file, same code path
    path = standin_signs.ensure_standin(2, cache_dir=tmp_path)
    name = f'Sign_MNIST_mini_standin_v{standin_signs.GENERATOR_VERSION}_seed2.dat'
    assert path == tmp_path / name
    assert path.read_bytes() == standin_signs.build_standin(2, groups=30)
    built = path.stat().st_mtime_ns
    assert standin_signs.ensure_standin(2, cache_dir=tmp_path) == path
    assert path.stat().st_mtime_ns == built                    # reused, not rebuilt
    path.write_bytes(b'partial')                               # a damaged cache is rebuilt
    assert standin_signs.ensure_standin(2, cache_dir=tmp_path).stat().st_size == 30 * 24 * 72
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_cache_location_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path))
    name = f'Sign_MNIST_mini_standin_v{standin_signs.GENERATOR_VERSION}_seed7.dat'
    assert standin_signs.cache_path(7) == tmp_path / 'vlearning' / name
    monkeypatch.delenv('XDG_CACHE_HOME')
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    assert standin_signs.cache_path(7).parent == tmp_path / 'home' / '.cache' / 'vlearning'


def test_command_line_writes_the_file(tmp_path):
    out = tmp_path / 'sub' / 'standin.dat'
    env = {**os.environ, 'PYTHONPATH': str(ROOT / 'reference')}
    result = subprocess.run([sys.executable, '-m', 'vlearning.data.standin_signs', '--out',
                             str(out), '--seed', '5', '--groups', '30'],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == standin_signs.build_standin(5, groups=30)
    assert 'generator v1' in result.stderr and '51,840 bytes' in result.stderr


def test_every_image_has_siblings_of_its_own_letter(full):
    """Like the real file (augmented photos), every image's nearest neighbour is one of its
    letter's (real: all of 3000 sampled; stand-in: 99.7 %), much closer than any image of
    another letter (median distance 5.1 vs 19.3 levels on the real file, 3.9 vs 17.7 here);
    and the images are not copies of each other."""
    levels = pixels(full.read_bytes())
    own, same, other = nearest_neighbours(levels)
    assert own >= 0.99
    assert 2.0 < same < 8.0 and other > 3.0 * same
    assert len({bytes(r) for r in levels[:, 0]}) > 1300          # of 1400 A's


def test_pixel_statistics_resemble_the_real_file(full, real):
    """Measured, real vs stand-in seed 0 (seeds 1, 2 in brackets): mean level/16 0.589 vs
    0.597 (0.630, 0.622), its sd 0.182 vs 0.178, an image's sd 0.146 vs 0.137 and its mean's
    sd 0.102 vs 0.103, an image's darkest and brightest level 3.4 vs 3.6 and 13.0 vs 12.8,
    neighbour correlations (image mean removed) along rows 0.78 vs 0.83 and columns 0.60
    vs 0.61 (the anisotropy of upright hands stored transposed); the level histograms are
    0.077 apart in total variation (0.13, 0.09), where EMNIST's and Sign-MNIST's are 0.67
    apart and Sign-MNIST's and a uniform one 0.33."""
    fake = pixels(full.read_bytes())

    def measure(levels):
        flat = levels.reshape(-1, 144).astype(np.float64)
        images = flat.reshape(-1, 12, 12) - flat.mean(axis=1)[:, None, None]

        def corr(a, b):
            return (a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum())
        return {'hist': np.bincount(levels.ravel(), minlength=16) / levels.size,
                'mean': flat.mean() / 16, 'sd': flat.std() / 16,
                'image_sd': flat.std(axis=1).mean() / 16,
                'image_mean_sd': flat.mean(axis=1).std() / 16,
                'darkest': flat.min(axis=1).mean(), 'brightest': flat.max(axis=1).mean(),
                'rows': corr(images[:, :, :-1], images[:, :, 1:]),
                'columns': corr(images[:, :-1], images[:, 1:])}
    r, f = measure(real), measure(fake)
    assert 0.5 * np.abs(r['hist'] - f['hist']).sum() < 0.12, (r['hist'], f['hist'])
    assert abs(r['mean'] - f['mean']) < 0.03
    for key in ('sd', 'image_sd', 'image_mean_sd'):
        assert 0.85 < f[key] / r[key] < 1.15, (key, r[key], f[key])
    assert abs(r['darkest'] - f['darkest']) < 1.0 and abs(r['brightest'] - f['brightest']) < 1.0
    assert abs(r['rows'] - f['rows']) < 0.08 and abs(r['columns'] - f['columns']) < 0.08
    assert f['rows'] > f['columns'] + 0.1                    # upright fingers, transposed


def test_letters_resemble_the_real_ones(full, real):
    """Per-letter structure, real vs stand-in seed 0 (seeds 1, 2 in brackets).

    - the share of the pixel variance within letters: 0.81 vs 0.76 (0.69, 0.73); letters
      that did not differ would give 1.0;
    - sibling distances (1000 sampled images): the nearest image of the same letter, median
      5.0 vs 3.9 levels (the real file's spread is wider: its 10 % / 90 % points 1.4 / 8.4,
      here 2.0 / 8.0), of another letter 19.4 vs 17.7;
    - the letters' mean images: a letter's deviation from the mean of all letters (its own
      brightness removed) correlates with the real letter's by 0.18 on average (0.15,
      0.17), with the other real letters' by −0.01. Loosely, because a letter's mean is
      largely its few sessions' backgrounds and light (on the real file as here), which the
      generator draws at random. Required: at least 0.1 above.
    """
    fake = pixels(full.read_bytes())

    def within_share(levels):
        flat = levels.reshape(-1, 144).astype(np.float64)
        within = ((levels - levels.mean(axis=0)) ** 2).mean()
        return within / ((flat - flat.mean(axis=0)) ** 2).mean()
    assert abs(within_share(real) - within_share(fake)) < 0.08
    _, real_same, real_other = nearest_neighbours(real)
    _, fake_same, fake_other = nearest_neighbours(fake)
    assert 0.6 < fake_same / real_same < 1.4 and 0.8 < fake_other / real_other < 1.2

    def deviations(levels):
        means = levels.mean(axis=0)
        dev = means - means.mean(axis=0)
        return dev - dev.mean(axis=1, keepdims=True)
    corr = np.corrcoef(np.vstack([deviations(real), deviations(fake)]))[:24, 24:]
    matched, mismatched = np.diag(corr), corr[~np.eye(24, dtype=bool)]
    assert matched.mean() - mismatched.mean() >= 0.1, matched.round(2)

"""Official EMNIST letters IDX → mini layout, on small IDX files written here."""
import gzip
import math
import random
import struct
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from vlearning import data
from vlearning.data.convert import convert_emnist, main, read_idx

ROOT = Path(__file__).resolve().parents[1]


def write_idx(path, shape, content, *, compress=True):
    header = bytes([0, 0, 0x08, len(shape)]) + struct.pack(f'>{len(shape)}I', *shape)
    opener = gzip.open if compress else open
    with opener(path, 'wb') as out:
        out.write(header + bytes(content))
    return path


def emnist_like(folder, per_letter, seed=0, name='train'):
    """Random upright 28×28 images, stored transposed as EMNIST does, labels 1–26 shuffled."""
    rng = random.Random(seed)
    labels = [m for m in range(26) for _ in range(per_letter)]
    rng.shuffle(labels)
    upright = [[[rng.choice((0, 0, 40, 128, 255, rng.randrange(256))) for _ in range(28)]
                for _ in range(28)] for _ in labels]
    stored = bytes(img[c][r] for img in upright for r in range(28) for c in range(28))
    images = write_idx(folder / f'{name}-images-idx3-ubyte.gz', (len(labels), 28, 28), stored)
    targets = write_idx(folder / f'{name}-labels-idx1-ubyte.gz', (len(labels),),
                        bytes(m + 1 for m in labels))
    return images, targets, upright, labels


def _thirds(r, i):
    """|[r, r+1] ∩ [7i/3, 7(i+1)/3]| in units of 1/3 pixel (a whole number)."""
    return max(0, min(3 * (r + 1), 7 * (i + 1)) - max(3 * r, 7 * i))


OVERLAP = [[(r, _thirds(r, i)) for r in range(28) if _thirds(r, i)] for i in range(12)]


def expected_levels(img):
    """Exact area average 28 → 12 (cell i covers [7i/3, 7(i+1)/3]), then ⌊16·v⌋ ≤ 15."""
    out = []
    for i in range(12):
        for j in range(12):
            total = sum(wr * wc * img[r][c] for r, wr in OVERLAP[i] for c, wc in OVERLAP[j])
            v = Fraction(total, 7 * 7 * 255)                  # cell area (7/3)² = 49 thirds²
            out.append(min(15, math.floor(16 * v)))
    return out


def records(path):
    content = Path(path).read_bytes()
    return [[level for byte in content[k:k + 72] for level in (byte >> 4, byte & 15)]
            for k in range(0, len(content), 72)]


def test_round_trip_of_a_synthetic_idx_set(tmp_path):
    images, labels, upright, letters = emnist_like(tmp_path, per_letter=3)
    out = convert_emnist([images], [labels], tmp_path / 'mini.dat', per_class=2)
    assert out.stat().st_size == 2 * 26 * 72
    got = records(out)
    for g in range(2):
        for m in range(26):
            source = [k for k, label in enumerate(letters) if label == m][g]   # file order
            assert got[g * 26 + m] == expected_levels(upright[source]), (g, m)
    xs, ys = data.emnist_mini(out, num=52, seed=0)                # and the loader reads it back
    as_levels = {tuple(math.floor(16 * v) for v in x): y.index(1.0) for x, y in zip(xs, ys)}
    assert as_levels == {tuple(r): k % 26 for k, r in enumerate(got)}


def test_orientation_is_upright_and_row_major(tmp_path):
    """An upright 'L' (left column and bottom row inked) stays an L after conversion."""
    ell = [[255 if c < 4 or r >= 24 else 0 for c in range(28)] for r in range(28)]
    blank = [[0] * 28 for _ in range(28)]
    pictures = [ell] + [blank] * 25
    stored = bytes(img[c][r] for img in pictures for r in range(28) for c in range(28))
    images = write_idx(tmp_path / 'i.gz', (26, 28, 28), stored)
    labels = write_idx(tmp_path / 'l.gz', (26,), bytes(range(1, 27)))
    levels = records(convert_emnist([images], [labels], tmp_path / 'l.dat', per_class=1))[0]
    rows = [levels[12 * r:12 * (r + 1)] for r in range(12)]
    assert rows[0][0] == 15 and rows[0][11] == 0              # top-left inked, top-right not
    assert rows[11] == [15] * 12                              # bottom row fully inked
    assert rows[5][1] == math.floor(16 * (4 - 7 / 3) / (7 / 3))   # partly covered column: 11


def test_several_files_are_read_in_order_and_a_seed_samples(tmp_path):
    train = emnist_like(tmp_path, per_letter=2, seed=1, name='train')
    test = emnist_like(tmp_path, per_letter=2, seed=2, name='test')
    files = ([train[0], test[0]], [train[1], test[1]])
    ordered = records(convert_emnist(*files, tmp_path / 'o.dat', per_class=3))
    first_of_test_a = test[2][test[3].index(0)]
    assert ordered[2 * 26 + 0] == expected_levels(first_of_test_a)   # 3rd A = 1st A of test
    a = convert_emnist(*files, tmp_path / 'a.dat', per_class=3, seed=7).read_bytes()
    b = convert_emnist(*files, tmp_path / 'b.dat', per_class=3, seed=7).read_bytes()
    c = convert_emnist(*files, tmp_path / 'c.dat', per_class=3, seed=8).read_bytes()
    assert a == b and a != c


def test_errors_are_clear(tmp_path):
    images, labels, _, _ = emnist_like(tmp_path, per_letter=1)
    with pytest.raises(ValueError, match='letter A has 1 instances, fewer than per_class=2'):
        convert_emnist([images], [labels], tmp_path / 'x.dat', per_class=2)
    bad = tmp_path / 'bad.idx'
    bad.write_bytes(b'\x00\x00\x0d\x01' + b'\x00' * 8)
    with pytest.raises(ValueError, match='not an unsigned-byte IDX file'):
        read_idx(bad)
    short = write_idx(tmp_path / 'short.idx', (5,), b'\x01\x02', compress=False)
    with pytest.raises(ValueError, match='promises 5 bytes'):
        read_idx(short)
    assert main(['--images', str(images), '--labels', str(labels), '--out',
                 str(tmp_path / 'y.dat'), '--per-class', '2']) == 1


def test_command_line(tmp_path):
    images, labels, _, _ = emnist_like(tmp_path, per_letter=2)
    out = tmp_path / 'cli.dat'
    result = subprocess.run(
        [sys.executable, '-m', 'vlearning.data.convert', '--images', str(images),
         '--labels', str(labels), '--out', str(out), '--per-class', '2'],
        capture_output=True, text=True, env={'PYTHONPATH': str(ROOT / 'reference')}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size == 2 * 26 * 72
    assert read_idx(images)[0] == (52, 28, 28)

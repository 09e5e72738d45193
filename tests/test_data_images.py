"""Loaders of the course's 12×12 image files: layout, sampling, dithering, reduced files."""
import math
import random
import re
import warnings
from pathlib import Path

import pytest

from vlearning import data
from vlearning.data.images import count_groups

SHARED_DATA = Path(__file__).resolve().parents[1].parent / 'shared' / 'data'
REAL_EMNIST = SHARED_DATA / 'EMNIST_mini.dat'
REAL_SIGN = SHARED_DATA / 'Sign_MNIST_mini.dat'


def record(g, m):
    """72 bytes that name their group and class: bytes 0, 1 = g, m; then a pattern."""
    return bytes([g % 256, m]) + bytes((g * 7 + m * 13 + i * 29) % 256 for i in range(70))


def write_mini(path, groups, classes):
    path.write_bytes(b''.join(record(g, m) for g in range(groups) for m in range(classes)))
    return path


def levels(x):
    """The 4-bit pixels back from dithered intensities: ⌊16·x⌋."""
    return [math.floor(16.0 * v) for v in x]


def encode(x):
    p = levels(x)
    return bytes(16 * hi + lo for hi, lo in zip(p[0::2], p[1::2]))


@pytest.mark.parametrize('loader, classes', [(data.emnist_mini, 26), (data.sign_mnist_mini, 24)])
def test_every_instance_is_a_whole_record_with_its_class_as_label(tmp_path, loader, classes):
    path = write_mini(tmp_path / 'mini.dat', 7, classes)
    xs, ys = loader(str(path), num=7 * classes, seed=3)
    seen = set()
    for x, y in zip(xs, ys):
        assert len(x) == 144 and all(0.0 <= v < 1.0 for v in x)
        assert sorted(y) == [0.0] * (classes - 1) + [1.0]
        raw = encode(x)
        g, m = raw[0], raw[1]
        assert raw == record(g, m)              # pixel order: high nibble first, row-major
        assert y.index(1.0) == m                # record k = g·classes + m is class k mod classes
        seen.add((g, m))
    assert seen == {(g, m) for g in range(7) for m in range(classes)}


def test_sampling_follows_the_course_random_calls(tmp_path):
    """Same seed, same instances as the course's order of random calls (its documented spec)."""
    path = write_mini(tmp_path / 'mini.dat', 30, 26)
    content = path.read_bytes()
    random.seed(11)
    expected = []
    for g in random.sample(range(30), -(-100 // 26)):
        for m in range(26):
            rec = content[(g * 26 + m) * 72:(g * 26 + m + 1) * 72]
            x = []
            for byte in rec:
                x.append((byte // 16 + random.random()) / 16.0)
                x.append((byte % 16 + random.random()) / 16.0)
            expected.append((x, m))
    order = random.sample(range(len(expected)), 100)
    xs, ys = data.emnist_mini(path, num=100, seed=11)
    assert xs == [expected[i][0] for i in order]
    assert [y.index(1.0) for y in ys] == [expected[i][1] for i in order]


def test_dithering_spreads_each_level_over_its_sixteenth(tmp_path):
    path = tmp_path / 'flat.dat'
    path.write_bytes(bytes([0x0F]) * 72 * 26 * 40)      # levels 0 and 15 alternate
    xs, _ = data.emnist_mini(path, num=1040, seed=0)
    even = [v for x in xs for v in x[0::2]]
    odd = [v for x in xs for v in x[1::2]]
    assert 0.0 <= min(even) and max(even) < 1 / 16 and 15 / 16 <= min(odd) and max(odd) < 1.0
    assert sum(even) / len(even) == pytest.approx(1 / 32, abs=2e-4)   # (0 + ½)/16


@pytest.mark.parametrize('loader', [data.emnist_mini, data.sign_mnist_mini])
def test_same_seed_same_data_other_seed_other_data(tmp_path, loader):
    path = write_mini(tmp_path / 'mini.dat', 10, 26 if loader is data.emnist_mini else 24)
    assert loader(path, num=50, seed=1) == loader(path, num=50, seed=1)
    assert loader(path, num=50, seed=1) != loader(path, num=50, seed=2)


def test_a_file_with_fewer_groups_loads(tmp_path):
    """The grader keeps 100 groups back: the remaining 1900 load, all of them on request."""
    path = write_mini(tmp_path / 'reduced.dat', 1900, 26)
    assert count_groups(path, 26) == 1900
    xs, ys = data.emnist_mini(path, num=2600, seed=5)
    assert len(xs) == len(ys) == 2600
    assert all(encode(x)[1] == y.index(1.0) for x, y in zip(xs, ys))
    with pytest.warns(UserWarning, match='49,400'):
        xs, ys = data.emnist_mini(path, seed=5)
    assert len(xs) == 49_400
    assert sorted(y.index(1.0) for y in ys) == sorted(list(range(26)) * 1900)


def test_asking_for_more_than_the_file_holds_returns_all_with_a_warning(tmp_path):
    path = write_mini(tmp_path / 'small.dat', 5, 26)
    with pytest.warns(UserWarning) as caught:
        xs, ys = data.emnist_mini(path, num=52000, seed=0)
    message = str(caught[0].message)
    assert 'small.dat' in message and '52,000' in message and '130' in message
    assert len(xs) == 130 and len({encode(x) for x in xs}) == 130
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        assert len(data.emnist_mini(path, num=130, seed=0)[0]) == 130


@pytest.mark.parametrize('size', [1900 * 26 * 72 - 1, 26 * 72 + 72, 0])
def test_a_size_that_is_no_whole_number_of_groups_names_file_and_size(tmp_path, size):
    path = tmp_path / 'truncated.dat'
    path.write_bytes(bytes(size))
    with pytest.raises(ValueError, match=re.escape(f'{f"{size:,}"} bytes')) as error:
        data.emnist_mini(path, num=10)
    assert 'truncated.dat' in str(error.value) and 'not a whole number of groups' in str(error.value)


def test_a_sign_mnist_file_is_not_an_emnist_file(tmp_path):
    path = write_mini(tmp_path / 'sign.dat', 1, 24)        # 1728 bytes: not whole 26-groups
    with pytest.raises(ValueError, match='1,728 bytes'):
        data.emnist_mini(path, num=10)


# --- the course's real files -----------------------------------------------------------------
def _real(path):
    if not path.is_file():
        pytest.skip(f'{path} is absent (the course\'s real data are not part of the project)')
    return path


def test_real_emnist_record_k_is_letter_k_mod_26():
    path = _real(REAL_EMNIST)
    content = path.read_bytes()
    assert len(content) == 3_744_000 and count_groups(path, 26) == 2000
    classes_of = {}
    for k in range(len(content) // 72):
        classes_of.setdefault(content[72 * k:72 * (k + 1)], set()).add(k % 26)
    xs, ys = data.emnist_mini(str(path), num=2600, seed=0)
    assert len(xs) == 2600
    for x, y in zip(xs, ys):
        assert all(0.0 <= v < 1.0 for v in x)
        assert y.index(1.0) in classes_of[encode(x)]
    assert sorted(y.index(1.0) for y in ys) == sorted(list(range(26)) * 100)


def test_real_emnist_same_seed_same_data():
    path = _real(REAL_EMNIST)
    first = data.emnist_mini(str(path), num=300, seed=42)
    assert first == data.emnist_mini(str(path), num=300, seed=42)
    assert first != data.emnist_mini(str(path), num=300, seed=43)


def test_real_sign_mnist_layout():
    path = _real(REAL_SIGN)
    assert count_groups(path, 24) == 1400
    xs, ys = data.sign_mnist_mini(str(path), num=480, seed=1)
    assert len(xs) == 480 and all(len(y) == 24 for y in ys)
    assert sorted(y.index(1.0) for y in ys) == sorted(list(range(24)) * 20)

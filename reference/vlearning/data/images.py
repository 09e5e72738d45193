"""The course's 12×12 image data sets, read from its `*.dat` files; standard library only.

Layout: groups of one record per class (A, B, …), so record k = g·classes + m holds class m
of group g. A record is 144 pixels of 4 bits, high nibble first, row-major (pixel (r, c) is
index c + 12·r): 72 bytes. The number of groups follows from the file size, so files with
fewer groups (a grader keeps some back as a hidden test set) load as well.

The random calls happen in the course's order (one `random.seed`, one `random.sample` of
groups, one `random.random()` per pixel, one `random.sample` for the final order), so a
seed gives the same instances as the course's own module.
"""
import os
import random
import warnings

from .generators import _one_hot

__all__ = ['emnist_mini', 'sign_mnist_mini', 'count_groups', 'RECORD_BYTES', 'PIXELS']

PIXELS = 144
RECORD_BYTES = PIXELS // 2
EMNIST_CLASSES = 26
SIGN_MNIST_CLASSES = 24


def count_groups(filename: str | os.PathLike, classes: int) -> int:
    """Number of groups (one record per class each) in the file, from its size.

    A size that is not a positive whole number of groups means a truncated or foreign file:
    ValueError naming the file and its size.
    """
    size = os.path.getsize(filename)
    group_bytes = classes * RECORD_BYTES
    groups, rest = divmod(size, group_bytes)
    if rest or not groups:
        raise ValueError(f'{os.fspath(filename)!r} holds {size:,} bytes, which is not a whole '
                         f'number of groups of {classes} images × {RECORD_BYTES} bytes '
                         f'(= {group_bytes:,} bytes per group): truncated or not a '
                         f'{classes}-class mini data file')
    return groups


def _dither(record):
    """144 intensities in [0, 1) from 72 bytes: 4-bit pixel p ↦ (p + u)/16, u ~ U[0, 1)."""
    x = []
    for byte in record:
        x.append(((byte >> 4) + random.random()) / 16.0)
        x.append(((byte & 15) + random.random()) / 16.0)
    return x


def _read(filename, num, seed, classes):
    """`num` distinct dithered instances from ⌈num/classes⌉ random groups, in random order."""
    groups = count_groups(filename, classes)
    available = groups * classes
    if num > available:
        warnings.warn(f'{os.fspath(filename)!r} holds {available:,} instances ({groups:,} '
                      f'groups × {classes}); {num:,} were requested, so all {available:,} '
                      f'are returned', stacklevel=3)
        num = available
    if num < 0:
        raise ValueError(f'num must be at least 0, not {num}')
    random.seed(seed)
    group_bytes = classes * RECORD_BYTES
    xs, ys = [], []
    with open(filename, 'rb') as datafile:
        for g in random.sample(range(groups), -(-num // classes)):
            datafile.seek(g * group_bytes)
            block = datafile.read(group_bytes)
            for m in range(classes):
                xs.append(_dither(block[m * RECORD_BYTES:(m + 1) * RECORD_BYTES]))
                ys.append(_one_hot(m, classes))
    order = random.sample(range(len(xs)), num)
    return [xs[i] for i in order], [ys[i] for i in order]


def emnist_mini(filename, num=52000, seed=None):
    """Returns a number of different random 12x12 EMNIST images.

    Keyword arguments:
    filename -- full filename of the *.dat datafile
    num      -- number of images to randomly select (default 52000)
    seed     -- a seed to initialise the random number generator (default random)

    Return values:
    xs       -- 144-element lists of pixel values (range 0.0-1.0)
    ys       -- 26-element lists of correct letters using one-hot encoding

    A file with fewer groups than the course's 2000 is fine; asking for more instances
    than it holds returns all of them with a warning.
    """
    return _read(filename, num, seed, EMNIST_CLASSES)


def sign_mnist_mini(filename, num=33600, seed=None):
    """Returns a number of different random 12x12 Sign-MNIST images.

    Keyword arguments:
    filename -- full filename of the *.dat datafile
    num      -- number of images to randomly select (default 33600)
    seed     -- a seed to initialise the random number generator (default random)

    Return values:
    xs       -- 144-element lists of pixel values (range 0.0-1.0)
    ys       -- 24-element lists of correct gestures using one-hot encoding

    The 24 classes are the sign-language letters without J and Z (motion signs). A file
    with fewer groups than the course's 1400 is fine; asking for more instances than it
    holds returns all of them with a warning.
    """
    return _read(filename, num, seed, SIGN_MNIST_CLASSES)

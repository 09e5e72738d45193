"""Official EMNIST "letters" (IDX files, usually gzip-compressed) → the course's mini layout.

The letters split stores 28×28 images transposed, with labels 1–26 (A–Z). This writes
`per_class` instances of each letter as `EMNIST_mini.dat`: record g·26 + m is the g-th
chosen instance of letter m, each image

1. transposed back to upright, row-major;
2. area-averaged from n×n to 12×12: output pixel i spans input pixels [i·n/12, (i+1)·n/12],
   partly covered ones by their overlap. In units of 1/12 pixel every overlap is a whole
   number, so the averaging is exact integer arithmetic:
       v = Σᵣ Σ꜀ wᵢᵣ·wⱼ꜀·xᵣ꜀ / (n²·255),   wᵢᵣ = |[12r, 12r+12] ∩ [n·i, n·i+n]|;
3. quantised to 4 bits, p = min(15, ⌊16·v⌋), two pixels a byte, high nibble first.

Instances are taken in file order (the files in the order given), or a seeded random
sample of each letter's instances when a seed is given.

Command line:  vlearning-emnist-mini --images emnist-letters-train-images-idx3-ubyte.gz
               --labels emnist-letters-train-labels-idx1-ubyte.gz --out EMNIST_mini.dat
(or python -m vlearning.data.convert …). numpy is imported when converting: this runs on
the instructor's side, never in student code.
"""
from __future__ import annotations

import argparse
import gzip
import os
import random
import struct
import sys
from pathlib import Path

from .._atomic import write_bytes_atomic

__all__ = ['read_idx', 'downsample', 'convert_emnist', 'main']

SIDE = 12
CLASSES = 26
LEVELS = 16


def read_idx(path: str | os.PathLike) -> tuple[tuple[int, ...], bytes]:
    """(shape, raw bytes) of an unsigned-byte IDX file, gzip-compressed or not."""
    with open(path, 'rb') as raw:
        compressed = raw.read(2) == b'\x1f\x8b'
    with (gzip.open(path, 'rb') if compressed else open(path, 'rb')) as stream:
        content = stream.read()
    if len(content) < 4 or content[:2] != b'\0\0' or content[2] != 0x08:
        raise ValueError(f'{os.fspath(path)!r} is not an unsigned-byte IDX file')
    ndim = content[3]
    shape = struct.unpack(f'>{ndim}I', content[4:4 + 4 * ndim])
    data = content[4 + 4 * ndim:]
    expected = 1
    for size in shape:
        expected *= size
    if len(data) != expected:
        raise ValueError(f'{os.fspath(path)!r}: header promises {expected:,} bytes of data '
                         f'for shape {shape}, the file holds {len(data):,}')
    return shape, data


def _weights(np, side):
    """Integer overlap matrix W (12 × side) in units of 1/12 input pixel, rows sum to side."""
    w = np.zeros((SIDE, side), dtype=np.int64)
    for i in range(SIDE):
        for r in range(side):
            w[i, r] = max(0, min(SIDE * (r + 1), side * (i + 1)) - max(SIDE * r, side * i))
    return w


def downsample(images):
    """4-bit 12×12 levels (N × 144, row-major) of upright N × n × n byte images."""
    import numpy as np
    images = np.asarray(images, dtype=np.int64)
    side = images.shape[1]
    w = _weights(np, side)
    total = np.einsum('ir,nrc,jc->nij', w, images, w)           # Σ wᵢᵣ·wⱼ꜀·xᵣ꜀
    levels = np.minimum(LEVELS - 1, (LEVELS * total) // (side * side * 255))
    return levels.reshape(len(images), SIDE * SIDE).astype(np.uint8)


def convert_emnist(images: list[str | os.PathLike], labels: list[str | os.PathLike],
                   out: str | os.PathLike, *, per_class: int = 2000,
                   seed: int | None = None) -> Path:
    """Write the mini file `out` from pairs of IDX image and label files (see module doc)."""
    import numpy as np
    if len(images) != len(labels):
        raise ValueError(f'{len(images)} image files but {len(labels)} label files')
    pictures, classes = [], []
    for image_path, label_path in zip(images, labels):
        shape, pixels = read_idx(image_path)
        (count,), targets = read_idx(label_path)
        if len(shape) != 3 or shape[1] != shape[2] or shape[0] != count:
            raise ValueError(f'{os.fspath(image_path)!r} holds images of shape {shape}; '
                             f'expected {count} square images to match {os.fspath(label_path)!r}')
        stored = np.frombuffer(pixels, dtype=np.uint8).reshape(shape)
        pictures.append(stored.transpose(0, 2, 1))               # stored transposed
        classes.append(np.frombuffer(targets, dtype=np.uint8))
    pictures = np.concatenate(pictures)
    classes = np.concatenate(classes).astype(np.int64) - 1      # labels 1–26 → 0–25
    if classes.size and (classes.min() < 0 or classes.max() >= CLASSES):
        raise ValueError(f'labels must be 1–26 (the EMNIST letters split), found '
                         f'{classes.min() + 1}–{classes.max() + 1}')
    rng = random.Random(seed)
    chosen = np.empty((per_class, CLASSES), dtype=np.int64)
    for m in range(CLASSES):
        members = np.flatnonzero(classes == m)
        if len(members) < per_class:
            raise ValueError(f'letter {chr(65 + m)} has {len(members)} instances, '
                             f'fewer than per_class={per_class}')
        chosen[:, m] = members[:per_class] if seed is None else rng.sample(list(members),
                                                                            per_class)
    levels = downsample(pictures[chosen.ravel()])                # record g·26 + m
    packed = (levels[:, 0::2] << 4) | levels[:, 1::2]
    return write_bytes_atomic(out, packed.tobytes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog='vlearning-emnist-mini',
        description='Convert the official EMNIST letters split (IDX, gzip) to the course\'s '
                    'EMNIST_mini.dat layout: upright, 12×12, 4-bit, grouped A–Z.')
    parser.add_argument('--images', nargs='+', required=True,
                        help='IDX image files, e.g. emnist-letters-train-images-idx3-ubyte.gz')
    parser.add_argument('--labels', nargs='+', required=True,
                        help='the matching IDX label files, in the same order')
    parser.add_argument('--out', required=True, help='mini file to write')
    parser.add_argument('--per-class', type=int, default=2000,
                        help='instances of each letter (default 2000)')
    parser.add_argument('--seed', type=int, default=None,
                        help='sample instances at random with this seed (default: file order)')
    args = parser.parse_args(argv)
    try:
        path = convert_emnist(args.images, args.labels, args.out, per_class=args.per_class,
                              seed=args.seed)
    except (OSError, ValueError) as error:
        print(f'vlearning-emnist-mini: error: {error}', file=sys.stderr)
        return 1
    print(f'{path}: {path.stat().st_size:,} bytes ({args.per_class} groups × {CLASSES} letters)',
          file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())

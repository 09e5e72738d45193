"""What the embedded stand-ins (`standin` for EMNIST, `standin_signs` for Sign-MNIST) share:
the blur and the file's packing, and the cache, atomic write and command line around them."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

__all__ = ['blur', 'pack', 'cache_file', 'ensure_file', 'command_line']


def blur(np, images, sigma):
    """(n, S, S) images blurred by Gaussians of per-image σ (pixels): B·X·Bᵀ with a
    row-normalised kernel matrix B per image."""
    idx = np.arange(images.shape[1])
    diff2 = (idx[:, None] - idx[None, :]) ** 2
    kern = np.exp(-diff2[None] / (2.0 * np.maximum(sigma, 1e-3)[:, None, None] ** 2))
    kern /= kern.sum(axis=2, keepdims=True)
    return np.einsum('nij,njk,nlk->nil', kern, images, kern)


def pack(pixels):
    """The file's bytes from (…, 144) 4-bit levels (uint8): two a byte, high nibble first."""
    return ((pixels[..., 0::2] << 4) | pixels[..., 1::2]).tobytes()


def cache_file(stem: str, version: int, seed: int,
               cache_dir: str | os.PathLike | None = None) -> Path:
    """$XDG_CACHE_HOME/vlearning (default ~/.cache/vlearning)/<stem>_standin_v<V>_seed<S>.dat"""
    if cache_dir is None:
        base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
        cache_dir = os.path.join(base, 'vlearning')
    return Path(cache_dir) / f'{stem}_standin_v{version}_seed{seed}.dat'


def ensure_file(path: Path, size: int, write) -> Path:
    """`path`, first written by write(path) when it is absent or not `size` bytes long."""
    if not path.is_file() or path.stat().st_size != size:
        write(path)
    return path


def command_line(argv, *, module: str, what: str, groups: int, classes: int, version: int,
                 write) -> int:
    """python -m <module> --out PATH [--seed N] [--groups N]: write(path, seed, groups)."""
    parser = argparse.ArgumentParser(
        prog=f'python -m {module}',
        description=f'Write the synthetic {what} stand-in ({groups} groups × {classes} '
                    'letters, 12×12, 4-bit) to a file.')
    parser.add_argument('--out', required=True, help='file to write')
    parser.add_argument('--seed', type=int, default=0, help='random seed (default 0)')
    parser.add_argument('--groups', type=int, default=groups,
                        help=f'number of groups of {classes} letters (default {groups})')
    args = parser.parse_args(argv)
    start = time.perf_counter()
    path = write(args.out, args.seed, args.groups)
    print(f'{path}: {path.stat().st_size:,} bytes, seed {args.seed}, generator '
          f'v{version}, {time.perf_counter() - start:.1f} s', file=sys.stderr)
    return 0

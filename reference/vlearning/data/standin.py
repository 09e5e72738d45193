"""An embedded stand-in for the course's EMNIST_mini.dat: synthetic handwritten capitals.

Users without the course's file (a new instructor, CI, the README's demo) get a file in the
same layout (2000 groups × 26 letters × 72 bytes, 4-bit 12×12 pixels) on which the
assignment's 70 % / 80 % accuracy thresholds mean about the same: the generator is
calibrated so that a softmax regression and the seed's ELiSH MLP reach the accuracies they
reach on the real file (bench/calibrate_standin.py). The project ships this generator, not
the data; ensure_standin() builds the file once and caches it.

Each letter is a pen-stroke skeleton (one or more allographs per letter) that is distorted
per instance, then normalised and rendered the way EMNIST was made:

1. skeleton: polylines in a box x ∈ [0, w], y ∈ [0, 1] (y downwards);
2. stroke jitter — pen lifts are imprecise: each stroke is scaled by e^N(0, σ²) and turned
   by N(0, σ²) about its centre, and shifted by N(0, σ_stroke²);
3. elastic: p ← p + Σₖ aₖ·sin(2π fₖ·p + φₖ), K smooth random waves of total size σ_elastic;
4. affine: x-scale e^N(0, σ_aspect²), slant x ← x + s·(1 − y), rotation by N(0, σ_rotate²);
5. normalise like EMNIST: the ink's bounding box is centred and its larger side scaled to
   FILL of the 12-pixel frame;
6. render: intensity = clip((h − d)/SOFT + ½, 0, 1) with d the distance to the nearest
   segment and h the pen's half-width, at 2×2 supersampling, then area-averaged to 12×12;
7. blur with a Gaussian of random σ, contrast v ← min(1, g·v / max v) with a random gain g
   (nearly every real image reaches level 15), and 4-bit quantisation p = min(15, ⌊16·v⌋).

Every random draw comes from numpy's PCG64 seeded with `seed`, in a fixed order, so a seed
gives a byte-identical file (on one platform and numpy version; the cache name carries
GENERATOR_VERSION, bumped whenever the output changes).

Command line (what external checks call):  python -m vlearning.data.standin --out PATH [--seed N]
"""
from __future__ import annotations

import math
import os
import sys
from pathlib import Path

from .._atomic import write_bytes_atomic
from ._standin_common import blur, cache_file, command_line, ensure_file, pack

__all__ = ['GENERATOR_VERSION', 'PARAMETERS', 'build_standin', 'write_standin',
           'ensure_standin', 'cache_path', 'main']

GENERATOR_VERSION = 1
CLASSES = 26
GROUPS = 2000
SIDE = 12
SUPER = 2            # supersampling factor of the renderer
FILL = 10.3 / 12.0   # EMNIST: larger bbox side 24 of 28 pixels (after 2-pixel padding)

PARAMETERS = {
    'stroke': 0.073,         # σ of each stroke's shift, in letter heights
    'stroke_rotate': 0.128,  # σ of each stroke's rotation about its centre, radians
    'stroke_scale': 0.10,    # σ of ln(each stroke's size), about its centre
    'elastic': 0.11,         # total amplitude of the elastic waves, in letter heights
    'waves': 3,              # K, number of elastic waves
    'frequency': 0.9,        # σ of the waves' spatial frequency, cycles per letter height
    'aspect': 0.28,          # σ of ln(x-scale)
    'slant': (0.12, 0.205),  # (mean, σ) of the shear x += s·(1 − y)
    'rotate': 0.14,          # σ of the rotation, radians
    'width': (0.5, 0.9),     # pen half-width h, output pixels, uniform
    'soft': 1.0,             # edge ramp width, output pixels
    'blur': (0.0, 0.5),      # σ of the Gaussian blur, output pixels, uniform
    'gain': (0.92, 1.1),     # ink gain relative to the image's brightest pixel, uniform
}


# --- letter skeletons ----------------------------------------------------------------------
def _arc(cx, cy, rx, ry, start, stop, step=20.0):
    """Points of an elliptic arc, angles in degrees with y downwards (90° is the bottom)."""
    n = max(2, int(abs(stop - start) / step) + 1)
    return [(cx + rx * math.cos(math.radians(start + (stop - start) * i / (n - 1))),
             cy + ry * math.sin(math.radians(start + (stop - start) * i / (n - 1))))
            for i in range(n)]


def _skeletons():
    """letter → list of allographs; an allograph is a list of strokes (lists of points)."""
    a = _arc
    return {
        'A': [[[(0, 1), (0.4, 0), (0.8, 1)], [(0.17, 0.6), (0.63, 0.6)]],
              [[(0, 1), (0.32, 0), (0.48, 0), (0.8, 1)], [(0.15, 0.58), (0.65, 0.58)]]],
        'B': [[[(0, 0), (0, 1)], [(0, 0)] + a(0.36, 0.22, 0.28, 0.22, -90, 90) + [(0, 0.44)],
               [(0, 0.44)] + a(0.4, 0.72, 0.4, 0.28, -90, 90) + [(0, 1)]]],
        'C': [[a(0.45, 0.5, 0.45, 0.5, -40, -320)]],
        'D': [[[(0, 0), (0, 1)], [(0, 0), (0.25, 0)] + a(0.25, 0.5, 0.5, 0.5, -90, 90)
               + [(0, 1)]]],
        'E': [[[(0.7, 0), (0, 0), (0, 1), (0.7, 1)], [(0, 0.5), (0.55, 0.5)]],
              [a(0.4, 0.27, 0.35, 0.26, -30, -270) + a(0.4, 0.74, 0.4, 0.26, -90, -330)]],
        'F': [[[(0.7, 0), (0, 0), (0, 1)], [(0, 0.5), (0.55, 0.5)]]],
        'G': [[a(0.45, 0.5, 0.45, 0.5, -65, -350) + [(0.88, 0.55), (0.45, 0.55)]],
              [a(0.45, 0.5, 0.45, 0.5, -65, -350) + [(0.88, 0.5), (0.9, 0.95)]]],
        'H': [[[(0, 0), (0, 1)], [(0.7, 0), (0.7, 1)], [(0, 0.5), (0.7, 0.5)]]],
        'I': [[[(0, 0), (0, 1)]],
              [[(0, 0), (0.5, 0)], [(0.25, 0), (0.25, 1)], [(0, 1), (0.5, 1)]]],
        'J': [[[(0.6, 0), (0.6, 0.7)] + a(0.33, 0.7, 0.27, 0.3, 0, 160)],
              [[(0.1, 0), (0.8, 0)], [(0.5, 0), (0.5, 0.7)] + a(0.25, 0.7, 0.25, 0.3, 0, 170)]],
        'K': [[[(0, 0), (0, 1)], [(0.65, 0), (0, 0.55)], [(0.22, 0.42), (0.7, 1)]],
              [[(0, 0), (0, 1)], [(0.65, 0), (0.02, 0.5), (0.7, 1)]]],
        'L': [[[(0, 0), (0, 1), (0.6, 1)]]],
        'M': [[[(0, 1), (0, 0), (0.6, 0.65), (1.2, 0), (1.2, 1)]],
              [[(0, 1), (0.2, 0), (0.6, 0.75), (1.0, 0), (1.2, 1)]]],
        'N': [[[(0, 1), (0, 0), (0.95, 1), (0.95, 0)]]],
        'O': [[a(0.42, 0.5, 0.42, 0.5, -90, 270)]],
        'P': [[[(0, 1), (0, 0)], [(0, 0), (0.3, 0)] + a(0.3, 0.27, 0.36, 0.27, -90, 90)
               + [(0, 0.54)]]],
        'Q': [[a(0.45, 0.48, 0.45, 0.48, -90, 270), [(0.55, 0.72), (0.95, 1.05)]]],
        'R': [[[(0, 1), (0, 0)], [(0, 0), (0.3, 0)] + a(0.3, 0.27, 0.36, 0.27, -90, 90)
               + [(0, 0.54), (0.7, 1)]]],
        'S': [[a(0.38, 0.26, 0.35, 0.26, -30, -270) + a(0.38, 0.74, 0.38, 0.26, -90, 150)]],
        'T': [[[(0, 0), (0.8, 0)], [(0.4, 0), (0.4, 1)]]],
        'U': [[[(0, 0), (0, 0.6)] + a(0.38, 0.6, 0.38, 0.4, 180, 0) + [(0.76, 0)]],
              [[(0, 0), (0, 0.6)] + a(0.38, 0.6, 0.38, 0.4, 180, 0) + [(0.76, 0), (0.78, 1)]]],
        'V': [[[(0, 0), (0.4, 1), (0.8, 0)]]],
        'W': [[[(0, 0), (0.2, 1), (0.6, 0.35), (1.0, 1), (1.2, 0)]],
              [[(0, 0), (0.08, 0.85), (0.25, 1), (0.45, 0.85), (0.55, 0.35), (0.65, 0.85),
                (0.85, 1), (1.1, 0.8), (1.2, 0)]]],
        'X': [[[(0, 0), (0.75, 1)], [(0.75, 0), (0, 1)]]],
        'Y': [[[(0, 0), (0.4, 0.5)], [(0.8, 0), (0.4, 0.5), (0.4, 1)]],
              [[(0, 0), (0.4, 0.5)], [(0.8, 0), (0.05, 1)]]],
        'Z': [[[(0, 0), (0.75, 0), (0, 1), (0.8, 1)]],
              [[(0, 0), (0.75, 0), (0, 1), (0.8, 1)], [(0.15, 0.5), (0.6, 0.5)]]],
    }


# --- rendering -----------------------------------------------------------------------------
def _distort(np, rng, strokes, n, p):
    """n distorted copies of one allograph: a list of (n, points, 2) arrays, one per stroke."""
    shifts = rng.normal(0.0, p['stroke'], (len(strokes), n, 1, 2))
    turns = rng.normal(0.0, p['stroke_rotate'], (len(strokes), n, 1))
    sizes = np.exp(rng.normal(0.0, p['stroke_scale'], (len(strokes), n, 1, 1)))
    waves = p['waves']
    freq = rng.normal(0.0, p['frequency'], (n, waves, 2))
    phase = rng.uniform(0.0, 2.0 * math.pi, (n, waves))
    amp = rng.normal(0.0, p['elastic'] / math.sqrt(waves), (n, waves, 2))
    aspect = np.exp(rng.normal(0.0, p['aspect'], n))
    slant = rng.normal(p['slant'][0], p['slant'][1], n)
    angle = rng.normal(0.0, p['rotate'], n)
    out = []
    for stroke, shift, turn, size in zip(strokes, shifts, turns, sizes):
        base = np.asarray(stroke, dtype=np.float64)
        mid = (base.min(axis=0) + base.max(axis=0)) / 2.0
        rel = (base - mid)[None, :, :] * size                             # (n, P, 2)
        c, s = np.cos(turn), np.sin(turn)
        rel = np.stack([c * rel[..., 0] - s * rel[..., 1], s * rel[..., 0] + c * rel[..., 1]], -1)
        pts = mid + rel + shift
        # elastic: Σₖ aₖ·sin(2π fₖ·p + φₖ)
        arg = 2.0 * math.pi * np.einsum('nkd,npd->npk', freq, pts) + phase[:, None, :]
        pts = pts + np.einsum('npk,nkd->npd', np.sin(arg), amp)
        x, y = pts[..., 0] * aspect[:, None], pts[..., 1]
        x = x + slant[:, None] * (1.0 - y)
        c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
        out.append(np.stack([c * x - s * y, s * x + c * y], axis=-1))
    return out


def _render(np, rng, strokes, p):
    """12×12 images in [0, 1] of n distorted allographs (strokes: list of (n, P, 2))."""
    n = strokes[0].shape[0]
    half = rng.uniform(*p['width'], n)                  # pen half-width, output pixels
    sigma = rng.uniform(*p['blur'], n)
    gain = rng.uniform(*p['gain'], n)
    # normalise: centre the bbox, larger side (ink included) to FILL of the frame
    allpts = np.concatenate(strokes, axis=1)
    lo, hi = allpts.min(axis=1), allpts.max(axis=1)     # (n, 2)
    span = (hi - lo).max(axis=1)                        # skeleton's larger side
    scale = (FILL * SIDE - 2.0 * half) / np.maximum(span, 1e-9)   # pixels per unit
    centre = (lo + hi) / 2.0
    # pixel-centre grid at SUPER× resolution, in output pixel units, origin at frame centre
    g = (np.arange(SIDE * SUPER) + 0.5) / SUPER - SIDE / 2.0
    gx, gy = np.meshgrid(g, g)                          # gy: rows (y down), gx: columns
    gx, gy = gx.ravel()[None, :], gy.ravel()[None, :]
    best = np.full((n, gx.shape[1]), np.inf)
    for stroke in strokes:
        pts = (stroke - centre[:, None, :]) * scale[:, None, None]
        for i in range(pts.shape[1] - 1):
            ax, ay = pts[:, i, 0:1], pts[:, i, 1:2]
            ux, uy = pts[:, i + 1, 0:1] - ax, pts[:, i + 1, 1:2] - ay
            dx, dy = gx - ax, gy - ay
            t = np.clip((dx * ux + dy * uy) / (ux * ux + uy * uy + 1e-12), 0.0, 1.0)
            ex, ey = dx - t * ux, dy - t * uy
            np.minimum(best, ex * ex + ey * ey, out=best)
    ink = np.clip((half[:, None] - np.sqrt(best)) / p['soft'] + 0.5, 0.0, 1.0)
    ink = ink.reshape(n, SIDE, SUPER, SIDE, SUPER).mean(axis=(2, 4))        # area average
    ink = blur(np, ink, sigma)
    peak = np.maximum(ink.max(axis=(1, 2)), 1e-9)
    return np.minimum(1.0, (gain / peak)[:, None, None] * ink)


def build_standin(seed: int = 0, groups: int = GROUPS,
                  parameters: dict | None = None) -> bytes:
    """The stand-in file's bytes: `groups` groups × 26 letters × 72 bytes.

    Record k = g·26 + m is letter m; deterministic from `seed`. `parameters` overrides
    entries of PARAMETERS (for calibration).
    """
    import numpy as np
    p = {**PARAMETERS, **(parameters or {})}
    rng = np.random.Generator(np.random.PCG64(seed))
    skeletons = _skeletons()
    pixels = np.zeros((groups, CLASSES, SIDE * SIDE), dtype=np.uint8)
    for m, letter in enumerate(sorted(skeletons)):
        forms = skeletons[letter]
        choice = rng.integers(0, len(forms), groups)
        for f, strokes in enumerate(forms):
            members = np.flatnonzero(choice == f)
            if not len(members):
                continue
            images = _render(np, rng, _distort(np, rng, strokes, len(members), p), p)
            levels = np.minimum(15, np.floor(images * 16.0)).astype(np.uint8)
            pixels[members, m] = levels.reshape(len(members), -1)
    return pack(pixels)


def write_standin(path: str | os.PathLike, seed: int = 0, groups: int = GROUPS) -> Path:
    """Write the stand-in to `path` atomically (temp file in the same folder + os.replace)."""
    return write_bytes_atomic(path, build_standin(seed, groups))


def cache_path(seed: int = 0, cache_dir: str | os.PathLike | None = None) -> Path:
    """$XDG_CACHE_HOME/vlearning (default ~/.cache/vlearning)/EMNIST_mini_standin_v<V>_seed<S>.dat"""
    return cache_file('EMNIST_mini', GENERATOR_VERSION, seed, cache_dir)


def ensure_standin(seed: int = 0, cache_dir: str | os.PathLike | None = None) -> Path:
    """Path of the cached stand-in for `seed`, building it first when absent (~8 s)."""
    return ensure_file(cache_path(seed, cache_dir), GROUPS * CLASSES * SIDE * SIDE // 2,
                         lambda path: write_standin(path, seed, GROUPS))


def main(argv: list[str] | None = None) -> int:
    return command_line(argv, module='vlearning.data.standin', what='EMNIST-mini',
                               groups=GROUPS, classes=CLASSES, version=GENERATOR_VERSION,
                               write=write_standin)


if __name__ == '__main__':
    sys.exit(main())

"""An embedded stand-in for the course's Sign_MNIST_mini.dat: synthetic photos of ASL hands.

Users without the course's file get a file in the same layout (1400 groups × 24 letters × 72
bytes, 4-bit 12×12 pixels; the letters A–Y without the motion signs J and Z) on which
accuracies mean about the same: the generator is calibrated so that a softmax regression and
a small MLP reach the accuracies they reach on the real file
(bench/calibrate_standin_signs.py). The project ships this generator, not the data;
ensure_standin() builds the file once and caches it.

What the real data are, and so what the model imitates: Sign-MNIST is about 1,700 cropped
grey photos of hands (a few signers, in front of their own backgrounds) that were augmented
(small rotations, brightness/contrast changes, resampling filters) to about 34,600 images.
So an image has near-copies in its own class (siblings of the same photo; on the real file
every image's nearest neighbour is of its own letter), photos of one letter differ a lot
(pose, background, light), and a letter's photos share a few backgrounds, so that the
background brightness already says something about the letter. The generator has the same
three levels (quoted names are PARAMETERS entries):

1. sessions (a signer in a place), 'sessions' of them: a background (level, linear gradient,
   now and then a soft-edged object, low-frequency texture), a light (mostly from the upper
   left, with an ambient part), a skin albedo (the hand can be darker or lighter than the
   wall) and whether the forearm wears a sleeve; each letter was photographed in
   'letter_sessions' of them;
2. photos, 'originals' per letter, each in one of its letter's sessions: a hand-designed 3-D
   pose of the letter's handshape (POSES) as a capsule skeleton (a palm of four metacarpal
   capsules, five digits of three segments, each segment given by its direction: θ in the
   palm plane from the fingers' direction towards the pinky, ε towards the camera) with
   every segment's angles, the hand's proportions and its roll/yaw/pitch jittered, and a
   forearm leaving the wrist in the pose's arm direction; framed like a crop (the hand's
   bounding box, forearm excluded, centred with jitter, its larger side 'fill' of the frame);
   rendered by orthographic projection with a z-buffer and cylinder shading
   albedo·(ambient + (1 − ambient)·max(0, n·l)), which darkens every finger's edges, at
   RENDER × RENDER pixels over the frame and a margin;
3. images, 1400 per letter, each a sibling of one photo (every photo used equally often):
   a small affine jitter (rotation, scale, shift), sampled bilinearly at SUPER × SUPER
   points per output pixel and area-averaged to 12×12, a brightness/contrast change (the
   jitters scaled by a random strength ~ Exponential(1): some siblings are near-copies of
   their photo, as on the real file, others further off), a Gaussian blur of random σ,
   and 4-bit quantisation p = min(15, ⌊16·v⌋) (no pixel noise: the quantisation and the
   loader's dither are noise enough).

The course's file stores the images transposed (the fingers point left, the wrist is on the
right); the generator renders upright hands and writes their transpose.

Every random draw comes from numpy's PCG64 seeded with `seed`, in a fixed order, so a seed
gives a byte-identical file (on one platform and numpy version; the cache name carries
GENERATOR_VERSION, bumped whenever the output changes).

Command line:  python -m vlearning.data.standin_signs --out PATH [--seed N] [--groups N]
"""
from __future__ import annotations

import math
import os
import sys
from pathlib import Path

from .._atomic import write_bytes_atomic
from ._standin_common import blur, cache_file, command_line, ensure_file, pack
from .plots import GESTURES

__all__ = ['GENERATOR_VERSION', 'PARAMETERS', 'LETTERS', 'build_standin', 'write_standin',
           'ensure_standin', 'cache_path', 'main']

GENERATOR_VERSION = 1
LETTERS = GESTURES
CLASSES = len(LETTERS)
GROUPS = 1400
SIDE = 12
RENDER = 36          # a photo's pixels per side, over the frame and MARGIN on each side
MARGIN = 0.125       # in frames
SUPER = 2            # sample points per output pixel and axis

PARAMETERS = {
    'sessions': 80,              # signer × place combinations
    'letter_sessions': 5,        # of which each letter was photographed in
    'originals': 100,            # photos per letter
    'background': (0.52, 0.94),  # background level, uniform
    'gradient': 0.2,             # largest change of the background across the frame
    'clutter': 0.15,             # mean number of background objects (Poisson)
    'clutter_level': (0.1, 0.9), # an object's level, uniform
    'texture': 0.025,            # amplitude of the background's low-frequency texture
    'skin': (0.4, 1.1),          # the hand's albedo, uniform
    'ambient': (0.0, 0.2),       # ambient part of the light, uniform
    'light': ((-0.8, -0.4), 0.3),  # the light's lateral (x, y) components: mean, σ; frontal 1
    'sleeve': 0.5,               # probability of a sleeve on the forearm
    'digit': 5.0,                # σ of each digit segment's angles, degrees
    'view': (4.0, 6.0),          # σ of the hand's roll, and of its yaw and pitch, degrees
    'size': 0.06,                # σ of ln(the hand's proportions: finger lengths, widths)
    'fill': (0.85, 0.07),        # hand's larger side / frame: median, σ of its log
    'centre': 0.04,              # σ of the hand's centre, frames
    # a sibling's jitters below are scaled by its augmentation strength ~ Exponential(1)
    'rotate': 0.5,               # sibling: σ of the rotation, degrees
    'scale': 0.03,               # sibling: σ of ln(scale)
    'shift': 0.04,               # sibling: σ of the shift, output pixels
    'brightness': 0.01,          # sibling: σ of the brightness offset
    'contrast': 0.015,           # sibling: σ of ln(contrast)
    'blur': (0.35, 0.45),        # sibling: σ of the Gaussian blur, output pixels, uniform
}


# --- the hand ------------------------------------------------------------------------------
# Hand coordinates: x towards the pinky (the thumb is on the image's left, as in the real
# file), y from the wrist towards the fingers (palm length about 1), z towards the camera.
KNUCKLES = ((-0.36, 1.00), (-0.12, 1.04), (0.12, 1.00), (0.34, 0.90))   # index … pinky
LENGTHS = ((0.50, 0.30, 0.22), (0.56, 0.34, 0.24), (0.52, 0.32, 0.23), (0.40, 0.25, 0.20),
           (0.45, 0.36, 0.30))                                          # … then the thumb
RADII = (0.13, 0.135, 0.13, 0.115, 0.14)
THUMB_BASE = (-0.30, 0.22)
PALM_RADIUS = 0.17
WRIST = (0.0, 0.1)
FOREARM = (1.9, 0.30)         # length and radius; it leaves the wrist in the pose's arm direction
SLEEVE_FROM = 0.65            # a sleeve begins this far from the wrist


def _ext(a=0.0):
    """An extended digit, turned a degrees towards the pinky."""
    return ((a, 0.0), (a, 0.0), (a, 0.0))


def _bent(a, knuckle, middle, tip):
    """A digit flexed at its three joints (degrees towards the camera, cumulative)."""
    return ((a, knuckle), (a, knuckle + middle), (a, knuckle + middle + tip))


FIST = _bent(0, 90, 100, 50)
CURVED = _bent(0, 35, 45, 30)
THUMB_ACROSS = ((35, 40), (75, 35), (95, 20))    # folded across the palm or the fingers
THUMB_UP = ((-12, 35), (-4, 30), (0, 25))        # along the side of the fist
THUMB_OUT = ((-60, 5), (-75, 0), (-85, 0))       # spread sideways

# letter → ((roll, yaw, pitch, arm) in degrees; thumb, index, middle, ring, pinky): roll turns
# the fingers towards the left; arm is the forearm's direction, from straight down towards the
# right (P and Q point down, their arm comes from above)
POSES = {
    'A': ((0, 0, 0, 0), THUMB_UP, FIST, FIST, FIST, FIST),
    'B': ((0, 0, 0, 0), THUMB_ACROSS, _ext(-3), _ext(-1), _ext(1), _ext(3)),
    'C': ((0, 85, 0, 0), ((-40, 45), (-10, 45), (10, 30)), CURVED, CURVED, CURVED, CURVED),
    'D': ((0, 0, 0, 0), ((-5, 50), (35, 50), (65, 30)), _ext(0),
          _bent(0, 55, 70, 40), _bent(2, 55, 70, 40), _bent(4, 55, 70, 40)),
    'E': ((0, 0, 0, 0), ((40, 45), (85, 30), (100, 10)), _bent(0, 70, 110, 50),
          _bent(0, 70, 110, 50), _bent(0, 70, 110, 50), _bent(0, 70, 110, 50)),
    'F': ((0, 0, 0, 0), ((-30, 40), (0, 50), (20, 40)), _bent(-5, 40, 70, 50),
          _ext(0), _ext(8), _ext(16)),
    'G': ((80, -55, 0, 25), ((-10, 15), (-2, 5), (0, 0)), _bent(0, 25, 0, 0), FIST, FIST, FIST),
    'H': ((80, -55, 0, 25), THUMB_ACROSS, _bent(0, 25, 0, 0), _bent(-2, 25, 0, 0), FIST, FIST),
    'I': ((0, 0, 0, 0), THUMB_ACROSS, FIST, FIST, FIST, _ext(8)),
    'K': ((0, 0, 0, 0), ((-10, 35), (12, 35), (18, 25)), _ext(-10), _bent(10, 25, 0, 0),
          FIST, FIST),
    'L': ((0, 0, 0, 0), THUMB_OUT, _ext(0), FIST, FIST, FIST),
    'M': ((0, 0, 0, 0), ((30, 30), (70, 35), (90, 30)), _bent(0, 90, 100, 30),
          _bent(0, 90, 100, 30), _bent(0, 90, 100, 30), FIST),
    'N': ((0, 0, 0, 0), ((25, 30), (55, 35), (80, 30)), _bent(0, 90, 100, 30),
          _bent(0, 90, 100, 30), FIST, FIST),
    'O': ((0, 85, 0, 0), ((-30, 45), (0, 60), (30, 60)), _bent(0, 40, 60, 60),
          _bent(0, 40, 60, 60), _bent(0, 40, 60, 60), _bent(0, 40, 60, 60)),
    'P': ((150, -30, 0, 160), ((-10, 35), (12, 35), (18, 25)), _ext(-10), _bent(10, 25, 0, 0),
          FIST, FIST),
    'Q': ((165, -40, 0, 170), ((-10, 15), (-2, 5), (0, 0)), _ext(0), FIST, FIST, FIST),
    'R': ((0, 0, 0, 0), THUMB_ACROSS, _ext(9), ((-9, 8), (-9, 8), (-9, 8)), FIST, FIST),
    'S': ((0, 0, 0, 0), ((30, 55), (75, 45), (95, 25)), FIST, FIST, FIST, FIST),
    'T': ((0, 0, 0, 0), ((5, 45), (20, 55), (15, 60)), _bent(0, 80, 100, 50), FIST, FIST, FIST),
    'U': ((0, 0, 0, 0), THUMB_ACROSS, _ext(-2), _ext(2), FIST, FIST),
    'V': ((0, 0, 0, 0), THUMB_ACROSS, _ext(-13), _ext(13), FIST, FIST),
    'W': ((0, 0, 0, 0), ((40, 45), (80, 40), (100, 30)), _ext(-15), _ext(0), _ext(15), FIST),
    'X': ((0, 0, 0, 0), THUMB_ACROSS, _bent(0, 10, 95, 60), FIST, FIST, FIST),
    'Y': ((0, 0, 0, 0), THUMB_OUT, FIST, FIST, FIST, _ext(28)),
}


def _rotation(np, roll, yaw, pitch):
    """(n, 3, 3) rotations: yaw about y, then pitch about x, then roll in the image plane."""
    roll, yaw, pitch = np.radians(roll), np.radians(yaw), np.radians(pitch)
    cr, sr, cy, sy, cp, sp = (np.cos(roll), np.sin(roll), np.cos(yaw), np.sin(yaw),
                              np.cos(pitch), np.sin(pitch))
    one, zero = np.ones_like(cr), np.zeros_like(cr)

    def matrix(*rows):
        return np.stack([np.stack(row, -1) for row in rows], -2)
    ry = matrix((cy, zero, sy), (zero, one, zero), (-sy, zero, cy))
    rx = matrix((one, zero, zero), (zero, cp, -sp), (zero, sp, cp))
    rz = matrix((cr, -sr, zero), (sr, cr, zero), (zero, zero, one))
    return rz @ rx @ ry


def _skeleton(np, rng, pose, n, p):
    """n jittered copies of a pose as capsules, turned by the pose's view.

    Returns the capsules' ends a, b (n, C, 3), radii (n, C) and each capsule's part (C,):
    0 the hand (framed), 1 the forearm, 2 a sleeve. The forearm leaves the wrist in the
    image plane in the pose's arm direction (the wrist bends: a pointing hand's arm still
    comes from below).
    """
    view, digits = pose[0], pose[1:]
    angles = np.radians(np.asarray(digits, dtype=np.float64))              # (5, 3, 2)
    angles = angles + np.radians(rng.normal(0.0, p['digit'], (n,) + angles.shape))
    size = np.exp(rng.normal(0.0, p['size'], (n, 2)))                       # lengths, widths
    ends, radii, parts = [], [], []

    def capsule(a, b, r, part=0):
        ends.append((np.broadcast_to(a, (n, 3)), np.broadcast_to(b, (n, 3))))
        radii.append(np.broadcast_to(r, (n,)))
        parts.append(part)

    for (x, y) in KNUCKLES:                                                 # the palm
        capsule((0.45 * x, 0.15, 0.0), (x, y - 0.06, 0.0), PALM_RADIUS * size[:, 1])
    capsule((-0.05, 0.2, 0.0), (THUMB_BASE[0], THUMB_BASE[1], 0.0), 0.16 * size[:, 1])
    bases = (THUMB_BASE,) + KNUCKLES
    for d, (base, lengths, radius) in enumerate(zip(bases, (LENGTHS[4],) + LENGTHS[:4],
                                                    (RADII[4],) + RADII[:4])):
        theta, eps = angles[:, d, :, 0], angles[:, d, :, 1]                 # (n, 3)
        step = np.stack([np.sin(theta) * np.cos(eps), np.cos(theta) * np.cos(eps),
                         np.sin(eps)], -1) * (np.asarray(lengths)[:, None] * size[:, None, 0:1])
        joint = np.broadcast_to(np.array([base[0], base[1], 0.0]), (n, 3))
        for k in range(3):
            taper = 1.0 - 0.08 * k
            capsule(joint, joint + step[:, k], radius * taper * size[:, 1])
            joint = joint + step[:, k]
    # turn the hand about the palm's centre: the letter's view, jittered
    tilt = rng.normal(0.0, p['view'][0], n)
    yaw = view[1] + rng.normal(0.0, p['view'][1], n)
    pitch = view[2] + rng.normal(0.0, p['view'][1], n)
    turn = _rotation(np, view[0] + tilt, yaw, pitch)                       # (n, 3, 3)
    centre = np.array([0.0, 0.6, 0.0])
    a = np.einsum('nij,ncj->nci', turn, np.stack([e[0] for e in ends], 1) - centre)
    b = np.einsum('nij,ncj->nci', turn, np.stack([e[1] for e in ends], 1) - centre)
    wrist = np.einsum('nij,j->ni', turn, np.array([WRIST[0], WRIST[1], 0.0]) - centre)
    arm = np.radians(view[3] + tilt)
    way = np.stack([np.sin(arm), -np.cos(arm), np.zeros(n)], -1)
    length, width = FOREARM
    elbow = wrist + length * size[:, 0:1] * way
    a = np.concatenate([a, np.stack([wrist, wrist + SLEEVE_FROM * way], 1)], 1)
    b = np.concatenate([b, np.stack([elbow, elbow], 1)], 1)
    radii += [width * size[:, 1], (width + 0.03) * size[:, 1]]
    return a, b, np.stack(radii, 1), np.array(parts + [1, 2])


def _sessions(np, rng, p, clutter_max=4, waves=3):
    """Every session's background, light, skin and sleeve, as a dict of (S, …) arrays."""
    s = p['sessions']
    return {
        'level': rng.uniform(*p['background'], s),
        'gradient': rng.uniform(0.0, p['gradient'], s),
        'direction': rng.uniform(0.0, 2.0 * math.pi, s),
        'objects': np.arange(clutter_max)[None, :] < rng.poisson(p['clutter'], s)[:, None],
        'object_centre': rng.uniform(-0.2, 1.2, (s, clutter_max, 2)),
        'object_half': rng.uniform(0.1, 0.6, (s, clutter_max, 2)),
        'object_angle': rng.uniform(0.0, math.pi, (s, clutter_max)),
        'object_level': rng.uniform(*p['clutter_level'], (s, clutter_max)),
        'frequency': rng.normal(0.0, 2.0, (s, waves, 2)),
        'phase': rng.uniform(0.0, 2.0 * math.pi, (s, waves)),
        'texture': rng.normal(0.0, p['texture'], (s, waves)),
        'skin': rng.uniform(*p['skin'], s),
        'ambient': rng.uniform(*p['ambient'], s),
        'light': np.asarray(p['light'][0]) + rng.normal(0.0, p['light'][1], (s, 2)),
        'sleeve': rng.random(s) < p['sleeve'],
        'sleeve_level': rng.uniform(0.1, 0.9, s),
    }


def _background(np, rng, sessions, which, gx, gy):
    """(n, P) backgrounds of photos taken in sessions `which`; the camera moves a little."""
    n = len(which)
    sess = {key: value[which] for key, value in sessions.items()}
    offset = rng.normal(0.0, 0.08, (n, 2))
    x, y = gx + offset[:, 0:1], gy + offset[:, 1:2]
    c, s = np.cos(sess['direction'])[:, None], np.sin(sess['direction'])[:, None]
    field = sess['level'][:, None] + sess['gradient'][:, None] * (c * (x - 0.5) + s * (y - 0.5))
    for k in range(sess['objects'].shape[1]):
        dx = x - sess['object_centre'][:, k, 0:1]
        dy = y - sess['object_centre'][:, k, 1:2]
        ca = np.cos(sess['object_angle'][:, k])[:, None]
        sa = np.sin(sess['object_angle'][:, k])[:, None]
        u, v = np.abs(ca * dx + sa * dy), np.abs(-sa * dx + ca * dy)
        inside = np.minimum(sess['object_half'][:, k, 0:1] - u, sess['object_half'][:, k, 1:2] - v)
        mask = 1.0 / (1.0 + np.exp(-np.clip(inside / 0.02, -50.0, 50.0)))
        mask = mask * sess['objects'][:, k:k + 1]
        field = field * (1.0 - mask) + sess['object_level'][:, k:k + 1] * mask
    for k in range(sess['phase'].shape[1]):
        arg = 2.0 * math.pi * (sess['frequency'][:, k, 0:1] * x + sess['frequency'][:, k, 1:2] * y)
        field = field + sess['texture'][:, k:k + 1] * np.sin(arg + sess['phase'][:, k:k + 1])
    return field


def _photos(np, rng, pose, sessions, n, p):
    """(n, RENDER, RENDER) photos of one letter in [0, 1], upright (y downwards)."""
    mine = rng.choice(p['sessions'], p['letter_sessions'], replace=False)
    which = mine[rng.integers(0, len(mine), n)]
    a, b, radius, parts = _skeleton(np, rng, pose, n, p)
    # frame like a crop: the hand's box (ink of the capsules included), centred, scaled
    hand = parts == 0
    pts = np.concatenate([a[:, hand, :2], b[:, hand, :2]], 1)
    rad = np.concatenate([radius[:, hand], radius[:, hand]], 1)[..., None]
    lo, hi = (pts - rad).min(axis=1), (pts + rad).max(axis=1)               # (n, 2)
    fill = p['fill'][0] * np.exp(rng.normal(0.0, p['fill'][1], n))
    scale = fill / (hi - lo).max(axis=1)
    centre = 0.5 + rng.normal(0.0, p['centre'], (n, 2))
    mid = (lo + hi) / 2.0

    def frame(q):    # hand coordinates → frame coordinates (x right, y down, z to camera)
        return np.stack([centre[:, None, 0] + (q[..., 0] - mid[:, None, 0]) * scale[:, None],
                         centre[:, None, 1] - (q[..., 1] - mid[:, None, 1]) * scale[:, None],
                         q[..., 2] * scale[:, None]], -1)
    f32 = np.float32
    a, b, radius = frame(a).astype(f32), frame(b).astype(f32), (radius * scale[:, None]).astype(f32)
    g = -MARGIN + (np.arange(RENDER) + 0.5) * (1.0 + 2.0 * MARGIN) / RENDER
    gx, gy = np.meshgrid(g, g)
    gx, gy = gx.ravel()[None, :], gy.ravel()[None, :]
    photo = _background(np, rng, sessions, which, gx, gy).astype(f32)
    light = np.concatenate([sessions['light'][which], np.ones((n, 1))], 1)
    light = (light / np.linalg.norm(light, axis=1, keepdims=True)).astype(f32)
    ambient = sessions['ambient'][which][:, None]
    skin = sessions['skin'][which][:, None]
    sleeve = np.where(sessions['sleeve'][which], sessions['sleeve_level'][which], np.nan)[:, None]
    gx, gy = gx.astype(f32), gy.astype(f32)
    depth = np.full(photo.shape, -np.inf, dtype=f32)
    for c, part in enumerate(parts):
        level = sleeve if part == 2 else skin
        dark, bright = (level * ambient).astype(f32), (level * (1.0 - ambient)).astype(f32)
        ax, ay, az = a[:, c, 0:1], a[:, c, 1:2], a[:, c, 2:3]
        ux, uy, uz = b[:, c, 0:1] - ax, b[:, c, 1:2] - ay, b[:, c, 2:3] - az
        dx, dy = gx - ax, gy - ay
        t = np.clip((dx * ux + dy * uy) / (ux * ux + uy * uy + f32(1e-12)), 0.0, 1.0)
        qx, qy = dx - t * ux, dy - t * uy
        r = radius[:, c:c + 1]
        h2 = r * r - qx * qx - qy * qy
        h = np.sqrt(np.maximum(h2, 0.0))
        z = az + t * uz + h
        hit = (h2 > 0.0) & (z > depth) & ~np.isnan(dark)
        shade = ((qx * light[:, 0:1] + qy * light[:, 1:2] + h * light[:, 2:3])
                 / np.maximum(r, f32(1e-9)))
        np.copyto(photo, dark + bright * np.maximum(shade, 0.0), where=hit)
        np.copyto(depth, z, where=hit)
    return np.clip(photo, 0.0, 1.0).reshape(n, RENDER, RENDER)


def _siblings(np, rng, photos, which, p):
    """(n, 12, 12) augmented images in [0, 1]: image i is a sibling of photos[which[i]]."""
    n = len(which)
    # how strongly an image is augmented varies: some siblings are near-copies of their photo
    strength = rng.exponential(1.0, n)
    angle = np.radians(rng.normal(0.0, p['rotate'], n) * strength)
    zoom = np.exp(rng.normal(0.0, p['scale'], n) * strength)
    shift = rng.normal(0.0, p['shift'] / SIDE, (n, 2)) * strength[:, None]
    contrast = np.exp(rng.normal(0.0, p['contrast'], n) * strength)
    brightness = rng.normal(0.0, p['brightness'], n) * strength
    sigma = rng.uniform(*p['blur'], n)
    # sample points: SUPER × SUPER per output pixel, in frame coordinates about the centre
    g = (np.arange(SIDE * SUPER) + 0.5) / (SIDE * SUPER) - 0.5
    gx, gy = np.meshgrid(g, g)
    gx, gy = gx.ravel()[None, :], gy.ravel()[None, :]
    c, s = (np.cos(angle) / zoom)[:, None], (np.sin(angle) / zoom)[:, None]
    x = 0.5 + c * gx - s * gy + shift[:, 0:1]
    y = 0.5 + s * gx + c * gy + shift[:, 1:2]
    # bilinear interpolation in the photos' pixel grid
    fx = (x + MARGIN) / (1.0 + 2.0 * MARGIN) * RENDER - 0.5
    fy = (y + MARGIN) / (1.0 + 2.0 * MARGIN) * RENDER - 0.5
    ix = np.clip(np.floor(fx), 0, RENDER - 2).astype(np.int64)
    iy = np.clip(np.floor(fy), 0, RENDER - 2).astype(np.int64)
    wx, wy = np.clip(fx - ix, 0.0, 1.0), np.clip(fy - iy, 0.0, 1.0)
    flat = photos.reshape(-1)
    base = which[:, None] * (RENDER * RENDER) + iy * RENDER + ix
    v = ((flat[base] * (1.0 - wx) + flat[base + 1] * wx) * (1.0 - wy)
         + (flat[base + RENDER] * (1.0 - wx) + flat[base + RENDER + 1] * wx) * wy)
    v = v.reshape(n, SIDE, SUPER, SIDE, SUPER).mean(axis=(2, 4))
    mean = v.mean(axis=(1, 2), keepdims=True)
    v = (v - mean) * contrast[:, None, None] + mean + brightness[:, None, None]
    return np.clip(blur(np, v, sigma), 0.0, 1.0)


def build_standin(seed: int = 0, groups: int = GROUPS,
                  parameters: dict | None = None) -> bytes:
    """The stand-in file's bytes: `groups` groups × 24 letters × 72 bytes.

    Record k = g·24 + m is letter m; deterministic from `seed`. `parameters` overrides
    entries of PARAMETERS (for calibration).
    """
    import numpy as np
    p = {**PARAMETERS, **(parameters or {})}
    rng = np.random.Generator(np.random.PCG64(seed))
    sessions = _sessions(np, rng, p)
    pixels = np.zeros((groups, CLASSES, SIDE * SIDE), dtype=np.uint8)
    for m, letter in enumerate(LETTERS):
        originals = min(p['originals'], groups)            # a small file needs fewer photos
        photos = _photos(np, rng, POSES[letter], sessions, originals, p)
        which = rng.permutation(np.arange(groups) % originals)
        images = _siblings(np, rng, photos, which, p)
        levels = np.minimum(15, np.floor(images * 16.0)).astype(np.uint8)
        pixels[:, m] = levels.transpose(0, 2, 1).reshape(groups, -1)       # the file's transpose
    return pack(pixels)


def write_standin(path: str | os.PathLike, seed: int = 0, groups: int = GROUPS) -> Path:
    """Write the stand-in to `path` atomically (temp file in the same folder + os.replace)."""
    return write_bytes_atomic(path, build_standin(seed, groups))


def cache_path(seed: int = 0, cache_dir: str | os.PathLike | None = None) -> Path:
    """$XDG_CACHE_HOME/vlearning (default ~/.cache/vlearning)/
    Sign_MNIST_mini_standin_v<V>_seed<S>.dat"""
    return cache_file('Sign_MNIST_mini', GENERATOR_VERSION, seed, cache_dir)


def ensure_standin(seed: int = 0, cache_dir: str | os.PathLike | None = None) -> Path:
    """Path of the cached stand-in for `seed`, building it first when absent (~4 s)."""
    return ensure_file(cache_path(seed, cache_dir), GROUPS * CLASSES * SIDE * SIDE // 2,
                         lambda path: write_standin(path, seed, GROUPS))


def main(argv: list[str] | None = None) -> int:
    return command_line(argv, module='vlearning.data.standin_signs',
                               what='Sign-MNIST-mini', groups=GROUPS, classes=CLASSES,
                               version=GENERATOR_VERSION, write=write_standin)


if __name__ == '__main__':
    sys.exit(main())

"""Split the course's data file: visible groups for the notebook, hidden groups for testing.

The file holds groups of one image per class (72 bytes each: 144 pixels of 4 bits).
Whole groups are withheld, chosen by a seed derived from the course secret
(settings/course_secret.py; the settings' `hidden_seed` is mixed in), so the hidden test set
is the same at every regrade and cannot be rebuilt from the repository. With a separate
hidden file (`--hidden-data`, students never had it) the hidden groups come from there and
the notebook gets the data file's first groups. The notebook's workspace gets a smaller file of the same
layout (the course's loader reads the group count from the file size); the hidden images
go to the student's kernel without labels and in a secret order (`HiddenSet.shuffled`),
and the labels never leave the grader.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

__all__ = ['RECORD_BYTES', 'HiddenSet', 'split_data_file']

RECORD_BYTES = 72


@dataclass(frozen=True)
class HiddenSet:
    images: list[str]        # 144 hex nibbles per image (4-bit pixels, row-major)
    labels: list[int]        # class index per image — grader-only
    groups: list[int]        # the withheld group numbers of the source file
    dither_seed: int

    def __len__(self) -> int:
        return len(self.labels)

    def shuffled(self, rng: random.Random) -> HiddenSet:
        """The same images in another order. The grader sends them in an order drawn from a
        secret generator at every run: in file order every group lists the classes in turn,
        so predictions `i % classes` would score 100 % without a model."""
        order = list(range(len(self.images)))
        rng.shuffle(order)
        return HiddenSet([self.images[i] for i in order], [self.labels[i] for i in order], self.groups,
                         self.dither_seed)


def _hex(record: bytes) -> str:
    return record.hex()      # high nibble first: exactly the pixel order of the course's layout


def _groups(path: Path, classes: int) -> tuple[bytes, int]:
    raw = Path(path).read_bytes()
    group_bytes = classes * RECORD_BYTES
    if len(raw) % group_bytes:
        raise ValueError(f'{path}: {len(raw):,} bytes is not a whole number of groups of '
                         f'{classes} × {RECORD_BYTES} bytes')
    return raw, len(raw) // group_bytes


def split_data_file(source: Path, target: Path, *, classes: int, data_groups: int,
                    hidden_groups: int, seed: int, hidden_source: Path | None = None) -> HiddenSet:
    """Write `data_groups` visible groups to `target`; return `hidden_groups` others, drawn by
    `seed` from `source`, or from `hidden_source` when given (then the first `data_groups` of
    `source` are visible)."""
    raw, total = _groups(source, classes)
    group_bytes = classes * RECORD_BYTES
    rng = random.Random(seed)
    if hidden_source is not None:
        hidden_raw, hidden_total = _groups(hidden_source, classes)
        if data_groups > total:
            raise ValueError(f'{source} holds {total} groups; the profile asks for {data_groups} visible')
        if hidden_groups > hidden_total:
            raise ValueError(f'{hidden_source} holds {hidden_total} groups; the profile asks for {hidden_groups} hidden')
        hidden = sorted(rng.sample(range(hidden_total), hidden_groups))
        visible = list(range(data_groups))
    else:
        if data_groups + hidden_groups > total:
            raise ValueError(f'{source} holds {total} groups; the profile asks for {data_groups} visible '
                             f'+ {hidden_groups} hidden')
        hidden_raw = raw
        hidden = sorted(rng.sample(range(total), hidden_groups))
        hidden_set = set(hidden)
        visible = [g for g in range(total) if g not in hidden_set][:data_groups]
    tmp = target.with_name(target.name + '.partial')
    with open(tmp, 'wb') as handle:
        for g in visible:
            handle.write(raw[g * group_bytes:(g + 1) * group_bytes])
    tmp.replace(target)
    images, labels = [], []
    for g in hidden:
        for m in range(classes):
            start = (g * classes + m) * RECORD_BYTES
            images.append(_hex(hidden_raw[start:start + RECORD_BYTES]))
            labels.append(m)
    return HiddenSet(images, labels, hidden, dither_seed=rng.getrandbits(62))   # goes to the kernel: not the seed

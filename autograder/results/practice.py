"""A grade earned on a practice profile is not the assignment's grade: every place that shows
one says so. The assignment's requirement is the profile `full` (assignment.toml's
part_b.profiles.full: the notebook's whole data set, its time limit and accuracy); any other
profile (`quick`) scales Part B down for demos, CI and self-checks, so its grade only says how
the hand-in fares on that smaller task."""
from __future__ import annotations

from typing import Any

from ..i18n import N_, _

__all__ = ['REQUIREMENT', 'PRACTICE_LABEL', 'is_practice', 'practice_label']

REQUIREMENT = 'full'
PRACTICE_LABEL = N_("practice profile — not the assignment's requirement")


def is_practice(profile: str | dict[str, Any] | None) -> bool:
    """Whether a profile (or a results document's) is a practice one."""
    if isinstance(profile, dict):
        profile = profile.get('profile')
    return bool(profile) and profile != REQUIREMENT


def practice_label(profile: str | dict[str, Any] | None) -> str:
    """The label in the current language, or '' for the assignment's requirement."""
    return _(PRACTICE_LABEL) if is_practice(profile) else ''

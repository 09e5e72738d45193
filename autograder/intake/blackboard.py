"""Blackboard's bulk-download file names: who handed the file in, at which attempt.

Blackboard names every downloaded file
`<assignment>_<user>_attempt_<YYYY-MM-DD-HH-MM-SS>_<original name>`, plus one receipt per
attempt `<assignment>_<user>_attempt_<timestamp>.txt` (no original name). The assignment
part may itself hold underscores and dots; the user id holds no underscore, so the first
`_<user>_attempt_<timestamp>` that fits splits the name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

__all__ = ['BlackboardName', 'parse_blackboard_name']

_TIMESTAMP = '%Y-%m-%d-%H-%M-%S'
_PATTERN = re.compile(
    r'(?P<assignment>.+?)_(?P<user>[^_]+)_attempt_'
    r'(?P<attempt>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})'
    r'(?:_(?P<original>.+)|(?P<receipt>\.txt))?',
    re.DOTALL)


@dataclass(frozen=True)
class BlackboardName:
    assignment: str         # e.g. 'Eindopdracht_v2324.2'
    user: str               # the student's user name, e.g. 's1234567'
    attempt: str            # the attempt's timestamp 'YYYY-MM-DD-HH-MM-SS'
    original: str | None    # the file's name as the student uploaded it; None for the receipt

    @property
    def is_receipt(self) -> bool:
        """Blackboard's own text file describing the attempt (not the student's work)."""
        return self.original is None


def parse_blackboard_name(name: str) -> BlackboardName | None:
    """Split a Blackboard bulk-download file name; None when `name` is not one."""
    match = _PATTERN.fullmatch(name)
    if match is None or not _is_timestamp(match['attempt']):
        return None
    return BlackboardName(match['assignment'], match['user'], match['attempt'], match['original'])


def _is_timestamp(text: str) -> bool:
    try:
        datetime.strptime(text, _TIMESTAMP)
    except ValueError:
        return False
    return True

"""CSV a spreadsheet opens as data, never as formulas (OWASP's CSV injection rule).

Names come from what students hand in (Blackboard user names in file names, folder names),
and a cell like `=HYPERLINK(...)`, `+cmd|' -c calc'!A0` or `@SUM(...)` runs when an instructor
opens grades.csv in Excel or LibreOffice. Every text cell the project writes to a CSV goes
through `safe_cell`: control characters (C0, DEL, C1: an ESC, a tab, a line break) are
removed, and a cell that then starts (after spaces) with `=`, `+`, `-` or `@` gets a single
quote in front, which spreadsheets show as text. A plain number is left as it is: `-1.5`
cannot run, and grades and points are never negative anyway.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

__all__ = ['safe_cell', 'safe_writer']

_CONTROL = re.compile('[\x00-\x1f\x7f-\x9f]')
_NUMBER = re.compile(r'[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?')
_FORMULA = ('=', '+', '-', '@', '\uff1d', '\uff0b', '\uff0d', '\uff20')    # also their full-width forms


def safe_cell(value: Any) -> Any:
    """A text cell that cannot start a formula; anything but text as it is."""
    if not isinstance(value, str):
        return value
    text = _CONTROL.sub('', value)
    if text.lstrip().startswith(_FORMULA) and not _NUMBER.fullmatch(text.strip()):
        return "'" + text
    return text


class _SafeWriter:
    def __init__(self, writer: Any):
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])


def safe_writer(stream: Any, **options: Any) -> _SafeWriter:
    """csv.writer(stream, **options) whose rows go through `safe_cell`."""
    return _SafeWriter(csv.writer(stream, **options))

"""Small text helpers shared by the views and the templates: numbers, statuses, dates."""
from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from ..i18n import N_, _, current
from ..i18n import percent as share

__all__ = ['STATUS', 'status_info', 'number', 'exact', 'percent', 'decimal', 'minutes', 'seconds', 'date',
           'strip_ansi', 'first_line']

# Every status is shown with an icon AND a word: colour is never the only signal.
STATUS = {
    'pass': ('✔', N_('pass')), 'partial': ('◐', N_('partial')), 'fail': ('✘', N_('fail')),
    'error': ('!', N_('error')), 'skipped': ('·', N_('skipped')),
    # notebook cells
    'ok': ('✔', N_('ok')), 'timeout': ('⏱', N_('timeout')), 'kernel-died': ('✘', N_('kernel died')),
    'not-run': ('·', N_('not run')),
}
# The CSS class (colour) of each status.
TONE = {'pass': 'good', 'ok': 'good', 'partial': 'warn', 'fail': 'bad', 'error': 'bad', 'timeout': 'bad',
        'kernel-died': 'bad', 'skipped': 'muted', 'not-run': 'muted'}

_ANSI = re.compile(r'\x1b\[[0-9;?]*[ -/]*[@-~]')


def status_info(status: str) -> dict[str, str]:
    icon, word = STATUS.get(status, ('?', str(status)))
    return {'status': status, 'icon': icon, 'word': _(word), 'tone': TONE.get(status, 'muted')}


def number(value: Any, digits: int = 6) -> str:
    """A number as a person reads it: integers without '.0', others to `digits` significant
    digits; -0 kept (the tables care about the sign of zero); anything else as text."""
    if value is None:
        return '—'
    if isinstance(value, bool):
        return _('yes') if value else _('no')
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return 'nan'
        if math.isinf(value):
            return 'inf' if value > 0 else '-inf'
        if value == 0.0:
            return '-0' if math.copysign(1.0, value) < 0 else '0'
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return f'{value:.{digits}g}'
    if isinstance(value, (list, tuple)):
        return '(' + ', '.join(number(v, digits) for v in value) + ')'
    return str(value)


def exact(value: Any) -> str:
    """A number in full: the shortest text that reads back as the same float (repr)."""
    if isinstance(value, float) and math.isfinite(value) and value != int(value):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return '(' + ', '.join(exact(v) for v in value) + ')'
    return number(value)


def percent(value: float | None, digits: int = 1) -> str:
    """A share as the current language writes it (92.5% / 92,5%): the same text as the checks'
    messages (i18n.percent), so that a page never mixes two ways of writing one number."""
    return '—' if value is None else share(value, digits)


def decimal(value: float, digits: int = 1) -> str:
    """A number with `digits` decimals in the current language (6.3 / 6,3)."""
    from babel.numbers import format_decimal
    return format_decimal(value, format='#,##0' + ('.' + '0' * digits if digits else ''), locale=current())


def minutes(value: float | None) -> str:
    return '—' if value is None else f'{decimal(value)} min'


def seconds(value: float | None) -> str:
    if value is None:
        return '—'
    if value < 1:
        return f'{decimal(value * 1000, 0)} ms'
    if value < 120:
        return f'{decimal(value)} s'
    return f'{decimal(value / 60)} min'


def date(stamp: str | None) -> str:
    """An ISO time stamp as 'YYYY-MM-DD HH:MM UTC' (the document's own time, never now)."""
    if not stamp:
        return '—'
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    zone = moment.strftime('%Z') or ''
    return moment.strftime('%Y-%m-%d %H:%M') + (f' {zone}' if zone else '')


def strip_ansi(text: str) -> str:
    return _ANSI.sub('', text or '')


def first_line(text: str | None, width: int = 70) -> str:
    for line in (text or '').splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= width else line[:width - 1] + '…'
    return ''

"""A readable terminal summary of a results document (for `grade` and `check`), in the
document's language: a to-do list, not a wall.

Per report section (the assignment's parts): its points, then only what the student can act
on — one line naming what is not written yet (each function or class once, however many
checks and probe points it fails), and the message of each check that has more to say. A
passing check is one line; checks that did not run read "not run", never "0.0/5", and
checks left out of the student kit are named once. Everything wraps at the terminal's width.
"""
from __future__ import annotations

import shutil
import textwrap
from typing import Any

from .. import registry
from ..i18n import _, join_and, language
from ..results.practice import practice_label
from .formatting import decimal, seconds, status_info

__all__ = ['render_summary', 'width', 'not_written']

COLOURS = {'pass': '32', 'partial': '33', 'fail': '31', 'error': '31', 'skipped': '90'}
INDENT = '    '


def width() -> int:
    """The terminal's width ($COLUMNS first), 100 when unknown, at most 110."""
    return max(40, min(shutil.get_terminal_size((100, 20)).columns, 110))


def render_summary(document: dict[str, Any], *, colour: bool = False, part: str | None = None) -> str:
    """`part`: show that part's checks only (`autograder check activations`)."""
    with language(document.get('language')):
        return '\n'.join(_summary(document, colour, part))


def _wrap(text: str, first: str, rest: str, columns: int) -> list[str]:
    return textwrap.wrap(text, width=columns, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def _points(value: float, maximum: float) -> str:
    return f'{value:g}/{maximum:g}'


def _summary(document: dict[str, Any], colour: bool, part: str | None) -> list[str]:
    columns = width()

    def paint(text: str, status: str) -> str:
        return f'\033[{COLOURS[status]}m{text}\033[0m' if colour else text

    sub = document['submission']
    lines = [*_wrap(document['assignment']['title'], '', '', columns),
             *_wrap((_('submission: {source}  student: {student}  profile: {profile}  mode: {mode}')
                     if sub.get('student') else _('submission: {source}  profile: {profile}  mode: {mode}')).format(
                 source=sub.get('source'), student=sub.get('student'), profile=document['profile'],
                 mode=document['mode']), '', '', columns), '']
    checks = [c for c in document['checks'] if part is None or registry.part_of(c['id']) == part]
    left_out = [c for c in checks if c['status'] == 'skipped' and (c.get('details') or {}).get('left_out')]
    not_run_groups: list[tuple[str, str]] = []
    for key, _title in registry.GROUPS:
        group = [c for c in checks if registry.BY_ID.get(c['id']) and registry.BY_ID[c['id']].group == key
                 and c not in left_out]
        ran = [c for c in group if c['status'] != 'skipped']
        if not group:
            continue
        if not ran:
            not_run_groups.append((registry.group_title(key), group[0]['message']))
            continue
        lines += _group(key, group, ran, columns, paint)
    lines += _not_run(not_run_groups, columns)
    if left_out:
        lines += _wrap(_('Only the real grading runs: {checks}.').format(checks=', '.join(c['id'] for c in left_out)),
                       '', INDENT, columns)
    lines.append('')
    lines += _footer(document, checks, part, columns, paint)
    return lines


def _group(key: str, group: list[dict[str, Any]], ran: list[dict[str, Any]], columns: int, paint) -> list[str]:
    points = sum(c['points'] for c in ran)
    maximum = sum(c['max_points'] for c in ran)
    lines = _wrap(f"{registry.group_title(key)} — {_points(points, maximum)}", '', INDENT, columns)
    todo = not_written(ran)
    if todo:
        lines += _wrap(todo, '  ', INDENT, columns)
    heads = {c['id']: (status_info(c['status'])['icon'], _points(c['points'], c['max_points'])
                       if c['status'] != 'skipped' else _('not run')) for c in group}
    score_width = max(len(score) for _icon, score in heads.values())
    for check in group:
        details = check.get('details') or {}
        if details.get('waiting') or details.get('blocked_by'):
            continue               # said by the to-do line, or by the check it refers to
        icon, score = heads[check['id']]
        first = f"  {paint(icon, check['status'])} {score:<{score_width}}  "
        plain = f'  {icon} {score:<{score_width}}  '
        title = _wrap(check['title'], plain, ' ' * len(plain), columns)
        title[0] = first + title[0][len(plain):]
        lines += title
        if check['status'] not in ('pass', 'skipped') and check['message']:
            lines += _wrap(check['message'], INDENT + '  ', INDENT + '  ', columns)
    return lines


def not_written(checks: list[dict[str, Any]]) -> str:
    """'Not written yet: linear, tanh, …' for these checks (each name once), '' when none."""
    names = list(dict.fromkeys(n for c in checks if c.get('status') != 'skipped'
                               for n in (c.get('details') or {}).get('not_written', [])))
    return _('Not written yet: {names}').format(names=', '.join(names)) if names else ''


def _not_run(groups: list[tuple[str, str]], columns: int) -> list[str]:
    """Sections none of whose checks ran, together, with their reason once when they share it."""
    if not groups:
        return []
    reasons = list(dict.fromkeys(reason for _title, reason in groups))
    titles = join_and([title for title, _reason in groups])
    if len(reasons) == 1:
        return _wrap(_('{sections}: not run. {reason}').format(sections=titles, reason=reasons[0]),
                     '', INDENT, columns)
    return _wrap(_('{sections}: not run.').format(sections=titles), '', INDENT, columns)


def _footer(document: dict[str, Any], checks: list[dict[str, Any]], part: str | None, columns: int,
            paint) -> list[str]:
    score = document['score']
    lines = []
    if document['submission'].get('rejected'):
        lines += [paint(line, 'fail') for line in _wrap(_('Rejected, no grade: {reason}').format(
            reason=document['submission']['rejected']), '', '', columns)]
    elif part is not None:
        ran = [c for c in checks if c['status'] != 'skipped']
        lines += _wrap(_('Checked only {part}: {points} / {max_points} points. `autograder check` checks '
                         'everything.').format(part=part, points=f"{sum(c['points'] for c in ran):g}",
                                               max_points=f"{sum(c['max_points'] for c in ran):g}"),
                       '', '', columns)
    elif any(c['status'] == 'skipped' for c in checks):
        lines += _wrap(_('So far: {points} / {max_points} points of the checks that ran; no grade yet.').format(
            points=f"{score['points']:g}", max_points=f"{score['max_points']:g}"), '', '', columns)
    else:
        lines.append(_('Total: {points} / {max_points} points, grade {grade}').format(
            points=f"{score['points']:g}", max_points=f"{score['max_points']:g}", grade=decimal(score['grade']))
            + (f' ({practice_label(document)})' if practice_label(document) else ''))
    hard = score['hard_requirements']
    failed = [k for k, ok in hard.items() if not ok and (part is None or registry.part_of(k) == part)]
    if failed:
        lines += [paint(line, 'fail') for line in _wrap(_('Hard requirements not met: {checks}').format(
            checks=', '.join(failed)), '', '', columns)]
    elif hard and part is None and not any(c['status'] == 'skipped' for c in checks):
        lines.append(paint(_('All hard requirements met.'), 'pass'))
    timings = document.get('timings', {})
    if 'total' in timings:
        lines.append(_('Graded in {seconds}.').format(seconds=seconds(timings['total'])))
    return lines

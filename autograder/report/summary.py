"""A readable terminal summary of a results document (for `grade` and `check`), in the
document's language."""
from __future__ import annotations

import shutil
import textwrap
from typing import Any

from ..i18n import _, language
from ..results.practice import practice_label
from .formatting import decimal, seconds, status_info

__all__ = ['render_summary']

COLOURS = {'pass': '32', 'partial': '33', 'fail': '31', 'error': '31', 'skipped': '90'}


def render_summary(document: dict[str, Any], *, colour: bool = False) -> str:
    with language(document.get('language')):
        return _summary(document, colour)


def _summary(document: dict[str, Any], colour: bool) -> str:
    width = min(shutil.get_terminal_size((100, 20)).columns, 110)

    def paint(text: str, status: str) -> str:
        return f'\033[{COLOURS[status]}m{text}\033[0m' if colour else text

    sub = document['submission']
    score = document['score']
    lines = [f"{document['assignment']['title']}",
             (_('submission: {source}  student: {student}  profile: {profile}  mode: {mode}') if sub.get('student') else
              _('submission: {source}  profile: {profile}  mode: {mode}')).format(
                 source=sub.get('source'), student=sub.get('student'), profile=document['profile'],
                 mode=document['mode']), '']
    words = {status: status_info(status)['word'] for status in COLOURS}
    word_width = max(len(w) for w in words.values())
    for check in document['checks']:
        status = check['status']
        info = status_info(status)
        head = (f"{paint(info['icon'], status)} {words.get(status, status):<{word_width}} "
                f"{check['points']:>5.1f}/{check['max_points']:<4g} {check['title']}")
        lines.append(head)
        if check['message']:
            body = textwrap.fill(check['message'], width=width - 8, initial_indent=' ' * 8,
                                 subsequent_indent=' ' * 8, break_long_words=False)
            lines.append(body)
    lines.append('')
    hard = score['hard_requirements']
    failed = [k for k, ok in hard.items() if not ok]
    skipped = [c['id'] for c in document['checks'] if c['status'] == 'skipped']
    if sub.get('rejected'):
        lines.append(paint(_('Rejected, no grade: {reason}').format(reason=sub['rejected']), 'fail'))
    elif skipped:
        lines.append(_('So far: {points} / {max_points} points of the checks that ran ({count} not run: {checks}); '
                       'no grade yet.').format(points=f"{score['points']:g}", max_points=f"{score['max_points']:g}",
                                               count=len(skipped), checks=', '.join(skipped)))
    else:
        lines.append(_('Total: {points} / {max_points} points, grade {grade}').format(
            points=f"{score['points']:g}", max_points=f"{score['max_points']:g}", grade=decimal(score['grade']))
            + (f' ({practice_label(document)})' if practice_label(document) else ''))
    if failed:
        lines.append(paint(_('Hard requirements not met: {checks}').format(checks=', '.join(failed)), 'fail'))
    elif hard and not skipped:
        lines.append(paint(_('All hard requirements met.'), 'pass'))
    elif hard:
        lines.append(_('The hard requirements checked so far are met; the others need the notebook run '
                       '(autograder check --full).'))
    timings = document.get('timings', {})
    if 'total' in timings:
        lines.append(_('Graded in {seconds}.').format(seconds=seconds(timings['total'])))
    return '\n'.join(lines)

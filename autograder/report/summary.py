"""A readable terminal summary of a results document (for `grade` and `check`)."""
from __future__ import annotations

import shutil
import textwrap
from typing import Any

__all__ = ['render_summary']

ICONS = {'pass': '✔', 'partial': '◐', 'fail': '✘', 'error': '!', 'skipped': '·'}
COLOURS = {'pass': '32', 'partial': '33', 'fail': '31', 'error': '31', 'skipped': '90'}


def render_summary(document: dict[str, Any], *, colour: bool = False) -> str:
    width = min(shutil.get_terminal_size((100, 20)).columns, 110)

    def paint(text: str, status: str) -> str:
        return f'\033[{COLOURS[status]}m{text}\033[0m' if colour else text

    sub = document['submission']
    score = document['score']
    lines = [f"{document['assignment']['title']}",
             f"submission: {sub.get('source')}" + (f"  student: {sub['student']}" if sub.get('student') else '')
             + f"  profile: {document['profile']}  mode: {document['mode']}", '']
    for check in document['checks']:
        status = check['status']
        head = (f"{paint(ICONS[status], status)} {status:<7} {check['points']:>5.1f}/{check['max_points']:<4g} "
                f"{check['title']}")
        lines.append(head)
        if check['message']:
            body = textwrap.fill(check['message'], width=width - 8, initial_indent=' ' * 8,
                                 subsequent_indent=' ' * 8, break_long_words=False)
            lines.append(body)
    lines.append('')
    hard = score['hard_requirements']
    failed = [k for k, ok in hard.items() if not ok]
    skipped = [c['id'] for c in document['checks'] if c['status'] == 'skipped']
    if skipped:
        lines.append(f"So far: {score['points']:g} / {score['max_points']:g} points of the checks that ran "
                     f"({len(skipped)} not run: {', '.join(skipped)}); no grade yet.")
    else:
        lines.append(f"Total: {score['points']:g} / {score['max_points']:g} points, grade {score['grade']:.1f}")
    if failed:
        lines.append(paint(f"Hard requirements not met: {', '.join(failed)}", 'fail'))
    elif hard and not skipped:
        lines.append(paint('All hard requirements met.', 'pass'))
    elif hard:
        lines.append('The hard requirements checked so far are met; the others need the notebook run '
                     '(autograder check --full).')
    timings = document.get('timings', {})
    if 'total' in timings:
        lines.append(f"Graded in {timings['total']:.1f} s.")
    return '\n'.join(lines)

"""Gradescope's results.json: one test per check, with the student-visible message."""
from __future__ import annotations

from typing import Any

from ..i18n import language
from .document import PASS
from .practice import practice_label

__all__ = ['gradescope_results']


def gradescope_results(document: dict[str, Any]) -> dict[str, Any]:
    tests = []
    for check in document['checks']:
        tests.append({
            'name': f"{check['id']}: {check['title']}",
            'score': check['points'], 'max_score': check['max_points'],
            'status': 'passed' if check['status'] == PASS else 'failed',
            'output': check['message'], 'visibility': 'visible',
        })
    score = document['score']
    with language(document.get('language')):
        practice = practice_label(document)
    rejected = (document.get('submission') or {}).get('rejected')
    output = (f'Rejected, no grade: {rejected}' if rejected else
              f"Grade {score['grade']} ({score['points']}/{score['max_points']} points)"
              if score['grade'] is not None else
              f"{score['points']}/{score['max_points']} points so far (incomplete: no grade)")
    return {'score': score['points'], 'execution_time': round(document['timings'].get('total', 0)),
            'output': f'{output} — {practice}' if practice else output,
            'visibility': 'visible', 'stdout_visibility': 'hidden', 'tests': tests}

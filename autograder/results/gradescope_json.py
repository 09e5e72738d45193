"""Gradescope's results.json: one test per check, with the student-visible message."""
from __future__ import annotations

from typing import Any

from .document import PASS

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
    return {'score': score['points'], 'execution_time': round(document['timings'].get('total', 0)),
            'output': (f"Grade {score['grade']} ({score['points']}/{score['max_points']} points)"
                       if score['grade'] is not None else
                       f"{score['points']}/{score['max_points']} points so far (incomplete: no grade)"),
            'visibility': 'visible', 'stdout_visibility': 'hidden', 'tests': tests}

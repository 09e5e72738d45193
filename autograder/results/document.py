"""The results of grading one submission: a list of checks, the score, and how it is stored.

The results JSON is the only input of the reports and the gradebook. A check carries
`details` the student may see and `hidden` details only the instructor sees (hidden probe
points, expected values, hidden-set labels); `review` holds the review flags, instructor-only
too; `student_view()` drops both.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import registry
from ..i18n import _, current
from ..settings import Settings
from .store import json_safe
from .student_text import clean_details, clean_notebook, clean_text

__all__ = ['Check', 'Results', 'student_view', 'rubric_of', 'SCHEMA', 'PASS', 'PARTIAL', 'FAIL', 'ERROR', 'SKIPPED', 'STATUSES']

SCHEMA = 'vlearning-autograder/results/1'
PASS, PARTIAL, FAIL, ERROR, SKIPPED = 'pass', 'partial', 'fail', 'error', 'skipped'
STATUSES = (PASS, PARTIAL, FAIL, ERROR, SKIPPED)


@dataclass
class Check:
    id: str
    title: str
    status: str
    points: float
    max_points: float
    message: str                      # plain language: what was expected, what was found
    details: dict[str, Any] = field(default_factory=dict)   # student-visible structure
    hidden: dict[str, Any] = field(default_factory=dict)    # instructor-only structure
    hard_requirement: bool = False

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f'unknown status {self.status!r}')
        self.points = round(max(0.0, min(self.points, self.max_points)), 2)

    @classmethod
    def scored(cls, id: str, title: str, fraction: float, max_points: float, message: str,
               **extra) -> 'Check':
        """A check worth `fraction` of its points: pass at 1, fail at 0, partial between."""
        fraction = max(0.0, min(1.0, fraction))
        status = PASS if fraction >= 1.0 else FAIL if fraction <= 0.0 else PARTIAL
        return cls(id, title, status, fraction * max_points, max_points, message, **extra)


def _grade(settings: Settings, points: float, max_points: float, hard_ok: bool) -> float:
    g = settings.grading
    grade = g.scale_min + (g.scale_max - g.scale_min) * (points / max_points if max_points else 0.0)
    if not hard_ok:
        grade = min(grade, g.cap_on_failed_requirement)
    return round(grade, 1)


@dataclass
class Results:
    settings: Settings
    profile: str
    submission: dict[str, Any]
    checks: list[Check] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    environment: dict[str, Any] = field(default_factory=dict)
    notebook: dict[str, Any] = field(default_factory=dict)
    started: str = ''
    finished: str = ''
    mode: str = 'grade'                # 'grade' (everything) or 'check' (static + probes)
    review: list[dict[str, Any]] = field(default_factory=list)   # review flags (review/flags.py): instructor-only

    def add(self, *checks: Check) -> None:
        """Every check enters here, and so passes the boundary of student-facing text
        (student_text): no grader path, traceback, raw record or memory address in its
        message or details; `hidden` (the instructor's) keeps them."""
        for check in checks:
            check.hard_requirement = check.id in self.settings.grading.hard_requirements
            check.message = clean_text(check.message)
            check.details = clean_details(check.details)
            self.checks.append(check)

    def complete(self) -> None:
        """Account for every check of the assignment: one never produced is an error."""
        present = {c.id for c in self.checks}
        profile = self.settings.part_b.profiles.get(self.profile)
        for check_id in registry.CHECK_IDS:
            if check_id not in present:
                self.add(Check(check_id, registry.title(check_id, self.settings, profile), ERROR, 0.0,
                               self.settings.points[check_id],
                               _('The grader did not get to this check (see the other messages).')))
        order = {check_id: i for i, check_id in enumerate(registry.CHECK_IDS)}
        self.checks.sort(key=lambda c: order.get(c.id, len(order)))

    def score(self) -> dict[str, Any]:
        counted = [c for c in self.checks if c.status != SKIPPED]
        points = round(sum(c.points for c in counted), 2)
        max_points = round(sum(c.max_points for c in counted), 2)
        # A hard requirement is met unless its check failed: 'partial' means met, with points
        # short of the maximum (e.g. an accuracy between the minimum and the target).
        hard = {c.id: c.status in (PASS, PARTIAL) for c in self.checks
                if c.hard_requirement and c.status != SKIPPED}
        hard_ok = all(hard.values())
        grade = _grade(self.settings, points, max_points, hard_ok)
        g = self.settings.grading
        complete = all(c.status != SKIPPED for c in self.checks)
        # A partial run (`autograder check`) has no grade and no verdict: what was not run
        # could still fail, and a "passed" from half the checks would mislead a student.
        return {'points': points, 'max_points': max_points, 'grade': grade if complete else None,
                'scale': {'min': g.scale_min, 'max': g.scale_max, 'pass_mark': g.pass_mark},
                'passed': (hard_ok and grade >= g.pass_mark) if complete else None,
                'hard_requirements': hard, 'complete': complete}

    def to_dict(self) -> dict[str, Any]:
        return {
            'schema': SCHEMA,
            'mode': self.mode,
            'language': current(),             # of the titles and messages; the reports render in it
            'assignment': {'id': self.settings.id, 'title': self.settings.title,
                           'course': self.settings.course, 'language': self.settings.language},
            'profile': self.profile,
            'submission': self.submission,
            'started': self.started, 'finished': self.finished,
            'timings': self.timings,
            'environment': self.environment,
            'score': self.score(),
            'checks': json_safe([asdict(c) for c in self.checks]),
            'rubric': rubric_of(self.settings),
            'notebook': json_safe(self.notebook),
            'review': json_safe(self.review),
        }


def rubric_of(settings: Settings) -> list[dict[str, Any]]:
    """The assignment's rubric (`[rubric]`): every criterion with its points in this edition
    (its weight's share of the check's points; 0 when optional) and where the course asks for it."""
    rows = []
    for check_id, criteria in settings.rubric.items():
        total = sum(c.weight for c in criteria.values() if c.required)
        for c in criteria.values():
            share = c.weight / total if c.required and total else 0.0
            rows.append({'check': check_id, 'criterion': c.key, 'weight': c.weight, 'required': c.required,
                         'points': round(share * settings.points.get(check_id, 0.0), 3),
                         'source': c.source, 'quote': c.quote})
    return rows


def student_view(document: dict[str, Any]) -> dict[str, Any]:
    """The results without anything hidden from students, and the notebook's tracebacks with
    only their own frames (student_text.clean_notebook)."""
    view = json.loads(json.dumps(document))
    for check in view['checks']:
        check['hidden'] = {}
    if isinstance(view.get('notebook'), dict):
        view['notebook'] = clean_notebook(view['notebook'])
    view.pop('review', None)            # suspicions are for the instructor to judge, with the student
    (view.get('environment') or {}).pop('secret', None)
    return view

"""Rendering the reports with jinja2 (autoescape on) and writing them atomically.

The student report is rendered from `results.student_view(document)` and nothing else:
whatever the templates do, the hidden parts of the checks are not in their input.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..results import student_view, write_text_atomic
from .views import report_context

__all__ = ['render_student', 'render_instructor', 'write_reports', 'environment']

HERE = Path(__file__).resolve().parent
# No network, ever: images are data: URIs, styles and scripts inline.
CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "base-uri 'none'; form-action 'none'")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / 'templates'), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals['css'] = Markup((HERE / 'static' / 'report.css').read_text(encoding='utf-8'))
    env.globals['csp'] = CSP
    return env


def _render(template: str, context: dict[str, Any]) -> str:
    return environment().get_template(template).render(**context)


def render_student(document: dict[str, Any]) -> str:
    """The student's report: everything but the checks' hidden parts."""
    return _render('report.html.j2', report_context(student_view(document), instructor=False))


def render_instructor(document: dict[str, Any]) -> str:
    """The instructor's report: the student's plus hidden details, environment and raw JSON."""
    return _render('report.html.j2', report_context(document, instructor=True))


def write_reports(document: dict[str, Any], out: Path) -> dict[str, Path]:
    """out/report.html (student view) and out/report-instructor.html; both rendered before
    either is written, so a rendering error leaves the old pair in place."""
    out = Path(out)
    pages = {'student': (out / 'report.html', render_student(document)),
             'instructor': (out / 'report-instructor.html', render_instructor(document))}
    for path, text in pages.values():
        write_text_atomic(path, text)
    return {name: path for name, (path, _) in pages.items()}

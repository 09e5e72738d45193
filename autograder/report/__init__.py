"""HTML feedback reports, rendered with jinja2 from a results document (never by re-running
anything): one self-contained page per submission in two views, and a class dashboard.

  write_reports(document, out)   -> {'student': out/report.html, 'instructor': out/report-instructor.html}
  render_student(document)       -> HTML without the checks' hidden parts (via results.student_view)
  render_instructor(document)    -> HTML with everything: hidden details, environment, raw JSON
  write_dashboard(documents, out, report_links) -> out/dashboard.html

Modules: formatting (numbers, statuses), plots (matplotlib Agg → PNG data URIs),
views (template context per check), render (jinja2, atomic writes), dashboard.
"""
from importlib import import_module
from typing import Any

__all__ = ['write_reports', 'render_student', 'render_instructor', 'write_dashboard', 'render_dashboard']

_HOMES = {'write_reports': 'render', 'render_student': 'render', 'render_instructor': 'render',
          'write_dashboard': 'dashboard', 'render_dashboard': 'dashboard'}


def __getattr__(name: str) -> Any:
    """Imported when asked for: the terminal summary (summary.py) needs neither jinja2 nor the plots."""
    if name in _HOMES:
        return getattr(import_module(f'.{_HOMES[name]}', __name__), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')

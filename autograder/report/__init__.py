"""HTML feedback reports, rendered with jinja2 from a results document (never by re-running
anything): one self-contained page per submission in two views, and a class dashboard.

  write_reports(document, out)   -> {'student': out/report.html, 'instructor': out/report-instructor.html}
  render_student(document)       -> HTML without the checks' hidden parts (via results.student_view)
  render_instructor(document)    -> HTML with everything: hidden details, environment, raw JSON
  write_dashboard(documents, out, report_links) -> out/dashboard.html

Modules: formatting (numbers, statuses), plots (matplotlib Agg → PNG data URIs),
views (template context per check), render (jinja2, atomic writes), dashboard.
"""
from .dashboard import render_dashboard, write_dashboard
from .render import render_instructor, render_student, write_reports

__all__ = ['write_reports', 'render_student', 'render_instructor', 'write_dashboard', 'render_dashboard']

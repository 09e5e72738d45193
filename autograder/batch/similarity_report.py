"""The similarity report of a batch, for the instructor: out/similarity.json and a self-contained
out/similarity.html (jinja2, autoescaped: student code and names are data, never markup).

The class dashboard links to it; the page links back to dashboard.html. It shows student code
side by side, so it belongs with the instructor's files, never with what students see. In the
course's language, like the dashboard it links to.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..i18n import N_, _, current, language
from ..results import write_json_atomic, write_text_atomic
from .similarity import COMMON_MIN

__all__ = ['write_similarity', 'render_similarity']

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
TEMPLATE = 'similarity.html.j2'      # in autograder/report/templates, with the reports' catalogue
NOTES = {'no module': N_('no module')}   # the notes `compare` is given that the page translates


def _decimal(value: float) -> str:
    """A score as the current language writes it: 0.95 / 0,95."""
    from babel.numbers import format_decimal
    return format_decimal(value, format='0.00', locale=current())


def render_similarity(report: dict[str, Any], *, title: str = '', course: str = '', dashboard: str | None = None,
                      rows: int = 50, lang: str | None = None) -> str:
    """The page in `lang` (else the current language); student names and code are escaped."""
    from ..report.render import environment
    view = dict(report)
    view['submissions'] = [{'reference_score': None, 'note': '', 'common_fingerprints': 0, 'damped': False, **entry}
                           for entry in report.get('submissions', [])]
    view['pairs'] = [{**pair, 'anchor': f'pair-{number}', 'regions': pair.get('regions') or []}
                     for number, pair in enumerate(report.get('pairs', []), 1)]
    parameters = {'common_limit': COMMON_MIN, 'families': len(view['submissions']), **report['parameters']}
    with language(lang or current()) as spoken:
        return environment().get_template(TEMPLATE).render(
            report=view, p=parameters, title=title or _('assignment'), course=course, dashboard=dashboard,
            rows=rows, csp=CSP, lang=spoken, decimal=_decimal,
            note=lambda text: _(NOTES[text]) if text in NOTES else text)


def write_similarity(report: dict[str, Any], out: Path, *, title: str = '', course: str = '',
                     dashboard: str | None = 'dashboard.html', lang: str | None = None) -> dict[str, Path]:
    out = Path(out)
    write_json_atomic(out / 'similarity.json', report)
    html = render_similarity(report, title=title, course=course, dashboard=dashboard, lang=lang)
    path = write_text_atomic(out / 'similarity.html', html)
    return {'json': out / 'similarity.json', 'html': path}

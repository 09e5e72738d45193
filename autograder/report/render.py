"""Rendering the reports with jinja2 (autoescape on) and writing them atomically.

The student report is rendered from `results.student_view(document)` and nothing else:
whatever the templates do, the hidden parts of the checks are not in their input. A report
speaks the language of its document's messages (`document['language']`; English for a
document that does not say), through jinja2's i18n extension and the grader's catalogue.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

import re

from .. import kit, registry
from ..i18n import _, language, ngettext
from ..results import student_view, write_text_atomic
from .summary import not_written
from .views import report_context

__all__ = ['render_student', 'render_instructor', 'render_self_check', 'write_reports', 'environment',
           'document_language', 'scope_css']

HERE = Path(__file__).resolve().parent
# No network, ever: images are data: URIs, styles and scripts inline.
CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "base-uri 'none'; form-action 'none'")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / 'templates'), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             extensions=['jinja2.ext.i18n'])
    env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=True)
    env.globals['css'] = Markup((HERE / 'static' / 'report.css').read_text(encoding='utf-8'))
    env.globals['csp'] = CSP
    return env


def _render(template: str, context: dict[str, Any]) -> str:
    return environment().get_template(template).render(**context)


def document_language(document: dict[str, Any]) -> str:
    return document.get('language') or 'en'


def render_student(document: dict[str, Any]) -> str:
    """The student's report: everything but the checks' hidden parts."""
    with language(document_language(document)) as lang:
        return _render('report.html.j2', {**report_context(student_view(document), instructor=False), 'lang': lang})


def render_instructor(document: dict[str, Any]) -> str:
    """The instructor's report: the student's plus hidden details, environment and raw JSON."""
    with language(document_language(document)) as lang:
        return _render('report.html.j2', {**report_context(document, instructor=True), 'lang': lang})


def write_reports(document: dict[str, Any], out: Path) -> dict[str, Path]:
    """out/report.html (student view) and out/report-instructor.html; both rendered before
    either is written, so a rendering error leaves the old pair in place."""
    out = Path(out)
    pages = {'student': (out / 'report.html', render_student(document)),
             'instructor': (out / 'report-instructor.html', render_instructor(document))}
    for path, text in pages.values():
        write_text_atomic(path, text)
    return {name: path for name, (path, _) in pages.items()}


def render_self_check(document: dict[str, Any], note: str = '') -> str:
    """The self-check's HTML for a notebook cell: the student report's hand-in and Deel A
    sections (the checks `autograder check` runs), self-contained, styled only inside itself."""
    with language(document_language(document)) as lang:
        context = report_context(student_view(document), instructor=False)
        steps = {registry.STATIC, registry.PART_A}
        groups = []
        for group in context['groups']:
            checks = [{**c, 'panels': [p for p in c['panels'] if p.get('kind') != 'pictures']}   # kept light:
                      for c in group['checks']                                            # the notebook
                      if c['id'] in registry.BY_ID and registry.BY_ID[c['id']].step in steps]  # stores it
            if checks:
                ids = {c['id'] for c in checks}
                todo = not_written([c for c in document.get('checks', []) if c.get('id') in ids])
                groups.append({**group, 'checks': checks, 'todo': todo})
        return _render('self_check.html.j2', {**context, 'groups': groups, 'note': note, 'lang': lang,
                                              'kit': kit.INSTALLED,
                                              'scoped_css': Markup(scope_css(environment().globals['css'],
                                                                             '.vlag-self-check'))})


def scope_css(css: str, scope: str) -> str:
    """Every rule of `css` limited to the elements under `scope` (page-level selectors — :root,
    html, body — become the scope itself), so a fragment's style cannot restyle its page."""
    css = re.sub(r'/\*.*?\*/', '', str(css), flags=re.S)
    out, i = [], 0
    while True:
        opening = css.find('{', i)
        if opening < 0:
            return ''.join(out)
        selector = css[i:opening].strip()
        if selector.startswith('@'):                  # @media: scope the rules inside
            depth, k = 1, opening + 1
            while depth and k < len(css):
                depth += {'{': 1, '}': -1}.get(css[k], 0)
                k += 1
            out.append(f'{selector} {{{scope_css(css[opening + 1:k - 1], scope)}}}\n')
            i = k
            continue
        closing = css.find('}', opening)
        out.append(', '.join(_scoped(s.strip(), scope) for s in selector.split(',')) + ' ' +
                   css[opening:closing + 1] + '\n')
        i = closing + 1


def _scoped(selector: str, scope: str) -> str:
    if selector in (':root', 'html', 'body'):
        return scope
    return f'{scope} {selector}'

"""The class dashboard for a batch of results documents: grade histogram, pass rate per
check, the most common failures, and a sortable, filterable table of students linking to
their reports, and a "to review" list of the submissions with review flags (their reasons and
evidence, review/flags.py). Nothing else hidden is shown (it reads only scores, statuses,
messages and the flags)."""
from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from ..i18n import _, language
from . import plots
from .formatting import date, decimal, number, percent, status_info
from ..results import write_text_atomic
from ..results.practice import is_practice, practice_label
from ..settings import load_settings
from .render import _render
from .views import anchor

__all__ = ['write_dashboard', 'render_dashboard', 'student_name', 'review_flags_of']

_NUMBERS = re.compile(r'[-+]?\d+(?:[.,]\d+)?(?:e[-+]?\d+)?%?')


def student_name(document: dict[str, Any]) -> str:
    """Who a document belongs to: the student, or else the submission's file name."""
    submission = document.get('submission') or {}
    return submission.get('student') or submission.get('source') or _('unknown submission')


def _link(document: dict[str, Any], links: dict[str, str]) -> str | None:
    submission = document.get('submission') or {}
    for key in (submission.get('student'), submission.get('source'), submission.get('checksum')):
        if key and key in links:
            return links[key]
    return None


def _scale(document: dict[str, Any]) -> tuple[float, float, float | None]:
    """The grade scale and pass mark: from the document when it says, else from the
    assignment's settings, else 1–10 without a pass mark."""
    grading = (document.get('score') or {}).get('scale')
    if isinstance(grading, dict) and 'min' in grading and 'max' in grading:
        return grading['min'], grading['max'], grading.get('pass_mark')
    try:
        g = load_settings((document.get('assignment') or {}).get('id', '')).grading
        return g.scale_min, g.scale_max, g.pass_mark
    except Exception:
        return 1.0, 10.0, None


def _pattern(message: str) -> str:
    """A message with its numbers blanked, so that failures of the same kind group together."""
    first = re.split(r'(?<=[.;])\s', message, maxsplit=1)[0]
    return _NUMBERS.sub('#', first)[:160]


def dashboard_context(documents: list[dict[str, Any]], report_links: dict[str, str]) -> dict[str, Any]:
    documents = [d for d in documents if isinstance(d, dict)]
    first = documents[0] if documents else {}
    low, high, pass_mark = _scale(first) if documents else (1.0, 10.0, None)
    grades = [d['score']['grade'] for d in documents if not (d.get('submission') or {}).get('rejected')
              and isinstance((d.get('score') or {}).get('grade'), (int, float))]
    passed = sum(bool((d.get('score') or {}).get('passed')) for d in documents)

    order, titles = [], {}
    per_check: dict[str, Counter] = defaultdict(Counter)
    failures: dict[tuple[str, str], dict[str, Any]] = {}
    rows, to_review = [], []
    rejected = []
    for document in documents:
        name = student_name(document)
        flags = review_flags_of(document)
        if flags:
            to_review.append({'name': name, 'link': _link(document, report_links), 'flags': flags})
        failed_checks = []
        reason = (document.get('submission') or {}).get('rejected')
        if reason:        # nothing was graded: no mistakes to count, no grade to show
            rejected.append({'name': name, 'reason': reason, 'link': _link(document, report_links)})
        for check in ([] if reason else document.get('checks') or []):
            check_id = check.get('id', '?')
            if check_id not in titles:
                order.append(check_id)
                titles[check_id] = check.get('title') or check_id
            status = check.get('status', 'error')
            per_check[check_id][status] += 1
            if status in ('fail', 'error'):
                failed_checks.append(check_id)
                key = (check_id, _pattern(check.get('message') or ''))
                entry = failures.setdefault(key, {'check': check_id, 'title': titles[check_id], 'count': 0,
                                                  'example': check.get('message') or '', 'students': []})
                if name not in entry['students']:        # students, not messages
                    entry['students'].append(name)
                    entry['count'] += 1
        score = document.get('score') or {}
        hard_failed = [k for k, ok in (score.get('hard_requirements') or {}).items() if not ok]
        grade = None if reason else score.get('grade')
        link = _link(document, report_links)
        rows.append({
            'name': name, 'source': (document.get('submission') or {}).get('source') or '',
            'link': link, 'grade': decimal(grade) if isinstance(grade, (int, float)) else '—',
            'grade_value': grade if isinstance(grade, (int, float)) else -1,
            'points': number(score.get('points')), 'points_value': score.get('points') or 0,
            'max_points': number(score.get('max_points')),
            'passed': bool(score.get('passed')),
            'verdict': status_info('pass' if score.get('passed') else 'fail'),
            'failed': [{'id': c, 'title': titles.get(c, c), 'href': f'{link}#{anchor(c)}' if link else None}
                       for c in failed_checks],
            'hard_failed': hard_failed, 'mode': document.get('mode', 'grade'),
            'date': date(document.get('finished')),
            'rejected': bool((document.get('submission') or {}).get('rejected')),
            'flags': [f['title'] for f in flags],
        })
    rows.sort(key=lambda r: r['name'].lower())

    rates = []
    for check_id in order:
        counts = per_check[check_id]
        counted = sum(v for k, v in counts.items() if k != 'skipped')
        total = sum(counts.values()) or 1
        rate = counts['pass'] / counted if counted else None
        rates.append({'id': check_id, 'title': titles[check_id],
                      'pass': counts['pass'], 'partial': counts['partial'],
                      'fail': counts['fail'] + counts['error'], 'skipped': counts['skipped'], 'counted': counted,
                      'rate': percent(rate, 0) if rate is not None else '—',
                      'widths': {s: round(100 * n / total, 2) for s, n in (
                          ('pass', counts['pass']), ('partial', counts['partial']),
                          ('fail', counts['fail'] + counts['error']), ('skipped', counts['skipped']))}})
    common = sorted(failures.values(), key=lambda f: (-f['count'], order.index(f['check'])))[:10]
    for entry in common:
        entry['students_text'] = (_('{students} and {count} more').format(
            students=', '.join(entry['students'][:6]), count=len(entry['students']) - 6)
            if len(entry['students']) > 6 else ', '.join(entry['students']))
    picture = plots.grade_histogram(grades, low, high, pass_mark)
    return {
        'assignment': first.get('assignment') or {},
        'n': len(documents), 'passed': passed,
        'pass_rate': percent(passed / len(documents), 0) if documents else '—',
        'mean': decimal(statistics.fmean(grades)) if grades else '—',
        'median': decimal(statistics.median(grades)) if grades else '—',
        'pass_mark': pass_mark, 'histogram': picture,
        'rates': rates, 'common': common, 'rows': rows,
        'check_ids': order, 'titles': titles,
        'rejected': sorted(rejected, key=lambda r: r['name'].lower()),
        'practice': practice_label(next((d for d in documents if is_practice(d)), None)),
        'practice_profiles': ', '.join(sorted({str(d.get('profile')) for d in documents if is_practice(d)})),
        'to_review': sorted(to_review, key=lambda r: r['name'].lower()),
    }


def review_flags_of(document: dict[str, Any]) -> list[dict[str, str]]:
    """The flags of a results document that ask for a look (not the informational notes)."""
    return [{'code': str(f.get('code', '')), 'title': str(f.get('title', '')), 'evidence': str(f.get('evidence', ''))}
            for f in document.get('review') or [] if isinstance(f, dict) and not f.get('note')]


def render_dashboard(documents: list[dict[str, Any]], report_links: dict[str, str] | None = None, *,
                     pages: dict[str, str] | None = None, lang: str | None = None) -> str:
    """`pages`: other pages of the batch to link from the header (title → relative link).
    `lang`: the page's language; default the language of the (first) results documents."""
    lang = lang or next((d.get('language') for d in documents if isinstance(d, dict) and d.get('language')), 'en')
    with language(lang) as lang:
        context = dashboard_context(documents, report_links or {})
        context['pages'] = [{'title': _(title), 'href': href} for title, href in (pages or {}).items()]
        context['lang'] = lang
        return _render('dashboard.html.j2', context)


def write_dashboard(documents: list[dict[str, Any]], out: Path, report_links: dict[str, str] | None = None, *,
                    pages: dict[str, str] | None = None, lang: str | None = None) -> Path:
    """out/dashboard.html for a batch. `report_links` maps a student (or a submission's file
    name, or its checksum) to the URL of their report, relative to `out`."""
    path = Path(out) / 'dashboard.html'
    write_text_atomic(path, render_dashboard(documents, report_links, pages=pages, lang=lang))
    return path

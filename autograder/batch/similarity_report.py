"""The similarity report of a batch, for the instructor: out/similarity.json and a self-contained
out/similarity.html (jinja2, autoescaped: student code and names are data, never markup).

The class dashboard links to it; the page links back to dashboard.html. It shows student code
side by side, so it belongs with the instructor's files, never with what students see.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from ..results import write_json_atomic, write_text_atomic

__all__ = ['write_similarity', 'render_similarity']

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

TEMPLATE = r'''<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="report-view" content="similarity">
<title>Similarity: {{ title }}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
header, main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.5rem; }
header { background: #fff; border-bottom: 1px solid #dde1e7; max-width: none; }
h1 { margin: .2rem 0; font-size: 1.5rem; } h2 { margin-top: 2rem; font-size: 1.2rem; }
.eyebrow { color: #5b6474; margin: 0; font-size: .85rem; text-transform: uppercase; letter-spacing: .04em; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid #e5e8ec; padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.suspicious td { background: #fff4e5; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: .8rem; background: #b3541e; color: #fff; }
.pair { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: .6rem 1rem 1rem; margin: 1rem 0; }
.sides { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: .8rem; margin-bottom: .6rem; }
.side { min-width: 0; }
.side h4 { margin: .4rem 0 .2rem; font-size: .9rem; color: #3b4456; }
pre { margin: 0; padding: .5rem; background: #f3f5f8; border: 1px solid #e2e6ec; overflow-x: auto; font-size: 12.5px; line-height: 1.35; max-height: 28rem; }
.note { color: #5b6474; font-size: .9rem; }
a { color: #1f5fbf; }
</style>
</head>
<body>
<header>
  <p class="eyebrow">{{ course }} · instructor only</p>
  <h1>Similarity of the modules: {{ title }}</h1>
  <p>{{ report.submissions | length }} submissions, {{ report.pairs_total }} pairs compared,
     <strong>{{ report.suspicious }}</strong> at or above {{ '%.0f' | format(100 * p.threshold) }} %.
     {% if dashboard %}<a href="{{ dashboard }}">Back to the class dashboard</a>{% endif %}</p>
</header>
<main>
<section aria-labelledby="method">
  <h2 id="method">How to read this</h2>
  <p class="note">Every module is reduced to its tokens with names, numbers, strings, comments,
  docstrings and layout normalised; the code of the student template is removed; what remains is
  fingerprinted by winnowing ({{ p.k }}-token k-grams, window {{ p.window }}: any common run of
  {{ p.guarantee_tokens }} or more normalised tokens is found, whatever the names, comments or order of the
  functions). <em>Score</em> is the share of the smaller module's fingerprints found in the other;
  <em>Jaccard</em> the share of all fingerprints of both. Independent solutions of this assignment
  share some short formulas; a high score is a reason to compare the regions below, not a verdict.</p>
</section>

<section aria-labelledby="pairs-title">
  <h2 id="pairs-title">Most similar pairs</h2>
  {% if report.pairs %}
  <table data-testid="pairs">
    <thead><tr><th>#</th><th>student</th><th>student</th><th>score</th><th>Jaccard</th><th>shared fingerprints</th><th></th></tr></thead>
    <tbody>
    {% for pair in report.pairs[:rows] %}
    <tr class="{{ 'suspicious' if pair.suspicious else '' }}">
      <td class="num">{{ loop.index }}</td><td>{{ pair.a }}</td><td>{{ pair.b }}</td>
      <td class="num">{{ '%.2f' | format(pair.score) }}</td><td class="num">{{ '%.2f' | format(pair.jaccard) }}</td>
      <td class="num">{{ pair.shared }} of {{ pair.a_fingerprints }} / {{ pair.b_fingerprints }}</td>
      <td>{% if pair.suspicious %}<a href="#{{ pair.anchor }}"><span class="badge">look</span></a>{% endif %}</td>
    </tr>
    {% endfor %}
    </tbody>
  </table>
  {% else %}<p>No two modules share fingerprints beyond the template.</p>{% endif %}
</section>

{% for pair in report.pairs[:rows] if pair.suspicious %}
<section class="pair" id="{{ pair.anchor }}" aria-label="{{ pair.a }} and {{ pair.b }}">
  <h3>{{ pair.a }} and {{ pair.b }}: score {{ '%.2f' | format(pair.score) }}</h3>
  {% for region in pair.regions %}
  <div class="sides">
    <div class="side"><h4>{{ pair.a }}, lines {{ region.a_lines[0] }}–{{ region.a_lines[1] }}</h4><pre>{{ region.a_text }}</pre></div>
    <div class="side"><h4>{{ pair.b }}, lines {{ region.b_lines[0] }}–{{ region.b_lines[1] }}</h4><pre>{{ region.b_text }}</pre></div>
  </div>
  {% endfor %}
</section>
{% endfor %}

<section aria-labelledby="subs-title">
  <h2 id="subs-title">Submissions</h2>
  <table data-testid="submissions">
    <thead><tr><th>student</th><th>fingerprints</th><th>tokens</th><th>similarity to the reference solution</th><th>note</th></tr></thead>
    <tbody>
    {% for s in report.submissions %}
    <tr><td>{{ s.name }}</td><td class="num">{{ s.fingerprints }}</td><td class="num">{{ s.tokens }}</td>
        <td class="num">{{ '%.2f' | format(s.reference_score) if s.reference_score is not none else '—' }}</td>
        <td>{{ s.note or '' }}</td></tr>
    {% endfor %}
    </tbody>
  </table>
</section>
</main>
</body>
</html>
'''


def render_similarity(report: dict[str, Any], *, title: str = '', course: str = '', dashboard: str | None = None,
                      rows: int = 50) -> str:
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    view = dict(report)
    view['submissions'] = [{'reference_score': None, 'note': '', **entry} for entry in report.get('submissions', [])]
    view['pairs'] = [{**pair, 'anchor': f'pair-{number}', 'regions': pair.get('regions') or []}
                     for number, pair in enumerate(report.get('pairs', []), 1)]
    return environment.from_string(TEMPLATE).render(
        report=view, p=report['parameters'], title=title or 'assignment', course=course, dashboard=dashboard,
        rows=rows, csp=CSP)


def write_similarity(report: dict[str, Any], out: Path, *, title: str = '', course: str = '',
                     dashboard: str | None = 'dashboard.html') -> dict[str, Path]:
    out = Path(out)
    write_json_atomic(out / 'similarity.json', report)
    html = render_similarity(report, title=title, course=course, dashboard=dashboard)
    path = write_text_atomic(out / 'similarity.html', html)
    return {'json': out / 'similarity.json', 'html': path}


"""The template context of one submission's report, prepared from a results document.

`report_context(document, instructor=...)` turns the document into plain data the
templates only lay out: formatted numbers, statuses with icon and word, bar positions,
pictures. Each check gets a list of *panels* (a table, a plot, a gauge, ...), built by the
panel function registered for its id, or by a generic one.

Only the instructor context reads a check's `hidden` part; the student report is rendered
from `results.student_view(document)`, in which it is empty anyway (see render.py).
"""
from __future__ import annotations

import json
import math
import traceback
from collections import Counter
from typing import Any, Callable

from .. import registry
from ..i18n import N_, _, join_and
from ..i18n import percent as share_of
from ..results.practice import practice_label
from . import plots
from .formatting import (date, decimal, exact, first_line, minutes, number, percent, seconds, status_info,
                         strip_ansi)

__all__ = ['report_context', 'PANELS', 'group_of', 'anchor']

LOG_LOW, LOG_HIGH = -12, 1          # relative-error bars: 1e-12 … 10 on a log scale


def group_of(check_id: str) -> str:
    """The report section of a check (registry.GROUPS); 'other' for one the registry lacks."""
    record = registry.BY_ID.get(check_id)
    return record.group if record else 'other'


def anchor(check_id: str) -> str:
    return 'check-' + ''.join(ch if ch.isalnum() else '-' for ch in check_id)


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return round(max(low, min(high, value)), 2)


def _json(value: Any) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False, default=str)


# --- the whole report -----------------------------------------------------------------------
def report_context(document: dict[str, Any], *, instructor: bool) -> dict[str, Any]:
    submission = document.get('submission') or {}
    score = document.get('score') or {}
    checks = [c for c in document.get('checks') or [] if isinstance(c, dict)]
    titles = {c['id']: c.get('title') or c['id'] for c in checks}
    check_views = [_check_view(c, document, instructor) for c in checks]
    groups = []
    for key, _title in (*registry.GROUPS, ('other', '')):
        members = [v for v in check_views if v['group'] == key]
        if members:
            groups.append({'key': key, 'title': registry.group_title(key), 'checks': members,
                           'points': round(sum(v['points_value'] for v in members), 2),
                           'max_points': round(sum(v['max_points_value'] for v in members
                                                   if v['status']['status'] != 'skipped'), 2)})
    hard = [{'id': k, 'title': titles.get(k, k), 'ok': bool(v), 'anchor': anchor(k),
             'status': status_info('pass' if v else 'fail')}
            for k, v in (score.get('hard_requirements') or {}).items()]
    counts = Counter(c.get('status') for c in checks)
    student = submission.get('student')
    context = {
        'instructor': instructor,
        'view_name': _('instructor view') if instructor else _('student view'),
        'assignment': document.get('assignment') or {},
        'student': student,
        'who': student or submission.get('source') or _('unknown submission'),
        'submission': {'source': submission.get('source'), 'attempt': submission.get('attempt'),
                       'checksum': (submission.get('checksum') or '')[:12],
                       'rejected': submission.get('rejected')},
        'date': date(document.get('finished') or document.get('started')),
        'mode': document.get('mode', 'grade'),
        'profile': document.get('profile'),
        'practice': practice_label(document),
        'score': {'points': number(score.get('points')), 'max_points': number(score.get('max_points')),
                  'grade': decimal(score['grade']) if _finite(score.get('grade')) and not submission.get('rejected')
                  else '—',
                  'passed': bool(score.get('passed')),
                  'verdict': status_info('pass' if score.get('passed') else
                                         'skipped' if score.get('passed') is None else 'fail'),
                  'complete': score.get('complete', True),
                  'percent': _clamp(100 * score['points'] / score['max_points'])
                  if _finite(score.get('points')) and score.get('max_points') else 0.0},
        'hard': hard,
        'hard_failed': [h for h in hard if not h['ok']],
        'counts': [{'n': counts[s], **status_info(s)} for s in ('pass', 'partial', 'fail', 'error', 'skipped')
                    if counts[s]],
        'groups': groups,
        'checks': check_views,
        'footer': {'grader': (document.get('environment') or {}).get('grader_version'),
                   'total_seconds': seconds((document.get('timings') or {}).get('total')),
                   'schema': document.get('schema')},
    }
    if instructor:
        context['instructor_sections'] = _instructor_sections(document)
        context['review'] = review_rows(document)
    return context


def review_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The review flags (review/flags.py) and how safe the hidden parts were, for the
    instructor: each with its evidence; `note` ones inform, the others ask for a look."""
    rows = [{'code': str(f.get('code', '')), 'title': str(f.get('title', '')), 'evidence': str(f.get('evidence', '')),
             'note': bool(f.get('note'))} for f in document.get('review') or [] if isinstance(f, dict)]
    secret = (document.get('environment') or {}).get('secret') or {}
    if secret.get('test_secret'):
        rows.append({'code': 'test-secret', 'title': _('Graded with the public test secret'), 'note': True,
                     'evidence': _('The hidden probe points and hidden test groups were derived from the test secret '
                                   'in the repository, so they are known to anyone: run `autograder secret init` '
                                   'and grade again for real grading.')})
    return rows


def _check_view(check: dict[str, Any], document: dict[str, Any], instructor: bool) -> dict[str, Any]:
    check_id = check.get('id', '?')
    status = check.get('status', 'error')
    view = {
        'id': check_id, 'title': check.get('title') or check_id, 'anchor': anchor(check_id),
        'group': group_of(check_id), 'status': status_info(status),
        'points': number(check.get('points')), 'max_points': number(check.get('max_points')),
        'points_value': check.get('points') or 0.0, 'max_points_value': check.get('max_points') or 0.0,
        'message': check.get('message') or '', 'hard_requirement': bool(check.get('hard_requirement')),
        'panels': [], 'hidden_panels': [], 'raw_details': None, 'raw_hidden': None,
    }
    if status == 'skipped':
        return view
    record = registry.BY_ID.get(check_id)
    builder = PANELS.get(record.panel if record else 'generic', _generic_panels)
    try:
        view['panels'] = _fix_panels(check) + [p for p in builder(check, document) if p] + _notes_panels(check)
    except Exception:                                # a surprising document: show what is there
        view['panels'] = [_keyvalues(check.get('details') or {}, _('Details'))]
        view['render_problem'] = traceback.format_exc(limit=3)
    if instructor:
        view['raw_details'] = _json(check.get('details') or {})
        hidden = check.get('hidden') or {}
        if hidden:
            view['raw_hidden'] = _json(hidden)
            try:
                view['hidden_panels'] = [p for p in HIDDEN_PANELS.get(record.panel if record else '',
                                                                      lambda c: [])(check) if p]
            except Exception:
                view['render_problem'] = traceback.format_exc(limit=3)
    else:
        view.pop('render_problem', None)
    return view


# --- generic panels ---------------------------------------------------------------------------
# How the details of a check are labelled in the report (a key not listed shows as itself).
DETAIL_LABELS = {
    'cells': N_('cells'), 'code_cells': N_('code cells'), 'nbformat': N_('notebook format version'),
    'cells_with_outputs': N_('cells with outputs'), 'locked_cells': N_('locked cells'),
    'expected': N_('expected'), 'name': N_('name'), 'points': N_('points'), 'repr': 'repr',
    'printed': N_('printed'), 'converged': N_('converged'), 'accuracy': N_('accuracy'),
    'reference_accuracy': N_('accuracy of the reference'), 'needed': N_('needed'), 'mse': N_('mean squared error'),
    'reference_mse': N_('mean squared error of the reference'), 'fit_seconds': N_('seconds in fit()'),
    'ran': N_('ran'), 'failing': N_('failing cells'), 'seconds': N_('seconds'), 'minutes': N_('minutes'),
    'normalised_minutes': N_('normalised minutes'), 'limit_minutes': N_('limit in minutes'),
    'speed_factor': N_('speed factor'), 'module_kind': N_('kind of module'), 'tolerance': N_('tolerance'),
    'alpha': 'α', 'used': N_('used'), 'rule': N_('rule'),
}


def _keyvalues(details: dict[str, Any], title: str | None = None) -> dict[str, Any] | None:
    """The scalar entries of `details` (and short lists of scalars) as a definition list."""
    items = []
    for key, value in details.items():
        if isinstance(value, (str, int, float, bool)) or value is None:
            shown = number(value) if not isinstance(value, str) else value
        elif isinstance(value, list) and len(value) <= 12 and all(
                isinstance(v, (str, int, float)) or v is None for v in value):
            shown = ', '.join(number(v) if not isinstance(v, str) else v for v in value) or '—'
        else:
            continue
        items.append({'key': _(DETAIL_LABELS[key]) if key in DETAIL_LABELS else key.replace('_', ' '), 'value': shown})
    return {'kind': 'keyvalues', 'title': title or _('Details'), 'facts': items} if items else None


# Details for the terminal summary's to-do list (checks/not_written.py, grade.py, probe_failures.py),
# not facts of the check: its message says them.
SUMMARY_ONLY = ('not_written', 'waiting', 'left_out', 'blocked_by', 'unreadable')


def _generic_panels(check: dict[str, Any], document: dict[str, Any]) -> list:
    details = check.get('details') or {}
    panels = []
    if isinstance(details.get('items'), list):
        panels.append(_items(details['items']))
    if isinstance(details.get('history'), dict):
        picture = plots.learning_curve(details['history'], None, None)
        if picture:
            panels.append({'kind': 'pictures', 'title': _('Training history of the probe'), 'pictures': [picture]})
    if isinstance(details.get('error'), dict) and details['error']:
        error = details['error']
        panels.append({'kind': 'error', 'title': _('The error'),
                       'text': f"{error.get('type', 'Error')}: {error.get('message', '')}",
                       'where': error.get('where') or []})
    panels.append(_keyvalues({k: v for k, v in details.items()
                              if k not in ('items', 'history', 'error', 'notes', 'fix', 'criteria')
                              and k not in SUMMARY_ONLY}))
    return panels


def _items(items: list[dict[str, Any]]) -> dict[str, Any]:
    rows = [{'what': i.get('what') or _('requirement {number}').format(number=n),
             'status': status_info('pass' if i.get('ok') else 'partial' if i.get('optional') else 'fail'),
             'problem': i.get('problem') or ''} for n, i in enumerate(items, start=1)]
    # an optional requirement (the assignment's rubric) that is not met is shown, not counted
    return {'kind': 'checklist', 'title': _('What was checked'), 'rows': rows,
            'failed': sum(not i.get('ok') and not i.get('optional') for i in items), 'total': len(items)}


# --- hand-in and static checks ------------------------------------------------------------------
def _submission_panels(check, document):
    details = check.get('details') or {}
    files = details.get('files') or {}
    panels = [{'kind': 'keyvalues', 'title': _('Files found'),
               'facts': [{'key': _(FILE_KINDS.get(k, k)), 'value': v or _('— missing')} for k, v in files.items()]}
              ] if files else []
    findings = details.get('findings') or []
    if findings:
        panels.append(_findings(findings))
    return panels


FILE_KINDS = {'module': N_('module'), 'notebook': N_('notebook'), 'html': 'html'}


def _fix_panels(check: dict[str, Any]) -> list[dict[str, Any]]:
    """Where in the student's files to change what, and what to change (checks/locate.py)."""
    rows = [f for f in (check.get('details') or {}).get('fix') or [] if isinstance(f, dict)]
    if not rows or check.get('status') == 'pass':
        return []
    return [{'kind': 'fixes', 'title': _('Where to fix'),
             'rows': [{'where': _('{file}, line {line}').format(file=f['file'], line=f['line'])
                       if f.get('file') and f.get('line') else '—',
                       'name': f.get('name') or '', 'problem': f.get('problem') or '', 'advice': f.get('advice') or ''}
                      for f in rows[:12]]}]


def _notes_panels(check: dict[str, Any]) -> list[dict[str, Any]]:
    """How the grader adapted to the module while checking it (no points lost)."""
    notes = [n for n in (check.get('details') or {}).get('notes') or [] if isinstance(n, str)]
    return [{'kind': 'findings', 'title': _('How the grader adapted to your module (no points lost)'),
             'rows': [{'level': 'info', 'word': _('info'), 'code': '', 'message': n} for n in notes]}] if notes else []


LEVELS = {'info': N_('info'), 'warning': N_('warning'), 'error': N_('error')}


def _findings(findings):
    return {'kind': 'findings', 'title': _('Notes on the hand-in'),
            'rows': [{'level': f.get('level', ''), 'word': _(LEVELS[f['level']]) if f.get('level') in LEVELS
                      else f.get('level', ''), 'code': f.get('code', ''), 'message': f.get('message', '')}
                     for f in findings]}


def _imports_panels(check, document):
    details = check.get('details') or {}
    rows = [{'where': v.get('where', ''), 'statement': v.get('statement', ''), 'module': v.get('module', ''),
             'note': ', '.join(n for n, flag in ((_('optional'), v.get('optional')), (_('dynamic'), v.get('dynamic')))
                               if flag)}
            for v in details.get('violations') or []]
    panels = []
    if rows:
        panels.append({'kind': 'violations', 'title': _('Imports outside the standard library'), 'rows': rows})
    if details.get('unreadable'):
        panels.append({'kind': 'lines', 'title': _('Files that could not be read'), 'lines': details['unreadable']})
    if details.get('files'):
        panels.append({'kind': 'keyvalues', 'title': _('Checked'),
                       'facts': [{'key': _('files'), 'value': ', '.join(details['files'])}]})
    return panels


# --- function tables ----------------------------------------------------------------------------
def _table_panels(check, document):
    kind = check['id'].split('.')[0]
    details = check.get('details') or {}
    rows = details.get('rows') or []
    arguments = details.get('arguments') or []
    target = details.get('target')
    table_rows, wrong_functions = [], set()
    for row in rows:
        cells = []
        for cell in row.get('cells') or []:
            ok = bool(cell.get('ok'))
            cells.append({'ok': ok, 'status': status_info('pass' if ok else 'fail'),
                          'found': '—' if cell.get('found') is None else number(cell.get('found')),
                          'expected': number(cell.get('expected')),
                          'raised': bool(cell.get('error')), 'zero_sign': bool(cell.get('zero_sign'))})
        bad = bool(row.get('missing')) or not all(c['ok'] for c in cells)
        if bad:
            wrong_functions.add(row.get('function'))
        table_rows.append({'function': row.get('function', '?'), 'missing': row.get('missing'),
                           'cells': cells, 'ok': not bad})
    headers = [number(a[0] if isinstance(a, list) else a) for a in arguments]
    if not headers and rows:
        headers = [number(c.get('argument')) for c in rows[0].get('cells') or []]
    caption = (_('Your function at the arguments of the notebook’s table (x); ✘ marks a value that differs '
                 'from the expected one, which is shown below it.') if kind == 'activations' else
               _('Your loss at ŷ (columns) with target y = {target}; ✘ marks a value that differs '
                 'from the expected one, which is shown below it.').format(target=number(target)))
    panels = [{'kind': 'function_table', 'title': _('Activation functions: your values and the expected ones')
               if kind == 'activations' else _('Loss functions: your values and the expected ones'),
               'caption': caption, 'headers': headers, 'rows': table_rows,
               'axis': 'x' if kind == 'activations' else 'ŷ',
               'wrong': len(wrong_functions), 'total': len(table_rows)}]
    curves = {c.get('function'): c for c in details.get('curves') or []}
    panels.append(_overlays(kind, [curves[f] for f in curves if f in wrong_functions],
                            _('Where your functions go wrong')))
    return panels


def _curve_is_wrong(curve):
    return any(curve.get('wrong') or []) or any(curve.get('errors') or [])


def _overlays(kind, curves, title):
    pictures = [p for p in (plots.function_overlay(c, kind) for c in curves) if p]
    if not pictures:
        return None
    return {'kind': 'pictures', 'title': title, 'pictures': pictures,
            'caption': _('Solid blue: the reference; dashed orange with dots: your function; ✕: your function '
                         'raised an exception there; ▲: a value off the scale or not a number.')}


def _hidden_functions_panels(check, document):
    kind = check['id'].split('.')[0]
    rows = []
    for row in (check.get('details') or {}).get('functions') or []:
        ok = bool(row.get('ok'))
        problem = row.get('problem') or ''
        if not ok and not problem:
            where = join_and(row.get('where') or [_('some points')])
            problem = (_('wrong for {where} (raises {errors})') if row.get('errors') else
                       _('wrong for {where}')).format(where=where, errors=', '.join(row.get('errors') or []))
        rows.append({'function': row.get('function', '?'), 'status': status_info('pass' if ok else 'fail'),
                     'problem': problem})
    panels = [{'kind': 'function_list', 'title': _('Each function at the hidden probe points'), 'rows': rows,
               'note': _('The hidden points themselves are not shown: they test the whole range of floats, '
                         'including the overflow range beyond ±709.78 and tiny arguments.')}]
    # Functions right in the table but wrong on the public plotting grid: their picture belongs here.
    table = next((c for c in document.get('checks') or [] if c.get('id') == f'{kind}.table'), None)
    if table:
        table_wrong = {r.get('function') for r in (table.get('details') or {}).get('rows') or []
                       if r.get('missing') or not all(c.get('ok') for c in r.get('cells') or [])}
        failing = {r['function'] for r in rows if r['status']['status'] != 'pass'}
        curves = [c for c in (table.get('details') or {}).get('curves') or []
                  if c.get('function') in failing - table_wrong and _curve_is_wrong(c)]
        panels.append(_overlays(kind, curves, _('Where your functions go wrong outside the table')))
    return panels


def _hidden_failures(check):
    hidden = check.get('hidden') or {}
    rows = []
    for failure in hidden.get('failures') or []:
        if failure.get('problem'):
            rows.append({'function': failure.get('function'), 'argument': '—', 'expected': '—',
                         'found': failure['problem']})
        for wrong in failure.get('wrong') or []:
            rows.append({'function': failure.get('function'), 'argument': exact(wrong.get('argument')),
                         'expected': exact(wrong.get('expected')), 'found': exact(wrong.get('found'))})
    points = hidden.get('points') or []
    return [{'kind': 'hidden_table', 'title': _('Hidden probe points where the functions fail'), 'rows': rows},
            {'kind': 'lines', 'title': _('All {count} hidden probe points').format(count=len(points)),
             'lines': [', '.join(exact(p) for p in points)]} if points else None]


# --- layers -----------------------------------------------------------------------------------
def _error_bar(error: float | None, tolerance: float) -> dict[str, Any]:
    """A bar for a relative error on a log scale from 1e-12 to 10, with the tolerance marked."""
    def position(value):
        return _clamp(100 * (math.log10(value) - LOG_LOW) / (LOG_HIGH - LOG_LOW)) if value > 0 else 0.0
    if error is None or not _finite(error):
        return {'width': 100.0, 'tolerance': position(tolerance), 'text': _('no value'), 'over': True}
    return {'width': max(1.0, position(error)), 'tolerance': position(tolerance),
            'text': f'{error:.2g}', 'over': error > tolerance}


def _gradient_panels(check, document):
    details = check.get('details') or {}
    tolerance = details.get('tolerance') or 0.03
    groups = []
    for layer, rows in (details.get('layers') or {}).items():
        shown = []
        for row in rows:
            ok = bool(row.get('ok'))
            shown.append({'label': row.get('label', layer), 'batch': row.get('batch'),
                          'status': status_info('pass' if ok else 'fail'),
                          'error': number(row.get('relative_error'), 3),
                          'bar': _error_bar(row.get('relative_error'), tolerance),
                          'message': row.get('message') or ''})
        failed = sum(r['status']['status'] != 'pass' for r in shown)
        groups.append({'layer': layer, 'rows': shown, 'status': status_info('pass' if not failed else 'fail'),
                       'failed': failed})
    return [{'kind': 'gradients', 'title': _('Relative error of gs against finite differences, per layer'),
             'tolerance': number(tolerance), 'groups': groups,
             'caption': _('Bars on a log scale from 10⁻¹² to 10; the line marks the tolerance {tolerance}. '
                          'A correct layer stays far left of it.').format(tolerance=number(tolerance))}]


def _update_panels(check, document):
    details = check.get('details') or {}
    tolerance = details.get('tolerance') or 0.03
    rows = [{'label': _('DenseLayer at position {position}').format(position=r.get('layer')), 'batch': r.get('batch'),
             'status': status_info('pass' if r.get('ok') else 'fail'),
             'error': number(r.get('relative_error'), 3), 'bar': _error_bar(r.get('relative_error'), tolerance),
             'message': ''} for r in details.get('rows') or []]
    return [{'kind': 'gradients', 'title': _('Relative error of the parameter change against −(α/N)·∂L/∂w'),
             'tolerance': number(tolerance),
             'groups': [{'layer': _('DenseLayer updates'), 'rows': rows, 'failed': sum(not r.get('ok') for r in
                                                                                    details.get('rows') or []),
                         'status': status_info('pass' if all(r.get('ok') for r in details.get('rows') or [])
                                               else 'fail')}],
             'caption': _('Bars on a log scale from 10⁻¹² to 10; the line marks the tolerance {tolerance}. A batch of '
                          '5 that is exactly 5× too large (α instead of α/N) shows a relative error of 0.8.').format(
                 tolerance=number(tolerance))}]


# --- notebook ---------------------------------------------------------------------------------
def _timeout_title(cell: dict[str, Any]) -> str:
    """A cell ended by a time limit: which limit, and whether its kernel had to be stopped."""
    if cell.get('limit') == 'run':
        title = _('stopped at the time limit of the whole run')
    elif cell.get('limit_seconds'):
        title = _('stopped at the cell time limit ({seconds} s)').format(seconds=f"{cell['limit_seconds']:.0f}")
    else:
        title = _('stopped at its time limit')
    if cell.get('killed'):
        title += ' ' + _('(it ignored the interrupt: the kernel was stopped)')
    return title


def _notebook_panels(check, document):
    notebook = document.get('notebook') or {}
    cells = notebook.get('cells') or []
    panels = []
    if notebook.get('error'):
        panels.append({'kind': 'error', 'title': _('The run could not start'), 'text': str(notebook['error']),
                       'where': []})
    if cells:
        rows, failures = [], []
        for cell in cells:
            status = cell.get('status', 'not-run')
            error = cell.get('error') or {}
            rows.append({'index': cell.get('index'), 'status': status_info(status),
                         'seconds': seconds(cell.get('seconds')) if cell.get('seconds') is not None else '—',
                         'source': first_line(cell.get('source') or ''), 'anchor': f"cell-{cell.get('index')}",
                         'failing': bool(error) or status in ('error', 'timeout', 'kernel-died')})
            if error or status in ('error', 'timeout', 'kernel-died'):
                failures.append({
                    'index': cell.get('index'), 'status': status_info(status), 'anchor': f"cell-{cell.get('index')}",
                    'title': (f"{error.get('ename')}: {error.get('evalue', '')}" if error.get('ename')
                              and status != 'timeout' else _timeout_title(cell) if status == 'timeout' else
                              {'kernel-died': _('the kernel died here')}.get(status, status)),
                    'source': cell.get('source') or '',
                    'truncated': cell.get('truncated_chars') or 0,
                    'traceback': strip_ansi('\n'.join(error.get('traceback') or [])),
                })
        ran = sum(c.get('status') in ('ok', 'error', 'timeout') for c in cells)
        summary = [_('{ran} of {cells} code cells ran in {time}').format(ran=ran, cells=len(cells),
                                                                          time=seconds(notebook.get('seconds')))]
        if any(c.get('status') == 'skipped' for c in cells):
            summary.append(_('cells marked skipped are empty or only run the self-check, which is for your own '
                             'computer: the grader leaves them out'))
        if notebook.get('timed_out'):
            summary.append(_('the whole run hit its time limit'))
        if notebook.get('kernel_died_in') is not None and any(c.get('killed') for c in cells):
            summary.append(_('the kernel was stopped in cell {index} at the time limit').format(
                index=notebook['kernel_died_in']))
        elif notebook.get('kernel_died_in') is not None:
            summary.append(_('the kernel died in cell {index}').format(index=notebook['kernel_died_in']))
        panels.append({'kind': 'cells', 'title': _('Every code cell of the run'), 'rows': rows,
                       'summary': '; '.join(summary) + '.',
                       'injected': notebook.get('injected_parameters') or {},
                       'profile': document.get('profile') or '?'})
        if failures:
            panels.append({'kind': 'tracebacks', 'title': _('Cells that failed'), 'failures': failures})
    return panels


# --- Deel B -----------------------------------------------------------------------------------
def _activation_panels(check, document):
    details = check.get('details') or {}
    layers = details.get('layers') or []
    used = set(details.get('used') or [])
    if not layers:
        return []
    rows = [{'class': l.get('class', '?'), 'name': l.get('name', ''), 'outputs': l.get('outputs'),
             'activation': l.get('activation') or '', 'module': l.get('activation_module') or '',
             'required': l.get('activation') in used} for l in layers]
    return [{'kind': 'layers', 'title': _('The layers of the trained model'), 'rows': rows,
             'used': sorted(used)}]


def _time_panels(check, document):
    d = check.get('details') or {}
    if not _finite(d.get('normalised_minutes')) or not _finite(d.get('limit_minutes')):
        return [_keyvalues(d)]
    value, limit = d['normalised_minutes'], d['limit_minutes']
    scale = max(limit * 1.25, value * 1.05) or 1.0
    gauge = {'width': _clamp(100 * value / scale), 'limit': _clamp(100 * limit / scale), 'over': value > limit,
             'value_text': minutes(value), 'limit_text': minutes(limit),
             'share': _('{share} of the limit').format(share=share_of(value / limit, 0)) if limit else ''}
    facts = [{'key': _('measured here'), 'value': minutes(d.get('minutes'))},
             {'key': _('speed factor'), 'value': _('{factor}× (this machine against the nominal one)').format(
                 factor=decimal(d['speed_factor'], 2)) if _finite(d.get('speed_factor')) else '—'},
             {'key': _('normalised'), 'value': minutes(value)},
             {'key': _('limit'), 'value': minutes(limit)}]
    if _finite(d.get('cpu_normalised_minutes')) and _finite(d.get('wall_normalised_minutes')):
        facts[2:2] = [{'key': _('CPU time here'), 'value': minutes(d.get('cpu_minutes'))},
                      {'key': _('normalised by wall-clock time'), 'value': minutes(d['wall_normalised_minutes'])},
                      {'key': _('normalised by CPU time'), 'value': minutes(d['cpu_normalised_minutes'])}]
    if d.get('locked_cells'):
        facts.append({'key': _('timed between cells'), 'value': join_and([str(c) for c in d['locked_cells']])})
    panels = [{'kind': 'gauge', 'title': _('Normalised training time against the limit'), 'gauge': gauge,
               'facts': facts}]
    if d.get('structure_problems'):
        panels.append({'kind': 'lines', 'title': _('Problems with the graded cells'), 'lines': d['structure_problems']})
    return panels


def _accuracy_panels(check, document):
    d = check.get('details') or {}
    if not _finite(d.get('accuracy')):
        if d.get('error'):
            error = d['error']
            return [{'kind': 'error', 'title': _('predict() failed'),
                     'text': f"{error.get('type', 'Error')}: {error.get('message', '')}", 'where': []}]
        return []
    accuracy, minimum, target = d['accuracy'], d.get('minimum') or 0.0, d.get('target') or 0.0
    gauge = {'width': _clamp(100 * accuracy), 'marks': [
        {'at': _clamp(100 * minimum), 'label': _('minimum {value}').format(value=percent(minimum, 0))},
        {'at': _clamp(100 * target), 'label': _('target {value}').format(value=percent(target, 0))}],
        'over': accuracy < minimum, 'value_text': percent(accuracy)}
    facts = [{'key': _('hidden test images'), 'value': number(d.get('instances'))},
             {'key': _('accuracy'), 'value': percent(accuracy)},
             {'key': _('minimum (required)'), 'value': percent(minimum, 0)},
             {'key': _('target (full points)'), 'value': percent(target, 0)}]
    own = d.get('own_test')
    if isinstance(own, dict) and _finite(own.get('accuracy')):
        facts.append({'key': _('your own test split'), 'value': _('{accuracy} of {count}').format(
            accuracy=percent(own['accuracy']), count=number(own.get('instances')))})
    panels = [{'kind': 'accuracy', 'title': _('Accuracy against the minimum and the target'), 'gauge': gauge,
               'facts': facts}]
    matrix = d.get('confusion') or []
    labels = d.get('labels') or ''
    if matrix:
        names = list(labels) if labels and len(labels) >= len(matrix) else [str(i) for i in range(len(matrix))]
        heat = []
        for y, row in enumerate(matrix):
            total = sum(row)
            heat.append({'label': names[y], 'total': total, 'accuracy': percent(row[y] / total, 0) if total else '—',
                         'cells': [{'count': count, 'share': round(count / total, 3) if total else 0.0,
                                    'diagonal': x == y, 'dark': bool(total) and count / total > 0.5,
                                    'title': _('true {true}, predicted {predicted}: {count}').format(
                                        true=names[y], predicted=names[x], count=count)}
                                   for x, count in enumerate(row)]})
        pairs = sorted(((count, names[y], names[x]) for y, row in enumerate(matrix) for x, count in enumerate(row)
                        if x != y and count), reverse=True)[:8]
        per_class = d.get('per_class') or []
        ranked = sorted(((v, names[i]) for i, v in enumerate(per_class) if _finite(v)))
        panels.append({'kind': 'confusion', 'title': _('Which classes are mixed up (hidden test set)'),
                       'labels': names, 'heat': heat,
                       'pairs': [{'count': c, 'true': t, 'predicted': p} for c, t, p in pairs],
                       'worst': [{'label': n, 'accuracy': percent(v, 0)} for v, n in ranked[:5]],
                       'best': [{'label': n, 'accuracy': percent(v, 0)} for v, n in reversed(ranked[-5:])]})
    return panels


def _overfitting_panels(check, document):
    d = check.get('details') or {}
    history = d.get('history')
    panels = []
    if isinstance(history, dict):
        picture = plots.learning_curve(history, d.get('validation_key'), d.get('best_epoch'))
        if picture:
            panels.append({'kind': 'pictures', 'title': _('Learning curve of the graded run'), 'pictures': [picture]})
    facts = []
    if _finite(d.get('last')):
        facts.append({'key': _('validation loss at the end'), 'value': number(d['last'], 4)})
    if _finite(d.get('minimum')):
        facts.append({'key': _('lowest validation loss'), 'value': _('{value} (epoch {epoch})').format(
            value=number(d['minimum'], 4), epoch=d.get('best_epoch'))})
        if _finite(d.get('last')) and d['minimum'] > 0:
            facts.append({'key': _('rise from the lowest'), 'value': f"{d['last'] / d['minimum'] - 1:+.1%}"})
    if _finite(d.get('train_last')):
        facts.append({'key': _('training loss at the end'), 'value': number(d['train_last'], 4)})
        if _finite(d.get('last')) and d['train_last'] > 0:
            facts.append({'key': _('validation ÷ training'), 'value': f"{decimal(d['last'] / d['train_last'], 2)}×"})
    verdict = status_info(check.get('status', 'fail'))
    panels.append({'kind': 'verdict', 'title': _('The overfitting verdict'), 'status': verdict,
                   'verdict': _('no visible overfitting') if check.get('status') == 'pass' else
                   _('overfitting or no curve to judge'),
                   'rule': d.get('rule') or '', 'facts': facts})
    return panels


def _accuracy_hidden(check):
    hidden = check.get('hidden') or {}
    predictions, labels = hidden.get('predictions') or [], hidden.get('labels') or []
    names = (check.get('details') or {}).get('labels') or ''      # the classes' characters

    def name(i):
        return names[i] if isinstance(i, int) and 0 <= i < len(names) else str(i)
    rows = [{'n': n, 'label': name(y), 'predicted': name(p), 'ok': p == y}
            for n, (p, y) in enumerate(zip(predictions, labels))]
    return [{'kind': 'predictions', 'title': _('Hidden-set predictions and labels ({count})').format(count=len(rows)),
             'rows': rows,
             'wrong': sum(not r['ok'] for r in rows)}]


# The ways of showing a check's details; each registry record names its panel.
PANELS: dict[str, Callable] = {
    'generic': _generic_panels,
    'submission': _submission_panels,
    'imports': _imports_panels,
    'table': _table_panels,
    'hidden_functions': _hidden_functions_panels,
    'gradients': _gradient_panels, 'updates': _update_panels,
    'notebook': _notebook_panels,
    'activation': _activation_panels, 'time': _time_panels,
    'accuracy': _accuracy_panels, 'overfitting': _overfitting_panels,
}
HIDDEN_PANELS: dict[str, Callable] = {      # the instructor's extra panels, by panel name
    'hidden_functions': _hidden_failures, 'accuracy': _accuracy_hidden,
}


# --- instructor-only sections ------------------------------------------------------------------
def _rubric_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every criterion of the assignment's rubric, with what this submission earned on it when
    its check says (details.criteria), its points and where the course asks for it."""
    checks = {c.get('id'): c for c in document.get('checks') or [] if isinstance(c, dict)}
    rows = []
    for row in document.get('rubric') or []:
        if not isinstance(row, dict):
            continue
        check = checks.get(row.get('check')) or {}
        judged = ((check.get('details') or {}).get('criteria') or {}).get(row.get('criterion')) or {}
        met = judged.get('met') if isinstance(judged, dict) else None
        if row.get('criterion') == 'whole' and check.get('max_points') and check.get('status') != 'skipped':
            met = (check.get('points') or 0.0) / check['max_points']
        rows.append({'check': row.get('check'), 'anchor': anchor(str(row.get('check'))),
                     'criterion': '' if row.get('criterion') == 'whole' else row.get('criterion'),
                     'points': number(row.get('points')),
                     'required': _('required') if row.get('required') else _('optional: a note worth 0'),
                     'met': '—' if met is None else f'{met:.0%}', 'source': row.get('source') or '',
                     'quote': row.get('quote') or ''})
    return rows


def _instructor_sections(document: dict[str, Any]) -> list[dict[str, Any]]:
    submission = document.get('submission') or {}
    environment = document.get('environment') or {}
    probes = environment.get('probes') or {}
    sections = [
        {'title': _('Submission'), 'facts': [{'key': k, 'value': number(v) if not isinstance(v, str) else v}
                                          for k, v in submission.items() if k != 'findings']},
    ]
    if submission.get('findings'):
        sections.append({'title': _('Intake findings'), 'findings': _findings(submission['findings'])['rows']})
    sections.append({'title': _('Environment'), 'facts': [
        {'key': k, 'value': number(v) if not isinstance(v, str) else v}
        for k, v in environment.items() if not isinstance(v, (dict, list))]})
    for key in ('calibration', 'data'):
        if isinstance(environment.get(key), dict):
            sections.append({'title': _('Environment: {part}').format(part=key), 'facts': [
                {'key': k, 'value': number(v) if not isinstance(v, str) else v}
                for k, v in environment[key].items()]})
    if probes:
        sections.append({'title': _('The probe run'), 'facts': [
            {'key': k, 'value': number(v) if not isinstance(v, str) else v}
            for k, v in probes.items() if k not in ('stderr_tail', 'problems')],
            'pre': [(_('problems'), '\n'.join(map(str, probes.get('problems') or [])) or '—'),
                    (_('stderr (tail)'), strip_ansi(probes.get('stderr_tail') or '') or '—')]})
    if environment.get('workspace_notes'):
        sections.append({'title': _('Workspace notes'),
                         'pre': [(_('notes'), '\n'.join(map(str, environment['workspace_notes'])))]})
    sections.append({'title': _('Timings'), 'facts': [{'key': k, 'value': seconds(v)}
                                                   for k, v in (document.get('timings') or {}).items()]})
    notebook = document.get('notebook') or {}
    if notebook:
        sections.append({'title': _('Notebook run (raw)'), 'raw': _json({k: v for k, v in notebook.items()
                                                                       if k != 'cells'})})
    rubric = _rubric_rows(document)
    if rubric:
        sections.append({'title': _('The rubric and its sources'), 'rubric': rubric})
    sections.append({'title': _('The whole results document (raw JSON)'), 'raw': _json(document), 'closed': True})
    return sections

"""Checks `activations.table`, `activations.hidden`, `losses.table`, `losses.hidden`.

The table check compares the student's functions at the notebook's own arguments (public:
the seed prints them); the hidden check at points the student never sees — the overflow
range (±709.78 is where math.exp overflows, and real submissions fail between 710 and
1000), tiny arguments and random points — so a hard-coded table or a function that only
fails in the overflow range is caught. The student view names the kind of point that
failed, never the point or the expected value.
"""
from __future__ import annotations

import math
from typing import Any

from vlearning import activation_functions, loss_functions

from ..probes.collect import ProbeRun
from ..probes.points import activation_grid, loss_grid
from ..probes.values import decode, describe, error_text, failure_reason
from ..results import Check
from ..settings import FunctionTable
from .compare import close, similar_names
from .context import Context

__all__ = ['activations_table', 'activations_hidden', 'losses_table', 'losses_hidden']


def activations_table(ctx: Context) -> Check:
    return _both(ctx, 'activations')[0]


def activations_hidden(ctx: Context) -> Check:
    return _both(ctx, 'activations')[1]


def losses_table(ctx: Context) -> Check:
    return _both(ctx, 'losses')[0]


def losses_hidden(ctx: Context) -> Check:
    return _both(ctx, 'losses')[1]


def _both(ctx: Context, kind: str) -> tuple[Check, Check]:
    """The table and the hidden check of `kind`, from one pass over the probes."""
    return ctx.once(f'function_tables:{kind}', lambda: _judge(ctx, kind))


def _kind_of_point(x: float) -> str:
    if abs(x) >= 700:
        return f'large {"negative" if x < 0 else "positive"} arguments (|x| ≥ 700, where math.exp overflows)'
    if 0 < abs(x) < 1e-6:
        return 'tiny arguments close to 0'
    return 'ordinary arguments'


def _cell(result: dict[str, Any], expected: float, table: FunctionTable) -> dict[str, Any]:
    """One comparison: ok, and a note on a wrong sign of zero."""
    if 'error' in result:
        return {'ok': False, 'found': error_text(result['error']), 'error': True}
    actual = decode(result.get('value'))
    cell = {'found': actual if actual is not None else describe(result.get('value'))}
    ok = close(actual, expected, rel=table.relative_tolerance, abs_=table.absolute_tolerance)
    if ok and actual == 0.0 and expected == 0.0 and math.copysign(1, actual) != math.copysign(1, expected):
        if table.zero_sign == 'strict':
            ok = False
        if table.zero_sign != 'ignore':
            cell['zero_sign'] = True
    cell['ok'] = ok
    return cell


def _missing_message(name: str, run: ProbeRun) -> str:
    names = run.result('names')
    public = names['value']['public'] if names and names.get('ok') else []
    hint = similar_names(name, public)
    return (f"the module has no function '{name}'" +
            (f" (did you mean {', '.join(repr(h) for h in hint)}?)" if hint else ''))


def _judge(ctx: Context, kind: str) -> tuple[Check, Check]:
    """Two checks for `kind` ('activations' or 'losses')."""
    table, expected, run = getattr(ctx.settings, kind), ctx.expected, ctx.probes
    prefix = 'activation' if kind == 'activations' else 'loss'
    names = run.result('names')
    found = names['value']['names'] if names and names.get('ok') else {}
    graded = list(table.tabled) + [n for n in table.also_graded if found.get(n, {}).get('found')]

    rows, hidden_rows, hidden_secret, curves = [], [], [], []
    table_cells = table_ok = 0
    hidden_pass = 0
    zero_notes = []
    for name in graded:
        record = run.result(f'{prefix}:{name}')
        exp = expected[kind][name]
        n_table = len(exp['table']['values'])
        if record is None or not record.get('ok'):
            reason = (_missing_message(name, run) if not found.get(name, {}).get('found')
                      else failure_reason(record))
            rows.append({'function': name, 'missing': reason,
                         'cells': [{'argument': a, 'expected': e, 'ok': False, 'found': None}
                                   for a, e in zip(exp['table']['arguments'], exp['table']['values'])]})
            table_cells += n_table
            hidden_rows.append({'function': name, 'ok': False, 'problem': reason})
            hidden_secret.append({'function': name, 'problem': reason})
            continue
        values = record['value']['values']
        n_hidden = len(exp['hidden']['values'])
        curves.append(_curve(kind, name, table, values[n_table + n_hidden:]))
        cells = []
        for arg, e, r in zip(exp['table']['arguments'], exp['table']['values'], values[:n_table]):
            cell = _cell(r, e, table)
            cells.append({'argument': arg, 'expected': e, **cell})
            table_cells += 1
            table_ok += cell['ok']
            if cell.get('zero_sign'):
                zero_notes.append(f'{name}({_fmt(arg)}) = {_fmt(cell["found"])}, the table shows {_fmt(e)}')
        rows.append({'function': name, 'cells': cells})
        wrong = []
        for arg, e, r in zip(exp['hidden']['arguments'], exp['hidden']['values'], values[n_table:n_table + n_hidden]):
            cell = _cell(r, e, table)
            if not cell['ok']:
                wrong.append({'argument': arg, 'expected': e, 'found': cell['found']})
        if not wrong:
            hidden_pass += 1
            hidden_rows.append({'function': name, 'ok': True})
        else:
            every = len(wrong) == n_hidden
            kinds = ['every hidden point'] if every else sorted({
                _kind_of_point(w['argument'] if isinstance(w['argument'], float) else w['argument'][0])
                for w in wrong})
            errors = sorted({w['found'].split(':')[0] for w in wrong
                             if isinstance(w['found'], str) and ':' in w['found']})
            hidden_rows.append({'function': name, 'ok': False, 'where': kinds, 'errors': errors})
            hidden_secret.append({'function': name, 'wrong': wrong})

    wrong_rows = [r for r in rows if 'missing' in r or not all(c['ok'] for c in r['cells'])]
    if not wrong_rows:
        message = f'All {len(rows)} functions give the expected values at {", ".join(map(_fmt, table.arguments))}.'
    else:
        parts = [f"{r['function']}: {r['missing']}" if 'missing' in r else
                 f"{r['function']}: wrong at " + ', '.join(
                     f"{_fmt(c['argument'])} (expected {_fmt(c['expected'])}, found {_fmt(c['found'])})"
                     for c in r['cells'] if not c['ok']) for r in wrong_rows]
        message = 'Not as expected — ' + '; '.join(parts) + '.'
    if zero_notes:
        message += ' Note: the sign of zero differs from the table (' + '; '.join(zero_notes) + ').'
    table_check = ctx.scored(f'{kind}.table', table_ok / table_cells if table_cells else 0.0, message,
                             details={'arguments': table.arguments, 'target': table.target, 'rows': rows,
                                      'curves': curves})

    failing = [r for r in hidden_rows if not r['ok']]
    if not failing:
        message = f'All {len(hidden_rows)} functions are right at every hidden probe point.'
    else:
        parts = []
        for r in failing:
            if 'problem' in r:
                parts.append(f"{r['function']}: {r['problem']}")
            else:
                errs = f" (raises {', '.join(r['errors'])})" if r['errors'] else ''
                where = 'at every hidden point' if r['where'] == ['every hidden point'] else \
                        f"for {' and '.join(r['where'])}"
                parts.append(f"{r['function']} is wrong {where}{errs}")
        overflow = any('exp overflows' in w for r in failing for w in r.get('where', []))
        advice = (' Make them correct and finite for every float, e.g. by choosing, per sign of the '
                  'argument, a formula that only takes exp of a non-positive number.' if overflow else
                  ' Check them against their formulas for ŷ between 0.01 and 0.99 and targets 0 and 1.'
                  if kind == 'losses' else '')
        message = 'Some functions fail at points outside the table — ' + '; '.join(parts) + '.' + advice
    hidden_check = ctx.scored(f'{kind}.hidden', hidden_pass / len(hidden_rows) if hidden_rows else 0.0, message,
                              details={'functions': hidden_rows},
                              hidden={'failures': hidden_secret,
                                      'points': expected[kind][graded[0]]['hidden']['arguments'] if graded else []})
    return table_check, hidden_check


def _curve(kind: str, name: str, table: FunctionTable, results: list[dict[str, Any]]) -> dict[str, Any]:
    """The student's function and the reference's on the public plotting grid: for the
    report's overlay of a wrong function (None where the student's raised or is no number)."""
    if kind == 'activations':
        grid, reference = activation_grid(), getattr(activation_functions, name, None)
        ref = [reference(x) for x in grid] if reference else None
    else:
        grid, reference = loss_grid(), getattr(loss_functions, name, None)
        ref = [reference(x, table.target) for x in grid] if reference else None
    student = [decode(r.get('value')) if 'value' in r else None for r in results]
    errors = [error_text(r['error']).split(':')[0] if 'error' in r else None for r in results]
    wrong = [not close(s, e, rel=table.relative_tolerance, abs_=table.absolute_tolerance) if ref else None
             for s, e in zip(student, ref or [None] * len(grid))]
    return {'function': name, 'x': grid, 'student': student, 'reference': ref, 'errors': errors,
            'wrong': wrong, 'target': table.target}


def _fmt(value: Any) -> str:
    if isinstance(value, list):
        return '(' + ', '.join(_fmt(v) for v in value) + ')'
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        if value == int(value) and abs(value) < 1e16:
            return str(int(value)) if value != 0 or math.copysign(1, value) > 0 else '-0'
        return f'{value:.6g}'
    return str(value)

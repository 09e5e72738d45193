"""Checks `activations.table`, `activations.hidden`, `losses.table`, `losses.hidden`.

The table check compares the student's functions at the notebook's own arguments (public:
the seed prints them); the hidden check at points the student never sees — the overflow
range (±709.78 is where math.exp overflows, and real submissions fail between 710 and
1000), tiny arguments and random points — so a hard-coded table or a function that only
fails in the overflow range is caught. The student view names the kind of point that
failed, never the point or the expected value.

A function the module lacks (under any alias or spelling) costs points once: in the table
check, which names it. The hidden check judges the functions that exist and only lists it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .. import kit
from ..probes.collect import ProbeRun
from ..probes.points import activation_grid, loss_grid
from ..probes.values import decode, describe, error_text, failure_reason
from ..i18n import N_, _, join_and
from ..results import Check
from ..settings import FunctionTable
from .compare import close, similar_names
from .context import Context
from .locate import Fix, with_fixes

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


# The course's formulas, for the advice on a wrong function (x for the activations' argument).
FORMULAS = {
    'linear': 'φ(x) = x',
    'tanh': 'φ(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)',
    'softsign': 'φ(x) = x / (1 + |x|)',
    'sigmoid': 'φ(x) = 1 / (1 + e⁻ˣ)',
    'softplus': 'φ(x) = ln(1 + eˣ)',
    'relu': 'φ(x) = max(0, x)',
    'swish': 'φ(x) = x·σ(βx)',
    'sign': N_('φ(x) = −1, 0 or +1 by the sign of x'),
    'elish': N_('φ(x) = x·σ(x) for x ≥ 0 and (eˣ − 1)·σ(x) for x < 0'),
    'hardelish': N_('φ(x) = x·h(x) for x ≥ 0 and (eˣ − 1)·h(x) for x < 0, with h(x) = max(0, min(1, (x + 1)/2))'),
    'nipuna': 'φ(x) = max(x·σ(βx), x)',
    'mean_squared_error': 'L(ŷ; y) = (ŷ − y)²',
    'mean_absolute_error': 'L(ŷ; y) = |ŷ − y|',
    'categorical_crossentropy': 'L(ŷ; y) = −y·ln(ŷ)',
    'binary_crossentropy': 'L(ŷ; y) = −y·ln(ŷ) − (1 − y)·ln(1 − ŷ)',
    'hinge': 'L(ŷ; y) = max(1 − ŷ·y, 0)',
}
LARGE = 700


def _kind_of_point(x: float) -> str:
    if abs(x) >= LARGE:
        return (_('large negative arguments (|x| ≥ 700, where math.exp overflows)') if x < 0 else
                _('large positive arguments (|x| ≥ 700, where math.exp overflows)'))
    if 0 < abs(x) < 1e-6:
        return _('tiny arguments close to 0')
    return _('ordinary arguments')


def _advice(name: str, errors: set[str], overflow_range: bool) -> str:
    """What to change in a wrong function, by what went wrong."""
    formula = _(FORMULAS[name]) if name in FORMULAS else ''
    if 'NotImplementedError' in errors:
        return (_('not written yet: replace `raise NotImplementedError` by code that computes {formula}').format(
            formula=formula) if formula else _('not written yet: replace `raise NotImplementedError` by your code'))
    if 'OverflowError' in errors or (overflow_range and not errors):
        return (_('choose, per sign of x, the form of {formula} that only takes exp of a non-positive number '
                  '(or math.tanh, math.log1p, math.expm1)').format(formula=formula) if formula else
                _('choose, per sign of x, a form that only takes exp of a non-positive number'))
    if errors & {'ValueError', 'ZeroDivisionError'}:
        return _('guard the logarithm and the division: use pseudo_log (ln continued linearly below ε) '
                 'instead of math.log')
    if 'Timeout' in errors:
        return _('it did not answer within the time limit: look for a loop that does not end')
    if errors:
        return (_('make it compute {formula} without raising').format(formula=formula) if formula else
                _('make it return a number without raising'))
    return _('compare it with {formula}').format(formula=formula) if formula else ''


def _cell(result: dict[str, Any], expected: float, table: FunctionTable) -> dict[str, Any]:
    """One comparison: ok, and a note on a wrong sign of zero."""
    if 'error' in result:
        error = result['error'] if isinstance(result['error'], dict) else {}
        return {'ok': False, 'found': error_text(error), 'error': True, 'error_type': str(error.get('type', '')),
                'raised_at': error}
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
    if hint:
        return _("the module has no function '{name}' (did you mean {suggestions}?)").format(
            name=name, suggestions=', '.join(repr(h) for h in hint))
    return _("the module has no function '{name}'").format(name=name)


@dataclass
class _Tally:
    """What one pass over the functions of a kind finds, for its two checks."""
    rows: list = field(default_factory=list)              # the table check's rows
    hidden_rows: list = field(default_factory=list)       # the hidden check's rows (student-visible)
    hidden_secret: list = field(default_factory=list)     # the hidden points that failed (instructor)
    curves: list = field(default_factory=list)
    table_fixes: list = field(default_factory=list)
    hidden_fixes: list = field(default_factory=list)
    zero_notes: list = field(default_factory=list)
    missing: list = field(default_factory=list)           # functions the module lacks (the table's charge)
    table_cells: int = 0
    table_ok: int = 0
    hidden_pass: int = 0


def _judge(ctx: Context, kind: str) -> tuple[Check, Check]:
    """Two checks for `kind` ('activations' or 'losses')."""
    table, expected, run = getattr(ctx.settings, kind), ctx.expected, ctx.probes
    prefix = 'activation' if kind == 'activations' else 'loss'
    names = run.result('names')
    found = names['value']['names'] if names and names.get('ok') else {}
    graded = list(table.tabled) + [n for n in table.also_graded if found.get(n, {}).get('found')]
    tally = _Tally()
    for name in graded:
        record, exp = run.result(f'{prefix}:{name}'), expected[kind][name]
        if record is None or not record.get('ok'):
            _unusable(ctx, tally, name, exp, record, missing=not found.get(name, {}).get('found'))
            continue
        values = record['value']['values']
        n_table, n_hidden = len(exp['table']['values']), len(exp['hidden']['values'])
        tally.curves.append(_curve(kind, name, table, values[n_table + n_hidden:]))
        _table_row(ctx, tally, table, name, exp, values[:n_table])
        _hidden_row(ctx, tally, table, name, exp, values[n_table:n_table + n_hidden])

    table_check = ctx.scored(f'{kind}.table', tally.table_ok / tally.table_cells if tally.table_cells else 0.0,
                             with_fixes(_table_message(tally, table), tally.table_fixes),
                             details={'arguments': table.arguments, 'target': table.target, 'rows': tally.rows,
                                      'curves': tally.curves, 'fix': [f.as_dict() for f in tally.table_fixes]})
    hidden_rows = tally.hidden_rows
    hidden_message = _hidden_message(hidden_rows)
    if tally.missing:
        hidden_message = _('{message} Not judged here: {functions} (missing, charged in the table).').format(
            message=hidden_message, functions=join_and(tally.missing))
    hidden_check = ctx.scored(f'{kind}.hidden', tally.hidden_pass / len(hidden_rows) if hidden_rows else 0.0,
                              with_fixes(hidden_message, tally.hidden_fixes),
                              details={'functions': hidden_rows, 'missing': tally.missing,
                                       'fix': [f.as_dict() for f in tally.hidden_fixes]},
                              hidden={'failures': tally.hidden_secret,
                                      'points': expected[kind][graded[0]]['hidden']['arguments'] if graded else []})
    return table_check, hidden_check


def _unusable(ctx: Context, tally: _Tally, name: str, exp: dict[str, Any], record: dict[str, Any] | None,
              *, missing: bool) -> None:
    """A function the module lacks, or whose probe failed as a whole."""
    reason = _missing_message(name, ctx.probes) if missing else failure_reason(record)
    tally.rows.append({'function': name, 'missing': reason,
                       'cells': [{'argument': a, 'expected': e, 'ok': False, 'found': None}
                                 for a, e in zip(exp['table']['arguments'], exp['table']['values'])]})
    tally.table_cells += len(exp['table']['values'])
    if missing:             # charged once, in the table that names it
        tally.missing.append(name)
        return
    tally.hidden_rows.append({'function': name, 'ok': False, 'problem': reason})
    tally.hidden_secret.append({'function': name, 'problem': reason})
    fix = Fix(ctx.place((record or {}).get('error'), function=name), '',
              _('make it take the arguments the notebook gives it'))
    tally.table_fixes.append(fix)
    tally.hidden_fixes.append(fix)


def _table_row(ctx: Context, tally: _Tally, table: FunctionTable, name: str, exp: dict[str, Any],
               results: list[dict[str, Any]]) -> None:
    cells, raised = [], []
    for arg, e, r in zip(exp['table']['arguments'], exp['table']['values'], results):
        cell = _cell(r, e, table)
        if cell.get('raised_at'):
            raised.append(cell['raised_at'])
        cells.append({'argument': arg, 'expected': e, **{k: v for k, v in cell.items() if k != 'raised_at'}})
        tally.table_cells += 1
        tally.table_ok += cell['ok']
        if cell.get('zero_sign'):
            tally.zero_notes.append(_('{function}({argument}) = {found}, the table shows {expected}').format(
                function=name, argument=_fmt(arg), found=_fmt(cell['found']), expected=_fmt(e)))
    tally.rows.append({'function': name, 'cells': cells})
    if not all(c['ok'] for c in cells):
        wrong_at = [c['argument'] for c in cells if not c['ok']]
        errors = {c['error_type'] for c in cells if not c['ok'] and c.get('error_type')}
        tally.table_fixes.append(Fix(ctx.place(raised[0] if raised else None, function=name), '',
                                     _advice(name, errors, any(abs(_first(a)) >= LARGE for a in wrong_at))))


def _hidden_row(ctx: Context, tally: _Tally, table: FunctionTable, name: str, exp: dict[str, Any],
                results: list[dict[str, Any]]) -> None:
    wrong, raised, errors = [], None, set()
    for arg, e, r in zip(exp['hidden']['arguments'], exp['hidden']['values'], results):
        cell = _cell(r, e, table)
        if not cell['ok']:
            wrong.append({'argument': arg, 'expected': e, 'found': cell['found']})
            raised = raised or cell.get('raised_at')
            errors |= {cell['error_type']} if cell.get('error_type') else set()
    if not wrong:
        tally.hidden_pass += 1
        tally.hidden_rows.append({'function': name, 'ok': True})
        return
    every = len(wrong) == len(results)
    kinds = [_('every hidden point')] if every else sorted({_kind_of_point(_first(w['argument'])) for w in wrong})
    tally.hidden_rows.append({'function': name, 'ok': False, 'where': kinds, 'every': every,
                              'errors': sorted(errors)})
    tally.hidden_secret.append({'function': name, 'wrong': wrong})
    tally.hidden_fixes.append(Fix(ctx.place(raised, function=name), '',
                                  _advice(name, errors, any(abs(_first(w['argument'])) >= LARGE for w in wrong))))


def _table_message(tally: _Tally, table: FunctionTable) -> str:
    wrong_rows = [r for r in tally.rows if 'missing' in r or not all(c['ok'] for c in r['cells'])]
    if not wrong_rows:
        message = _('All {count} functions give the expected values at {arguments}.').format(
            count=len(tally.rows), arguments=', '.join(map(_fmt, table.arguments)))
    else:
        message = _('Not as expected — {problems}.').format(problems='; '.join(_row_problem(r) for r in wrong_rows))
    if tally.zero_notes:
        message = _('{message} Note: the sign of zero differs from the table ({notes}).').format(
            message=message, notes='; '.join(tally.zero_notes))
    return message


def _hidden_message(hidden_rows: list[dict[str, Any]]) -> str:
    failing = [r for r in hidden_rows if not r['ok']]
    if not failing:
        return _('All {count} functions are right at every hidden probe point.').format(count=len(hidden_rows))
    parts = []
    for r in failing:
        if 'problem' in r:
            parts.append(_('{function}: {problem}').format(function=r['function'], problem=r['problem']))
        elif r['every']:
            parts.append((_('{function} is wrong at every hidden point (raises {errors})') if r['errors'] else
                          _('{function} is wrong at every hidden point')).format(
                function=r['function'], errors=', '.join(r['errors'])))
        else:
            parts.append((_('{function} is wrong for {where} (raises {errors})') if r['errors'] else
                          _('{function} is wrong for {where}')).format(
                function=r['function'], where=join_and(r['where']), errors=', '.join(r['errors'])))
    return _('Some functions fail at points outside the table — {problems}.').format(problems='; '.join(parts))


def _row_problem(row: dict[str, Any]) -> str:
    """What is wrong with one function of the table: its wrong cells, or the one error it
    raises at every argument."""
    if 'missing' in row:
        return _('{function}: {problem}').format(function=row['function'], problem=row['missing'])
    cells = row['cells']
    raised = {c['found'] for c in cells if c.get('error')}
    if len(cells) > 1 and all(c.get('error') for c in cells) and len(raised) == 1:
        return _('{function}: raises {error} at every argument of the table').format(
            function=row['function'], error=raised.pop())
    return _('{function}: wrong at {cells}').format(function=row['function'], cells=', '.join(
        _('{argument} (expected {expected}, found {found})').format(
            argument=_fmt(c['argument']), expected=_fmt(c['expected']), found=_fmt(c['found']))
        for c in cells if not c['ok']))


def _first(argument: Any) -> float:
    """The argument of a point (a loss's point is (ŷ, y))."""
    value = argument[0] if isinstance(argument, (list, tuple)) else argument
    return float(value) if isinstance(value, (int, float)) else 0.0


def _curve(kind: str, name: str, table: FunctionTable, results: list[dict[str, Any]]) -> dict[str, Any]:
    """The student's function and the reference's on the public plotting grid: for the
    report's overlay of a wrong function (None where the student's raised or is no number;
    no reference curve in the student kit)."""
    module = kit.reference('activation_functions' if kind == 'activations' else 'loss_functions')
    reference = getattr(module, name, None)
    if kind == 'activations':
        grid = activation_grid()
        ref = [reference(x) for x in grid] if reference else None
    else:
        grid = loss_grid()
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

"""Check `derivative`: the course's numeric derivative(function, delta=...).

Probed on f(x) = x³ (f' = 3x²) whose central difference is exactly 3x² + δ²: with the
default δ (students use 1e-6 … 0.03) the error is at most 0.03² ≈ 1e-3; with delta=1e-4 it
is 1e-8. Extra positional arguments must reach the function: d/dx (c·x²) at c = 3 is 6x.
"""
from __future__ import annotations

from ..i18n import N_, _
from ..probes.values import decode, error_text, failure_reason
from ..results import Check
from .compare import PRIME_MARKS
from .context import Context
from .locate import Fix, with_fixes

__all__ = ['judge']


ADVICE = N_('derivative(f, delta=…) should return a function of (x, *args) that computes '
            '(f(x + δ, *args) − f(x − δ, *args)) / (2δ), named f.__name__ + "’"')


def judge(ctx: Context) -> Check:
    run, points = ctx.probes, ctx.settings.derivative_points
    record = run.result('derivative')
    if record is None or not record.get('ok'):
        reason = failure_reason(record)
        fix = Fix(ctx.place((record or {}).get('error'), function='derivative'), '', _(ADVICE))
        return ctx.scored('derivative', 0.0,
                          with_fixes(_('derivative(cube) could not be evaluated: {reason}.').format(reason=reason),
                                     [fix] if fix.place else []))
    value = record['value']
    parts, problems, raised = [], [], None

    name = value.get('name')
    ok = isinstance(name, str) and name[:-1] == 'cube' and name[-1:] in PRIME_MARKS
    parts.append(ok)
    if not ok:
        problems.append(_("the name of derivative(cube) should be 'cube’' (the name plus a prime), found {found}").format(
            found=repr(name)))

    def within(values, expect, tolerance):
        got = [decode(v) for v in values or []]
        return len(got) == len(points) and all(
            g is not None and abs(g - e) <= tolerance * max(1.0, abs(e)) for g, e in zip(got, expect))

    squares = [3 * x * x for x in points]
    ok = within(value.get('default'), squares, 1.2e-3)
    parts.append(ok)
    if not ok:
        problems.append(_('derivative(cube)(x) should be about 3x² = {expected} at x = {points} (a central '
                          'difference), found {found}').format(expected=[round(v, 4) for v in squares], points=points,
                                                              found=value.get('default')))
    if 'delta_error' in value:
        parts.append(False)
        raised = value['delta_error']
        problems.append(_('derivative(cube, delta=1e-4) raised {error}').format(error=error_text(value['delta_error'])))
    else:
        ok = within(value.get('delta'), squares, 1e-6)
        parts.append(ok)
        if not ok:
            problems.append(_('derivative(cube, delta=1e-4) should use that δ (expected 3x² within 1e-6), '
                              'found {found}').format(found=value.get('delta')))
    if 'args_error' in value:
        parts.append(False)
        raised = raised or value['args_error']
        problems.append(_('derivative(f)(x, 3.0) for f(x, c) = c·x² raised {error}').format(
            error=error_text(value['args_error'])))
    else:
        ok = within(value.get('args'), [6 * x for x in points], 1e-3)
        parts.append(ok)
        if not ok:
            problems.append(_('extra arguments must be passed on: derivative(f)(x, 3.0) for f(x, c) = c·x² '
                              'should be 6x, found {found}').format(found=value.get('args')))
    if not problems:
        message = _('derivative() computes central differences, honours delta=, passes extra arguments on '
                    'and names the result with a prime.')
        fixes = []
    else:
        message = '; '.join(problems) + '.'
        fixes = [Fix(ctx.place(raised if isinstance(raised, dict) else None, function='derivative'), '', _(ADVICE))]
    return ctx.scored('derivative', sum(parts) / len(parts), with_fixes(message, fixes),
                      details={'name': name, 'points': points, 'fix': [f.as_dict() for f in fixes]})

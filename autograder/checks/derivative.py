"""Check `derivative`: the course's numeric derivative(function, delta=...).

Probed on f(x) = x³ (f' = 3x²) whose central difference is exactly 3x² + δ²: with the
default δ (students use 1e-6 … 0.03) the error is at most 0.03² ≈ 1e-3; with delta=1e-4 it
is 1e-8. Extra positional arguments must reach the function: d/dx (c·x²) at c = 3 is 6x.
"""
from __future__ import annotations

from ..probes.values import decode, error_text, failure_reason
from .compare import PRIME_MARKS
from ..results import Check
from .context import Context

__all__ = ['judge']


def judge(ctx: Context) -> Check:
    run, points = ctx.probes, ctx.settings.derivative_points
    record = run.result('derivative')
    if record is None or not record.get('ok'):
        reason = failure_reason(record)
        return ctx.scored('derivative', 0.0,
                            f"derivative(cube) could not be evaluated: {reason}.")
    value = record['value']
    parts, problems = [], []

    name = value.get('name')
    ok = isinstance(name, str) and name[:-1] == 'cube' and name[-1:] in PRIME_MARKS
    parts.append(ok)
    if not ok:
        problems.append(f"the name of derivative(cube) should be 'cube’' (the name plus a prime), found {name!r}")

    def within(values, expect, tolerance):
        got = [decode(v) for v in values or []]
        return len(got) == len(points) and all(
            g is not None and abs(g - e) <= tolerance * max(1.0, abs(e)) for g, e in zip(got, expect))

    squares = [3 * x * x for x in points]
    ok = within(value.get('default'), squares, 1.2e-3)
    parts.append(ok)
    if not ok:
        problems.append(f"derivative(cube)(x) should be about 3x² = {[round(v, 4) for v in squares]} "
                        f"at x = {points} (a central difference), found {value.get('default')}")
    if 'delta_error' in value:
        parts.append(False)
        problems.append(f"derivative(cube, delta=1e-4) raised {error_text(value['delta_error'])}")
    else:
        ok = within(value.get('delta'), squares, 1e-6)
        parts.append(ok)
        if not ok:
            problems.append('derivative(cube, delta=1e-4) should use that δ (expected 3x² within 1e-6), '
                            f"found {value.get('delta')}")
    if 'args_error' in value:
        parts.append(False)
        problems.append(f"derivative(f)(x, 3.0) for f(x, c) = c·x² raised {error_text(value['args_error'])}")
    else:
        ok = within(value.get('args'), [6 * x for x in points], 1e-3)
        parts.append(ok)
        if not ok:
            problems.append('extra arguments must be passed on: derivative(f)(x, 3.0) for f(x, c) = c·x² '
                            f"should be 6x, found {value.get('args')}")
    message = ('derivative() computes central differences, honours delta=, passes extra arguments on '
               'and names the result with a prime.' if not problems else '; '.join(problems) + '.')
    return ctx.scored('derivative', sum(parts) / len(parts), message,
                        details={'name': name, 'points': points})

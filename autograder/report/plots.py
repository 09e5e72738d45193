"""Pictures for the reports, drawn from the results data with matplotlib's Agg renderer and
embedded as PNG data URIs (self-contained, printable). Each function returns a `Picture`
(the URI and a text alternative saying what it shows) or None when there is nothing to draw.

Only `matplotlib.figure.Figure` is used (no pyplot): no global state, no GUI backend. It is
imported when the first picture is drawn: a report with nothing to draw (a quick `autograder
check` of a correct module) does not pay the ~0.7 s import.
"""
from __future__ import annotations

import base64
import functools
import io
import json
import math
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..i18n import N_, _, current

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ['Picture', 'function_overlay', 'learning_curve', 'grade_histogram', 'overlay_regions']

REFERENCE = '#1f4e79'     # dark blue, solid
STUDENT = '#d55e00'       # vermilion, dashed with markers (colour-blind safe pair)
RAISED = '#b00020'
DPI = 110


@dataclass(frozen=True)
class Picture:
    uri: str
    alt: str
    width: int
    height: int


def _figure(**options: Any) -> Figure:
    from matplotlib.figure import Figure
    return Figure(layout='constrained', **options)


def _picture(fig: Figure, alt: str) -> Picture:
    buffer = io.BytesIO()
    fig.savefig(buffer, format='png', dpi=DPI, metadata={'Software': None})
    width, height = (round(v * DPI) for v in fig.get_size_inches())
    return Picture('data:image/png;base64,' + base64.b64encode(buffer.getvalue()).decode('ascii'),
                   alt, width, height)


def _memo(function):
    """Remember the last few pictures by their input data: the student's and the instructor's
    report draw the same ones (the data is JSON, so its JSON text is the key)."""
    cache: 'OrderedDict[str, Picture | None]' = OrderedDict()

    @functools.wraps(function)
    def wrapper(*args):
        try:
            key = current() + json.dumps(args, sort_keys=True, allow_nan=True)     # texts are in a language
        except (TypeError, ValueError):
            return function(*args)
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        picture = cache[key] = function(*args)
        while len(cache) > 32:
            cache.popitem(last=False)
        return picture
    return wrapper


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# --- activation / loss overlays ----------------------------------------------------------------
REGIONS = ((N_('large negative x'), -math.inf, -100.0), (N_('ordinary x'), -100.0, 100.0),
           (N_('large positive x'), 100.0, math.inf))


def _bad(curve: dict[str, Any], i: int) -> bool:
    wrong = curve.get('wrong') or []
    errors = curve.get('errors') or []
    return bool((i < len(wrong) and wrong[i]) or (i < len(errors) and errors[i]))


def overlay_regions(curve: dict[str, Any], kind: str) -> list[tuple[str, list[int]]]:
    """The parts of the plotting grid to draw for a wrong function: each region of the grid
    (the overflow ranges and [-5, 5] for activations; the whole ŷ range for losses) that
    holds a failure, or the ordinary range when the failure is elsewhere (only in the table)."""
    xs = curve.get('x') or []
    if kind == 'losses':
        return [('ŷ', list(range(len(xs))))] if xs else []
    regions = []
    for name, low, high in REGIONS:
        indices = [i for i, x in enumerate(xs) if low < x <= high]
        bad = [n for n, i in enumerate(indices) if _bad(curve, i)]
        if bad:
            # zoom in on the failure when it is confined to a part of the region
            start, stop = max(0, bad[0] - 3), min(len(indices), bad[-1] + 4)
            if stop - start < 0.75 * len(indices):
                indices = indices[start:stop]
            regions.append((name, indices))
    if not regions:
        indices = [i for i, x in enumerate(xs) if -100.0 < x <= 100.0]
        if indices:
            regions.append(('ordinary x', indices))
    return regions


@_memo
def function_overlay(curve: dict[str, Any], kind: str) -> Picture | None:
    """The student's function against the reference around where it goes wrong: one panel per
    region with a failure; points where the student's function raised are marked ✕ (drawn at
    the reference's value), values off the scale as triangles at the edge."""
    regions = overlay_regions(curve, kind)
    reference = curve.get('reference')
    if not regions or not reference:
        return None
    name = curve.get('function', '?')
    xs, student, errors = curve['x'], curve.get('student') or [], curve.get('errors') or []
    fig = _figure(figsize=(3.4 * len(regions) + 0.6, 3.0))
    axes = fig.subplots(1, len(regions), squeeze=False)[0]
    notes = []
    for ax, (region, indices) in zip(axes, regions):
        rx = [xs[i] for i in indices]
        ref = [reference[i] if _finite(reference[i]) else math.nan for i in indices]
        ref_finite = [v for v in ref if _finite(v)]
        low, high = (min(ref_finite), max(ref_finite)) if ref_finite else (-1.0, 1.0)
        span = high - low or max(1.0, abs(high))
        # the student's values widen the scale when they are near enough to be drawn
        near = [v for v in (student[i] if i < len(student) else None for i in indices)
                if _finite(v) and low - 4 * span <= v <= high + 4 * span]
        low, high = min([low, *near]), max([high, *near])
        span = high - low or span
        ylow, yhigh = low - 0.2 * span, high + 0.2 * span
        region = _(region)
        ax.plot(rx, ref, color=REFERENCE, linewidth=2.2, label=_('reference'), zorder=2)
        sx, sy, over_x, over_y, raised_x, raised_y = [], [], [], [], [], []
        for i in indices:
            value = student[i] if i < len(student) else None
            if i < len(errors) and errors[i]:
                raised_x.append(xs[i])
                raised_y.append(reference[i] if _finite(reference[i]) else (ylow + yhigh) / 2)
                sx.append(xs[i]); sy.append(math.nan)
            elif _finite(value) and ylow <= value <= yhigh:
                sx.append(xs[i]); sy.append(value)
            else:                           # off the scale, ±inf, nan or no number at all
                sx.append(xs[i]); sy.append(math.nan)
                below = isinstance(value, (int, float)) and not math.isnan(value) and value < ylow
                over_x.append(xs[i])
                over_y.append(ylow if below else yhigh)
        ax.plot(sx, sy, color=STUDENT, linestyle='--', marker='o', markersize=3.5, linewidth=1.6,
                label=_('your function'), zorder=3)
        if raised_x:
            kinds = ', '.join(sorted({errors[i] for i in indices if i < len(errors) and errors[i]}))
            ax.scatter(raised_x, raised_y, marker='X', s=46, color=RAISED, zorder=4,
                       label=_('raised {errors}').format(errors=kinds))
            notes.append(_('raises {errors} at {count} of {total} points of {region}').format(
                errors=kinds, count=len(raised_x), total=len(indices), region=region))
        if over_x:
            ax.scatter(over_x, over_y, marker='^', s=40, color=STUDENT, zorder=4,
                       label=_('off the scale / not a number'))
            notes.append(_('{count} values off the scale or not a number at {region}').format(
                count=len(over_x), region=region))
        wrong = sum(1 for i in indices if _bad(curve, i))
        notes.append(_('wrong at {wrong} of {total} points of {region} ({first} … {last})').format(
            wrong=wrong, total=len(indices), region=region, first=_short(rx[0]), last=_short(rx[-1])))
        ax.set_ylim(ylow, yhigh)
        ax.set_title(region if kind == 'activations' else _('target y = {target}').format(
            target=_short(curve.get('target'))), fontsize=9)
        ax.set_xlabel('ŷ' if kind == 'losses' else 'x', fontsize=9)
        ax.tick_params(labelsize=8)
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel(f'{name}(…)', fontsize=9)
    axes[0].legend(fontsize=7.5, loc='best')
    fig.suptitle(_('{name}: your function (dashed) against the reference (solid)').format(name=name), fontsize=10)
    alt = _('{name}: your function (dashed, orange) against the reference (solid, blue); {notes}.').format(
        name=name, notes='; '.join(notes))
    return _picture(fig, alt)


def _short(value: Any) -> str:
    if not _finite(value):
        return str(value)
    return str(int(value)) if value == int(value) else f'{value:.3g}'


# --- Part B ------------------------------------------------------------------------------------
@_memo
def learning_curve(history: dict[str, Any], validation_key: str | None, best_epoch: int | None) -> Picture | None:
    loss = [v if _finite(v) else math.nan for v in history.get('loss') or []]
    key = validation_key or next((k for k in ('val_loss', 'validation_loss') if k in history), None)
    val = [v if _finite(v) else math.nan for v in (history.get(key) or [])] if key else []
    if not loss and not val:
        return None
    fig = _figure(figsize=(6.0, 3.2))
    ax = fig.subplots()
    if loss:
        ax.plot(range(1, len(loss) + 1), loss, color=REFERENCE, marker='o', markersize=3, label=_('training loss'))
    if val:
        ax.plot(range(1, len(val) + 1), val, color=STUDENT, linestyle='--', marker='s', markersize=3,
                label=_('validation loss'))
        if best_epoch and 1 <= best_epoch <= len(val) and _finite(val[best_epoch - 1]):
            ax.axvline(best_epoch, color='#555555', linestyle=':', linewidth=1)
            right = best_epoch > len(val) / 2
            ax.annotate(_('lowest validation loss\n(epoch {epoch})').format(epoch=best_epoch), (best_epoch, val[best_epoch - 1]),
                        textcoords='offset points', xytext=(-6 if right else 6, 14), fontsize=8,
                        ha='right' if right else 'left')
    ax.set_xlabel(_('epoch'), fontsize=9)
    ax.set_ylabel(_('loss'), fontsize=9)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(labelsize=8)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    epochs = max(len(loss), len(val))
    ax.set_title(_('Learning curve ({epochs} epochs)').format(epochs=epochs), fontsize=10)
    parts = [_('Learning curve over {epochs} epochs').format(epochs=epochs)]
    if loss and _finite(loss[0]) and _finite(loss[-1]):
        parts.append(_('training loss from {first} to {last}').format(first=f'{loss[0]:.4g}', last=f'{loss[-1]:.4g}'))
    if val and _finite(val[-1]):
        parts.append(_('validation loss ends at {last}').format(last=f'{val[-1]:.4g}'))
    return _picture(fig, '; '.join(parts) + '.')


# --- dashboard ---------------------------------------------------------------------------------
@_memo
def grade_histogram(grades: list[float], low: float, high: float, pass_mark: float | None) -> Picture | None:
    if not grades:
        return None
    fig = _figure(figsize=(6.0, 2.8))
    ax = fig.subplots()
    bins = [low + (high - low) * i / 18 for i in range(19)] if high > low else 10
    ax.hist(grades, bins=bins, color=REFERENCE, edgecolor='white')
    if pass_mark is not None:
        ax.axvline(pass_mark, color=RAISED, linestyle='--', linewidth=1.5)
        ax.annotate(_('pass mark {mark}').format(mark=f'{pass_mark:g}'), (pass_mark, ax.get_ylim()[1] * 0.92), fontsize=8,
                    xytext=(4, 0), textcoords='offset points', color=RAISED)
    ax.set_xlim(low, high)
    ax.set_xlabel(_('grade'), fontsize=9)
    ax.set_ylabel(_('students'), fontsize=9)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(labelsize=8)
    ax.grid(True, axis='y', alpha=0.3)
    passing = sum(g >= pass_mark for g in grades) if pass_mark is not None else None
    values = {'count': len(grades), 'low': f'{min(grades):g}', 'high': f'{max(grades):g}', 'passing': passing,
              'mark': f'{pass_mark:g}' if pass_mark is not None else ''}
    alt = (_('Histogram of {count} grades from {low} to {high}; {passing} at or above the pass mark {mark}.')
           if passing is not None else _('Histogram of {count} grades from {low} to {high}.')).format(**values)
    return _picture(fig, alt)

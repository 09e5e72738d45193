"""Check `partb.overfitting`: the validation curve of the graded run shows no overfitting.

The rule, on the history left in the notebook's history variable (one value per epoch):
  1. the validation loss does not rise visibly: its last value is at most
     (1 + rise_tolerance) × its minimum (settings: 10 %);
  2. it does not drift away from the training loss: its last value is at most
     gap_factor × the last training loss (settings: 2×).
Both must hold. A history without validation loss cannot show the curve at all.
"""
from __future__ import annotations

import math

from ..i18n import _, percent
from ..results import Check
from .context import Context
from .graded_work import untouched

__all__ = ['judge']

def judge(ctx: Context) -> Check:
    not_done = untouched(ctx)          # an untouched Deel B: nothing of the student's to judge
    if not_done:
        return ctx.scored('partb.overfitting', 0.0, not_done)
    report, part_b = ctx.part_b.report, ctx.settings.part_b
    history_variable, rise, gap = part_b.history_variable, part_b.overfitting_rise, part_b.overfitting_gap
    history_aliases = ctx.settings.history_aliases      # e.g. 'validation_loss' for 'val_loss'
    rule = _('validation loss at the end ≤ {rise} × its minimum, and ≤ {gap} × the training loss').format(
        rise=f'{1 + rise:.2f}', gap=f'{gap:g}')
    history = (report or {}).get('history')
    if not history:
        found = (report or {}).get('history_type')
        return ctx.scored('partb.overfitting', 0.0,
                          (_("No training history to judge: '{variable}' should hold the dict that fit() returns "
                             '(found a {found}).') if found else
                           _("No training history to judge: '{variable}' should hold the dict that fit() returns."))
                          .format(variable=history_variable, found=found), details={'rule': rule})
    aliases = history_aliases or {}
    key = next((k for k in ('val_loss', *aliases.get('val_loss', [])) if k in history), None)
    loss_key = next((k for k in ('loss', *aliases.get('loss', [])) if k in history), 'loss')
    loss = [v for v in history.get(loss_key, []) if isinstance(v, (int, float))]
    if key is None or not history[key]:
        return ctx.scored('partb.overfitting', 0.0,
                          _('The history has no validation loss (keys: {keys}): pass validation_data=(val_xs, val_ys) '
                            'to fit() so the curve can show overfitting.').format(keys=', '.join(history)),
                          details={'rule': rule, 'history': history})
    val = [v if isinstance(v, (int, float)) else math.inf for v in history[key]]
    last, lowest = val[-1], min(val)
    best_epoch = val.index(lowest) + 1
    problems = []
    if not math.isfinite(last):
        problems.append(_('the validation loss is not a finite number at the end'))
    elif last > (1 + rise) * lowest:
        problems.append(_('the validation loss rose from {lowest} (epoch {epoch}) to {last} at the end (+{rise}; '
                          'allowed +{allowed})').format(lowest=f'{lowest:.4g}', epoch=best_epoch, last=f'{last:.4g}',
                                                        rise=percent(last / lowest - 1, 0), allowed=percent(rise, 0)))
    if loss and math.isfinite(last) and loss[-1] > 0 and last > gap * loss[-1]:
        problems.append(_('the validation loss ends at {ratio}× the training loss ({last} vs {train}; allowed '
                          '{gap}×)').format(ratio=f'{last / loss[-1]:.2g}', last=f'{last:.4g}',
                                            train=f'{loss[-1]:.4g}', gap=f'{gap:g}'))
    details = {'rule': rule, 'history': history, 'validation_key': key, 'last': last, 'minimum': lowest,
               'best_epoch': best_epoch, 'train_last': loss[-1] if loss else None}
    if problems:
        return ctx.scored('partb.overfitting', 0.0,
                          _('Overfitting: {problems}.').format(problems='; '.join(problems)), details=details)
    message = (_('No visible overfitting: the validation loss ends at {last} (minimum {lowest}, training loss '
                 '{train}). Rule: {rule}.') if loss else
               _('No visible overfitting: the validation loss ends at {last} (minimum {lowest}). Rule: {rule}.')
               ).format(last=f'{last:.4g}', lowest=f'{lowest:.4g}', train=f'{loss[-1]:.4g}' if loss else '',
                        rule=rule)
    return ctx.scored('partb.overfitting', 1.0, message, details=details)

"""Check `layers.training`: fit / predict / evaluate / partial_fit as the course defines them.

On a small 3-class problem (data.segments) with a 2-8-3 network: fit returns a history
{'loss': [...], 'val_loss': [...]} with one value per epoch whose training loss falls;
the caller's lists are not shuffled in place; a second fit starts a new history;
evaluate is the mean of the losses; predict gives N × outputs; partial_fit trains one epoch
and returns its mean loss (None or a list of losses, seen in real submissions, pass with a
note). History keys may be the assignment's aliases (module.history_aliases).
"""
from __future__ import annotations

import math
from typing import Any

from ..i18n import N_, _
from ..probes.values import decode, failure_reason, flatten
from ..results import Check
from .context import Context
from .locate import Fix, with_fixes
from .rubric import is_required, optional_note, weigh

# Each sub-check: its name in the report and the method of the InputLayer's chain it concerns.
ITEMS = {
    'history': (N_('history'), 'fit'),
    'loss per epoch': (N_('loss per epoch'), 'fit'),
    'validation loss per epoch': (N_('validation loss per epoch'), 'fit'),
    'loss falls': (N_('loss falls'), 'fit'),
    "caller's data unchanged": (N_("caller's data unchanged"), 'fit'),
    'new history per fit': (N_('new history per fit'), 'fit'),
    'evaluate': ('evaluate', 'evaluate'),
    'predict': ('predict', 'predict'),
    'partial_fit': ('partial_fit', 'partial_fit'),
}

__all__ = ['judge']


def _history(value: Any, aliases: dict[str, list[str]]) -> tuple[dict[str, list[float | None]] | None, list[str]]:
    """The history under the course's keys (a key's alias read as that key), and notes on aliases."""
    if not (isinstance(value, dict) and 'dict' in value):
        return None, []
    raw = {k: flatten(v) if isinstance(v, list) else [decode(v)] for k, v in value['dict'].items()}
    history, notes = dict(raw), []
    for key, others in aliases.items():
        if key in raw:
            continue
        alias = next((a for a in others if a in raw), None)
        if alias is not None:
            history[key] = history.pop(alias)
            notes.append(_("the history's key '{alias}' was read as the course's '{key}'").format(alias=alias, key=key))
    return history, notes


def _trained(before: Any, after: Any) -> bool | None:
    """Whether any parameter changed between two records of the dense parameters (None: unknown)."""
    if not isinstance(before, dict) or not isinstance(after, dict) or not before or not after:
        return None
    return before != after


def judge(ctx: Context) -> Check:
    run, task, history_aliases = ctx.probes, ctx.task('training'), ctx.settings.history_aliases
    record = run.result(task['id'])
    if record is None or not record.get('ok'):
        place = ctx.place((record or {}).get('error'), cls='InputLayer', method='fit')
        fixes = [Fix(place, '')] if place else []
        return ctx.scored('layers.training', 0.0, with_fixes(
            _('model.fit(xs, ys, alpha=0.5, epochs=30, batch_size=10, validation_data=...) failed: {reason}.').format(
                reason=failure_reason(record)), fixes), details={'fix': [f.as_dict() for f in fixes]})
    value = record['value']
    epochs = task['fit_kwargs']['epochs']
    results: list[tuple[str, bool, str]] = []      # (what, ok, problem)
    history, notes = _history(value.get('history'), history_aliases or {})
    if history is None:
        results.append(('history', False, _('fit() should return a history dict, found {found}').format(
            found=repr(value.get('history'))[:150])))
    else:
        loss = history.get('loss')
        results.append(('loss per epoch', loss is not None and len(loss) == epochs,
                        _("history['loss'] should hold {epochs} values (one per epoch), found keys {keys}").format(
                            epochs=epochs, keys=sorted(history))))
        val_loss = history.get('val_loss')
        results.append(('validation loss per epoch', val_loss is not None and len(val_loss) == epochs,
                        _("history['val_loss'] should hold the validation loss of every epoch (found keys {keys})")
                        .format(keys=sorted(history))))
        falls = (loss is not None and len(loss) >= 2 and all(v is not None and math.isfinite(v) for v in loss)
                 and loss[-1] < 0.8 * loss[0])
        results.append(('loss falls', falls, _('the training loss should fall during 30 epochs at α = 0.5 '
                                               '(first {first}, last {last})').format(
            first=loss[0] if loss else None, last=loss[-1] if loss else None)))
    results.append(("caller's data unchanged", value.get('data_unchanged') is True,
                    _("fit() should shuffle a copy: the caller's xs and ys were changed")))
    second, _notes = _history(value.get('second_history'), history_aliases or {})
    results.append(('new history per fit', second is not None and len(second.get('loss', [])) == 1,
                    _('a second fit(epochs=1) should return a new history of 1 epoch, not extend the old one')))
    ls = flatten(value.get('ls') or [])
    evaluated = decode(value.get('evaluate'))
    mean = sum(ls) / len(ls) if ls and all(v is not None for v in ls) else None
    results.append(('evaluate', evaluated is not None and mean is not None and math.isclose(evaluated, mean, rel_tol=1e-6),
                    _('evaluate(xs, ys) should be the mean of the losses ({mean}), found {found}').format(
                        mean=mean, found=evaluated)))
    predictions = value.get('predictions')
    n_out = task['network'][-2]['args'][0]
    results.append(('predict', isinstance(predictions, list) and len(predictions) == len(task['val_xs'])
                    and all(isinstance(p, list) and len(p) == n_out for p in predictions),
                    _('predict(xs) should give one list of {outputs} outputs per instance').format(outputs=n_out)))
    ok, note = _partial_fit(value)
    results.append(('partial_fit', ok, (
        _("partial_fit() should train one epoch and return the epoch's mean loss, found {found} ({note})") if note else
        _("partial_fit() should train one epoch and return the epoch's mean loss, found {found}")).format(
            found=repr(value.get('partial_fit'))[:150], note=note)))
    if ok and note:
        notes.append(note)
    fraction, criteria = weigh(ctx, 'layers.training', _outcomes(results))
    optional = {w for w, _ok, _p in results if not any(is_required(ctx, 'layers.training', k) for k in CRITERIA[w])}
    notes += [optional_note(p) for w, ok, p in results if not ok and w in optional]
    results = [r for r in results if r[0] not in optional or r[1]]
    problems = [p for _, ok, p in results if not ok]
    places = [ctx.place(cls='InputLayer', method=ITEMS[w][1]) for w, ok, _p in results if not ok]
    fixes = [Fix(place, '') for place in dict.fromkeys(places) if place]
    message = (_('fit() trained for {epochs} epochs with a falling loss and a proper history; evaluate, '
                 'predict and partial_fit behave as prescribed.').format(epochs=epochs) if not problems else
               with_fixes('; '.join(problems) + '.', fixes))
    details = {'history': history, 'fit_seconds': value.get('fit_seconds'),
               'items': [{'key': w, 'what': _(ITEMS[w][0]), 'ok': ok, 'problem': '' if ok else p}
                         for w, ok, p in results], 'criteria': criteria, 'fix': [f.as_dict() for f in fixes]}
    if notes:
        details['notes'] = notes
    return ctx.scored('layers.training', fraction, message, details=details)


# Each sub-check's criterion in the rubric; a missing history fails the three criteria it holds.
CRITERIA = {'history': ('loss-per-epoch', 'val-loss-per-epoch', 'loss-falls'),
            'loss per epoch': ('loss-per-epoch',), 'validation loss per epoch': ('val-loss-per-epoch',),
            'loss falls': ('loss-falls',), "caller's data unchanged": ('data-unchanged',),
            'new history per fit': ('new-history',), 'evaluate': ('evaluate',), 'predict': ('predict',),
            'partial_fit': ('partial-fit',)}


def _outcomes(results: list[tuple[str, bool, str]]) -> dict[str, bool]:
    return {key: ok for what, ok, _p in results for key in CRITERIA[what]}


def _partial_fit(value: dict[str, Any]) -> tuple[bool, str]:
    """(ok, note): the course returns the epoch's mean loss; None or a list of losses are known,
    harmless variations, as long as the epoch trained."""
    returned = value.get('partial_fit')
    trained = _trained(value.get('fitted'), value.get('partial_fitted'))
    if trained is False:
        return False, _('it changed no parameter')
    if returned is None:
        return True, _("partial_fit() returned None; the course returns the epoch's mean loss")
    if isinstance(returned, list):
        numbers = flatten(returned)
        ok = bool(numbers) and all(v is not None and math.isfinite(v) and v >= 0 for v in numbers)
        return ok, _("partial_fit() returned a list; the course returns the epoch's mean loss (one number)")
    number = decode(returned)
    return number is not None and math.isfinite(number) and number >= 0, ''


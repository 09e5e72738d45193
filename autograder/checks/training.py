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

from ..probes.values import decode, failure_reason, flatten
from ..results import Check
from .context import Context

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
            notes.append(f"the history's key '{alias}' was read as the course's '{key}'")
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
        return ctx.scored('layers.training', 0.0,
                            f"model.fit(xs, ys, alpha=0.5, epochs=30, batch_size=10, validation_data=...) "
                            f"failed: {failure_reason(record)}.")
    value = record['value']
    epochs = task['fit_kwargs']['epochs']
    results: list[tuple[str, bool, str]] = []      # (what, ok, problem)
    history, notes = _history(value.get('history'), history_aliases or {})
    if history is None:
        results.append(('history', False, f"fit() should return a history dict, found {value.get('history')!r}"[:200]))
    else:
        loss = history.get('loss')
        results.append(('loss per epoch', loss is not None and len(loss) == epochs,
                        f"history['loss'] should hold {epochs} values (one per epoch), "
                        f"found keys {sorted(history)}"))
        val_loss = history.get('val_loss')
        results.append(('validation loss per epoch', val_loss is not None and len(val_loss) == epochs,
                        "history['val_loss'] should hold the validation loss of every epoch "
                        f"(found keys {sorted(history)})"))
        falls = (loss is not None and len(loss) >= 2 and all(v is not None and math.isfinite(v) for v in loss)
                 and loss[-1] < 0.8 * loss[0])
        results.append(('loss falls', falls, 'the training loss should fall during 30 epochs at α = 0.5 '
                               f'(first {loss[0] if loss else None}, last {loss[-1] if loss else None})'))
    results.append(('caller\'s data unchanged', value.get('data_unchanged') is True,
                    "fit() should shuffle a copy: the caller's xs and ys were changed"))
    second, _ = _history(value.get('second_history'), history_aliases or {})
    results.append(('new history per fit', second is not None and len(second.get('loss', [])) == 1,
                    'a second fit(epochs=1) should return a new history of 1 epoch, not extend the old one'))
    ls = flatten(value.get('ls') or [])
    evaluated = decode(value.get('evaluate'))
    mean = sum(ls) / len(ls) if ls and all(v is not None for v in ls) else None
    results.append(('evaluate', evaluated is not None and mean is not None and math.isclose(evaluated, mean, rel_tol=1e-6),
                    f'evaluate(xs, ys) should be the mean of the losses ({mean}), found {evaluated}'))
    predictions = value.get('predictions')
    n_out = task['network'][-2]['args'][0]
    results.append(('predict', isinstance(predictions, list) and len(predictions) == len(task['val_xs'])
                    and all(isinstance(p, list) and len(p) == n_out for p in predictions),
                    f'predict(xs) should give one list of {n_out} outputs per instance'))
    ok, note = _partial_fit(value)
    results.append(('partial_fit', ok, "partial_fit() should train one epoch and return the epoch's mean loss, "
                                       f"found {value.get('partial_fit')!r}" + (f' ({note})' if note else '')))
    if ok and note:
        notes.append(note)
    passed = sum(ok for _, ok, _ in results)
    problems = [p for _, ok, p in results if not ok]
    message = (f'fit() trained for {epochs} epochs with a falling loss and a proper history; evaluate, '
               'predict and partial_fit behave as prescribed.' if not problems else '; '.join(problems) + '.')
    details = {'history': history, 'fit_seconds': value.get('fit_seconds'),
               'items': [{'what': w, 'ok': ok, 'problem': '' if ok else p} for w, ok, p in results]}
    if notes:
        details['notes'] = notes
    return ctx.scored('layers.training', passed / len(results), message, details=details)


def _partial_fit(value: dict[str, Any]) -> tuple[bool, str]:
    """(ok, note): the course returns the epoch's mean loss; None or a list of losses are known,
    harmless variations, as long as the epoch trained."""
    returned = value.get('partial_fit')
    trained = _trained(value.get('fitted'), value.get('partial_fitted'))
    if trained is False:
        return False, 'it changed no parameter'
    if returned is None:
        return True, "partial_fit() returned None; the course returns the epoch's mean loss"
    if isinstance(returned, list):
        numbers = flatten(returned)
        ok = bool(numbers) and all(v is not None and math.isfinite(v) and v >= 0 for v in numbers)
        return ok, "partial_fit() returned a list; the course returns the epoch's mean loss (one number)"
    number = decode(returned)
    return number is not None and math.isfinite(number) and number >= 0, ''


"""Reading the grader cell's report back from the student's kernel, as untrusted data.

The grader cell runs in the student's kernel, after the student's code: that code can
replace `display`, start a thread that displays during the grader cell, or change what the
cell computes. So the report is taken only from the grader cell's own outputs, must be
there exactly once, and every field must have the form the cell's code produces (types,
ranges, sizes); anything else is reported as tampering with the checks that use the
field. What remains possible (fabricating well-formed values) is bounded by what cannot
be forged: the labels of the hidden images never enter the kernel, and the images are
sent in a secret order (see autograder.grade), so predictions must come from a model.
"""
from __future__ import annotations

import json
import math
from typing import Any

from ..i18n import _
from .kernel_cell import MIME

__all__ = ['read_report', 'clean_watch', 'FIELD_CHECKS', 'REPORT_CHECKS']

# Which checks use which fields of the report.
FIELD_CHECKS = {
    'report': ('partb.activation', 'partb.accuracy', 'partb.overfitting'),
    'model_found': ('partb.activation', 'partb.accuracy'),
    'layers': ('partb.activation',),
    'history': ('partb.overfitting',),
    'predictions': ('partb.accuracy',),
    'own_test': ('partb.accuracy',),
}
REPORT_CHECKS = FIELD_CHECKS['report']
ERROR_FIELDS = ('layers_error', 'history_error', 'predict_error', 'own_test_error')
MAX_TEXT = 3000


def _text(value: Any, limit: int = 200) -> str | None:
    return None if value is None else str(value)[:limit]


def _error(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict):
        return None
    return {key: str(value.get(key, ''))[:MAX_TEXT] for key in ('type', 'message', 'traceback')}


def _number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and (not isinstance(value, float) or math.isfinite(value))) or value in ('inf', '-inf', 'nan')


def read_report(grader: dict[str, Any] | None) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """(the cleaned report or None, {check id: tampering notes}) from the grader cell's run."""
    problems: dict[str, list[str]] = {}

    def tampered(field: str, note: str) -> None:
        for check_id in FIELD_CHECKS[field]:
            problems.setdefault(check_id, []).append(note)

    if not grader:
        return None, problems
    outputs = grader.get('outputs') or []
    found = []
    for output in outputs:
        data = output.get('data') if isinstance(output, dict) else None
        if isinstance(data, dict) and MIME in data:
            found.append(data[MIME])
    if not found:
        return None, problems
    if len(found) > 1:
        tampered('report', _("the grader's cell showed {count} reports instead of one").format(count=len(found)))
    value = found[0]
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, dict):
        tampered('report', _("the grader's report is not a table of values"))
        return None, problems
    return _clean(value, tampered), problems


def _clean(raw: dict[str, Any], tampered) -> dict[str, Any]:
    report: dict[str, Any] = {}
    found = raw.get('model_found')
    if not isinstance(found, bool):
        tampered('model_found', _('model_found is not true or false'))
        found = False
    report['model_found'] = found
    report['model_class'] = _text(raw.get('model_class'))
    for key in ERROR_FIELDS:
        if key in raw:
            error = _error(raw[key])
            if error is None:
                tampered({'layers_error': 'layers', 'history_error': 'history', 'predict_error': 'predictions',
                          'own_test_error': 'own_test'}[key], _('{field} is not an error record').format(field=key))
            else:
                report[key] = error

    _clean_layers(raw, report, tampered)
    _clean_history(raw, report, tampered)
    if 'watch' in raw:
        report['watch'] = clean_watch(raw['watch'])
    predictions = raw.get('predictions')
    if predictions is not None:
        # the cell reports argmax indices: ints ≥ 0 (possibly ≥ the number of classes for a
        # model with too many outputs, or too few for a predict() that drops rows: the
        # accuracy check reports those); anything else did not come from the cell's code
        if not isinstance(predictions, list) or not all(
                isinstance(p, int) and not isinstance(p, bool) and 0 <= p < 1_000_000 for p in predictions):
            tampered('predictions', _('the predictions are not class numbers'))
        else:
            report['predictions'] = predictions
    seconds = raw.get('predict_seconds')
    if seconds is not None:
        if _number(seconds) and isinstance(seconds, (int, float)) and seconds >= 0:
            report['predict_seconds'] = float(seconds)
        else:
            tampered('predictions', _('predict_seconds is not a duration'))

    own = raw.get('own_test')
    if own is not None:
        instances, accuracy = (own.get('instances'), own.get('accuracy')) if isinstance(own, dict) else (None, None)
        if (isinstance(instances, int) and not isinstance(instances, bool) and instances > 0
                and isinstance(accuracy, (int, float)) and not isinstance(accuracy, bool) and 0 <= accuracy <= 1):
            report['own_test'] = {'instances': instances, 'accuracy': float(accuracy)}
        else:
            tampered('own_test', _('the accuracy on the own test split is not a fraction of a count'))
    return report


def _clean_layers(raw: dict[str, Any], report: dict[str, Any], tampered) -> None:
    layers = raw.get('layers')
    if layers is None:
        return
    if not isinstance(layers, list) or len(layers) > 200 or not all(isinstance(l, dict) for l in layers):
        tampered('layers', _('the layers are not a list of at most 200 records'))
        return
    report['layers'] = [{
        'class': _text(l.get('class'), 100), 'name': _text(l.get('name'), 100),
        'outputs': l.get('outputs') if isinstance(l.get('outputs'), int)
        and not isinstance(l.get('outputs'), bool) else None,
        'activation': _text(l.get('activation'), 100),
        'activation_module': _text(l.get('activation_module'), 200),
        'parameters': _numbers(l.get('parameters')), 'defaults': _numbers(l.get('defaults'))} for l in layers]


def _numbers(value: Any) -> dict[str, float]:
    """A layer's reported keyword arguments: at most 10 names with finite numbers."""
    if not isinstance(value, dict):
        return {}
    return {str(k)[:50]: float(v) for k, v in list(value.items())[:10]
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)}


def _clean_history(raw: dict[str, Any], report: dict[str, Any], tampered) -> None:
    history = raw.get('history')
    if history is not None:
        if (not isinstance(history, dict) or len(history) > 10 or not all(
                isinstance(k, str) and len(k) <= 50 and isinstance(v, list) and len(v) <= 10000
                and all(_number(x) for x in v) for k, v in history.items())):
            tampered('history', _('the history is not at most 10 lists of numbers'))
        else:
            report['history'] = {k: list(v) for k, v in history.items()}
    if 'history_type' in raw:
        report['history_type'] = _text(raw['history_type'], 100)


def _optional_number(value: Any) -> float | None:
    return float(value) if (isinstance(value, (int, float)) and not isinstance(value, bool)
                            and math.isfinite(value)) else None


def clean_watch(raw: Any) -> dict[str, Any] | None:
    """What the watch cell recorded (fit calls, files opened), in its form, or None. It only
    feeds review flags, never a score, so a malformed record is dropped, not 'tampered'."""
    if not isinstance(raw, dict) or not isinstance(raw.get('calls'), list) or not isinstance(raw.get('opened'), list):
        return None
    calls = []
    for call in raw['calls'][:50]:
        if not isinstance(call, dict):
            return None
        instances = call.get('instances')
        calls.append({'class': _text(call.get('class'), 100), 'method': _text(call.get('method'), 20),
                      'instances': instances if isinstance(instances, int) and not isinstance(instances, bool)
                      and instances >= 0 else None,
                      'alpha': _optional_number(call.get('alpha')), 'epochs': _optional_number(call.get('epochs'))})
    opened = [{'path': _text(o.get('path'), 200), 'mode': _text(o.get('mode'), 5)}
              for o in raw['opened'][:50] if isinstance(o, dict)]
    source = raw.get('history_from')
    source = source if isinstance(source, int) and not isinstance(source, bool) and 0 <= source < len(calls) else None
    return {'calls': calls, 'opened': opened, 'history_from': source}

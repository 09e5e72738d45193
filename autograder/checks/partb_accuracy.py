"""Check `partb.accuracy`: accuracy of the trained model on the hidden held-out set.

The hidden images went to the student's kernel without labels; the predictions come back
and are scored here. Below the minimum (70 %) the requirement fails; between minimum and
target (80 %) the points rise linearly from 60 % to 100 %.
"""
from __future__ import annotations


from ..i18n import _, number, percent
from ..results import Check
from .context import Context
from .graded_work import untouched

__all__ = ['judge', 'confusion']


def confusion(predictions: list[int], labels: list[int], classes: int) -> list[list[int]]:
    matrix = [[0] * classes for _ in range(classes)]
    for p, y in zip(predictions, labels):
        if 0 <= p < classes:
            matrix[y][p] += 1
    return matrix


def judge(ctx: Context) -> Check:
    not_done = untouched(ctx)          # an untouched Deel B: nothing of the student's to judge
    if not_done:
        return ctx.scored('partb.accuracy', 0.0, not_done)
    report, labels = ctx.part_b.report, ctx.part_b.labels
    classes, names = ctx.settings.part_b.classes, ctx.settings.part_b.class_labels
    minimum, target = ctx.profile.min_accuracy, ctx.profile.target_accuracy
    if report is None or 'predictions' not in (report or {}):
        reason = (_('the graded run did not leave a model') if not report or not report.get('model_found')
                  else _('predict() failed: {error}').format(
                      error=f"{report['predict_error']['type']}: {report['predict_error']['message']}")
                  if report.get('predict_error') else _('no predictions came back'))
        return ctx.scored('partb.accuracy', 0.0,
                          _('The hidden test set could not be scored: {reason}.').format(reason=reason),
                          details={'error': (report or {}).get('predict_error')})
    predictions = report['predictions']
    if len(predictions) != len(labels):
        return ctx.scored('partb.accuracy', 0.0,
                          _('predict() returned {count} predictions for {images} images.').format(
                              count=len(predictions), images=len(labels)))
    hits = sum(p == y for p, y in zip(predictions, labels))
    accuracy = hits / len(labels)
    if accuracy < minimum:
        fraction = 0.0
    else:
        fraction = 0.6 + 0.4 * min(1.0, (accuracy - minimum) / (target - minimum) if target > minimum else 1.0)
    own = report.get('own_test')
    values = {'accuracy': percent(accuracy), 'images': number(len(labels)), 'hits': number(hits),
              'minimum': percent(minimum, 0), 'target': percent(target, 0)}
    if own:
        message = _('{accuracy} of the {images} hidden test images are classified correctly ({hits}); the '
                    'requirement is {minimum}, a good model reaches {target}. On your own test split: '
                    '{own_accuracy} of {own_images}.').format(
            **values, own_accuracy=percent(own['accuracy']), own_images=number(own['instances']))
    else:
        message = _('{accuracy} of the {images} hidden test images are classified correctly ({hits}); the '
                    'requirement is {minimum}, a good model reaches {target}.').format(**values)
    matrix = confusion(predictions, labels, classes)
    per_class = [row[i] / sum(row) if sum(row) else None for i, row in enumerate(matrix)]
    check = ctx.scored('partb.accuracy', fraction, message,
                         details={'accuracy': accuracy, 'instances': len(labels), 'minimum': minimum,
                                  'target': target, 'own_test': own, 'labels': names,
                                  'per_class': per_class, 'confusion': matrix,
                                  'predict_seconds': report.get('predict_seconds')},
                         hidden={'predictions': predictions, 'labels': labels})
    if accuracy < minimum:
        check.status = 'fail'
    return check

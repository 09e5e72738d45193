"""Review flags: signs that a result may not have been earned, for the instructor to judge.

A flag is computed by the grader, states its evidence, and never changes a score: a lookup
table, weights trained elsewhere or a module that answers differently per process are
suspicions, not proof (docs/security-model.md, "Review flags"). Flags live in the results
document (`review`), are left out of the student's view, and show in the instructor
report, the dashboard's "to review" list and a column of the exports.

    hidden-above-own     hidden-set accuracy above the student's own test accuracy by more
                         than part_b.review.accuracy_margin (a lookup table of hidden images)
    hidden-not-secret    informational: the hidden set came from the data file students have
    files-loaded         the graded cells open files of the hand-in (beyond the data file)
    extra-files          the hand-in carries files beyond module, notebook and HTML export
    training-alpha-zero  the graded run's fit() has alpha = 0: it learns nothing
    training-few         ... trains on fewer than part_b.review.min_training_instances
    history-mismatch     the history's length is not the epochs run, or no fit() of the
                         graded run returned it
    nondeterministic     two probe processes got different Part A values
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..i18n import N_, _, percent

__all__ = ['review_flags', 'FLAG_TITLES', 'extra_files', 'training_flags', 'accuracy_flag']

FLAG_TITLES = {
    'hidden-above-own': N_('Hidden accuracy far above own test accuracy'),
    'hidden-not-secret': N_('Hidden set from the data file students have'),
    'files-loaded': N_('The graded cells load files'),
    'extra-files': N_('Files beyond the three expected'),
    'training-alpha-zero': N_('Trained with learning rate 0'),
    'training-few': N_('Trained on a handful of instances'),
    'history-mismatch': N_('History does not match the training'),
    'nondeterministic': N_('Part A values differ between processes'),
}
# Only informational: said in the report, not put on the "to review" list.
NOTES = {'hidden-not-secret'}
JUNK = {'__MACOSX', '.DS_Store', '.ipynb_checkpoints', '__pycache__', 'Thumbs.db'}
PROSE = {'.py', '.md', '.pdf'}


def _flag(code: str, evidence: str, **details: Any) -> dict[str, Any]:
    return {'code': code, 'title': _(FLAG_TITLES[code]), 'evidence': evidence, 'note': code in NOTES,
            'details': details}


def accuracy_flag(accuracy: float | None, own: float | None, margin: float) -> dict[str, Any] | None:
    if accuracy is None or own is None or accuracy - own <= margin:
        return None
    return _flag('hidden-above-own',
                 _('{accuracy} on the hidden test set against {own} on the own test split: {gap} points more '
                   'than the margin of {margin} allows. A model does about as well on both; a lookup table of '
                   'the hidden images does not.').format(
                     accuracy=percent(accuracy), own=percent(own), gap=f'{100 * (accuracy - own):.0f}',
                     margin=percent(margin, 0)),
                 accuracy=accuracy, own_accuracy=own, margin=margin)


def extra_files(root: Path, expected: list[Path | None]) -> dict[str, Any] | None:
    """Files of the hand-in beyond module (with its package), notebook and export; code and
    prose (.py, .md, .pdf) are not data."""
    keep = {p.resolve() for p in expected if p is not None}
    found = []
    for path in sorted(Path(root).rglob('*')):
        if any(part in JUNK for part in path.relative_to(root).parts) or not path.is_file() or path.is_symlink():
            continue
        resolved = path.resolve()
        if resolved in keep or any(k in resolved.parents for k in keep) or path.suffix.lower() in PROSE:
            continue
        found.append({'file': path.relative_to(root).as_posix(), 'bytes': path.stat().st_size})
        if len(found) >= 20:
            break
    if not found:
        return None
    listed = ', '.join(f"{f['file']} ({f['bytes']:,} bytes)" for f in found)
    return _flag('extra-files', _('The hand-in also holds {files}.').format(files=listed), files=found)


def training_flags(watch: dict[str, Any] | None, history: dict[str, Any] | None, min_instances: int,
                   data_file: str) -> list[dict[str, Any]]:
    """From what the watch cell recorded between the locked cells (part_b/kernel_cell.py)."""
    if watch is None:
        return []
    flags = []
    loads = [o for o in watch['opened'] if not any(m in (o['mode'] or '') for m in 'wax')
             and Path(o['path'] or '').name != data_file]
    if loads:
        flags.append(_flag('files-loaded', _('Between the locked cells the notebook opened {files} for '
                                             'reading.').format(files=', '.join(o['path'] for o in loads[:10])),
                           files=loads))
    calls = [c for c in watch['calls'] if c['method'] in ('fit', 'partial_fit')]
    zero = [c for c in calls if c['alpha'] == 0]
    if zero:
        flags.append(_flag('training-alpha-zero', _('{method}() was called with alpha = 0 ({count} of {calls} '
                                                     'training calls).').format(
            method=zero[0]['method'], count=len(zero), calls=len(calls)), calls=zero))
    sizes = [c['instances'] for c in calls if c['instances'] is not None]
    if sizes and max(sizes) < min_instances:
        flags.append(_flag('training-few', _('The graded run trains on at most {count} instances (fewer than '
                                             '{minimum}).').format(count=max(sizes), minimum=min_instances),
                           instances=max(sizes), minimum=min_instances))
    flags += _history_flags(watch, calls, history)
    return flags


def _history_flags(watch, calls, history) -> list[dict[str, Any]]:
    """The history may hold one value per epoch run (and one before training): a history
    longer than every epoch the graded run trained was made elsewhere. When one fit() call
    returned it, its length must be that call's epochs."""
    if history is None:
        return []
    length = max((len(v) for v in history.values()), default=0)
    epochs = [c['epochs'] if c['method'] == 'fit' else 1 for c in calls]
    source = watch.get('history_from')
    if source is not None and epochs[source] is not None and length not in (int(epochs[source]),
                                                                            int(epochs[source]) + 1):
        return [_flag('history-mismatch',
                      _('The history has {length} entries, but the fit() call that returned it ran {epochs} '
                        'epochs.').format(length=length, epochs=f'{epochs[source]:g}'),
                      length=length, epochs=epochs[source])]
    if source is None and None not in epochs and length > sum(epochs) + 1:
        return [_flag('history-mismatch',
                      _('The history has {length} entries, but the graded run trained {epochs} epochs in all '
                        '({calls} training calls).').format(length=length, epochs=f'{sum(epochs):g}',
                                                            calls=len(calls)),
                      length=length, epochs=sum(epochs))]
    return []


def nondeterminism_flag(differences: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not differences:
        return None
    first = differences[0]
    return _flag('nondeterministic',
                 _('A second probe process got other values: {function}({argument}) was {first}, then {second} '
                   '({count} differences).').format(function=first['function'], argument=first['argument'],
                                                    first=first['first'], second=first['second'],
                                                    count=len(differences)),
                 differences=differences[:20])


def review_flags(ctx) -> list[dict[str, Any]]:
    """Every flag of one grading (checks.context.Context after the last step)."""
    flags: list[dict[str, Any] | None] = []
    ws, part_b = ctx.workspace, ctx.settings.part_b
    if ws is not None:
        flags.append(extra_files(ws.root, [ws.module, ws.notebook, ws.html]))
    flags.append(nondeterminism_flag(ctx.memo.get('nondeterministic', [])))
    accuracy = ctx.checks.get('partb.accuracy')
    details = accuracy.details if accuracy is not None else {}
    own = (details.get('own_test') or {}).get('accuracy')
    flags.append(accuracy_flag(details.get('accuracy'), own, part_b.review_accuracy_margin))
    data = ctx.part_b.environment.get('data') or {}
    if data.get('hidden_source') == 'data file' and details.get('accuracy') is not None:
        flags.append(_flag('hidden-not-secret',
                           _('The hidden test set was withheld from the data file ({file}), which students have: '
                             'its accuracy is not proof against a lookup table. Grade with --hidden-data FILE (a '
                             'file students never had) for that.').format(file=data.get('file')),
                           file=data.get('file')))
    report = ctx.part_b.report or {}
    flags += training_flags(report.get('watch'), report.get('history'), part_b.review_min_instances,
                            Path(part_b.data_file).name)
    return [f for f in flags if f is not None]

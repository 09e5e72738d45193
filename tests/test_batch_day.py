"""An instructor's grading day (issue 23), end to end through `autograder batch`: a Blackboard
bulk download in which one student handed in only Blackboard's receipt, graded with the
practice profile; then one student regraded with --student. Uses the cheap copy of the
assignment (see test_batch.py); no submission here runs a whole notebook."""
from __future__ import annotations

import csv
import json
import sys

import pytest

from helpers.hand_ins import example_files, make_cheap_assignment
from helpers.html import soup, text
from helpers.zips import write_zip

from autograder.batch.gradebook import Gradebook
from autograder.cli import main

BB = 'Eindopdracht_v2324.2'
PRACTICE = "practice profile — not the assignment's requirement"

pytestmark = pytest.mark.slow      # batches of real gradings


def records(out):
    with Gradebook(out / 'gradebook.sqlite') as book:
        return {r.student: r for r in book.records()}, book.history()


@pytest.fixture(scope='module')
def bulk(tmp_path_factory):
    """A bulk download: s1 a notebook that fails on import, s2 only the receipt, s3 a lone model.py."""
    folder = make_cheap_assignment(tmp_path_factory.mktemp('assignment'))
    from autograder.settings import load_settings
    settings = load_settings(folder)
    files = {}
    s1 = f'{BB}_s1_attempt_2024-06-20-10-00-00'
    for name, data in example_files(settings, 'flawed-import-error').items():
        files[f'{s1}_{name}'] = data
    files[f'{s1}.txt'] = b'Name: One\n'
    files[f'{BB}_s2_attempt_2024-06-21-08-00-00.txt'] = b'Name: Two\nSubmission: nothing attached\n'
    s3 = f'{BB}_s3_attempt_2024-06-22-09-30-00'
    files[f'{s3}_{settings.module_file}'] = example_files(settings, 'reference')[settings.module_file]
    files[f'{s3}.txt'] = b'Name: Three\n'
    path = tmp_path_factory.mktemp('bulk') / f'gradebook_{BB}.zip'
    write_zip(path, files)
    return folder, path


def test_a_grading_day(bulk, tmp_path, capsys):
    folder, path = bulk
    out = tmp_path / 'out'
    batch = ['batch', str(path), '--assignment', str(folder), '--out', str(out), '--jobs', '2', '--no-similarity',
             '--profile', 'quick', '--lang', 'en']
    assert main(batch) == 0
    said = capsys.readouterr().out
    first, history = records(out)
    assert sorted(first) == ['s1', 's2', 's3'] and history == []
    # who handed in nothing: rejected with the reason, in the gradebook, the summary, the dashboard
    reason = first['s2'].rejected
    assert reason.startswith("Nothing to grade: the hand-in holds neither the module ('model.py') nor the notebook")
    assert f'{BB}_s2_attempt_2024-06-21-08-00-00.txt' in reason
    assert not first['s1'].rejected and not first['s3'].rejected
    assert '  rejected, no grade (1: nothing gradable handed in):' in said
    assert f'    s2 2024-06-21-08-00-00: {reason}' in said
    dashboard = soup((out / 'dashboard.html').read_text(encoding='utf-8'))
    assert [text(li) for li in dashboard.find(attrs={'data-testid': 'rejected'}).find_all('li')] == [f's2 — {reason}']
    assert all('s2' not in text(li) for li in dashboard.find(attrs={'data-testid': 'common-failures'}).find_all('li'))
    # practice grades say so, and are not written for upload without asking
    assert f'Batch {folder.name} (quick profile — {PRACTICE})' in said
    assert text(dashboard.find(attrs={'data-testid': 'practice'})).startswith(f'· {PRACTICE}')
    report = soup((out / 'submissions' / 's3' / '2024-06-22-09-30-00' / 'report.html').read_text(encoding='utf-8'))
    assert text(report.find(attrs={'data-testid': 'practice'})) == PRACTICE
    with open(out / 'grades.csv', newline='', encoding='utf-8') as handle:
        grades = {row['student']: row for row in csv.DictReader(handle)}
    assert (grades['s2']['grade'], grades['s2']['rejected']) == ('', reason)
    assert grades['s3']['grade'] != '' and grades['s3']['grade_note'] == PRACTICE
    assert not (out / 'blackboard-grades.csv').exists()
    assert 'Blackboard upload: the grades were graded with the practice profile quick' in said
    # the status file agrees with the gradebook; the workers' logs hold no warnings
    status = json.loads((out / 'status.json').read_text())
    assert (status['state'], status['total'], status['done'], status['graded'], status['running']) == \
        ('finished', 3, 3, 3, [])
    for log in out.glob('submissions/*/*/worker.log'):
        assert 'Warning' not in log.read_text(errors='replace'), log
    assert not list(out.glob('submissions/*/*/.step'))

    # one student regraded: the others' rows untouched, the earlier run kept in the history
    assert main(batch + ['--student', 's3', '--force', '--blackboard-practice']) == 0
    said = capsys.readouterr().out
    second, history = records(out)
    assert second['s3'].runs == 2 and second['s3'].finished >= first['s3'].finished
    for student in ('s1', 's2'):
        assert (second[student].runs, second[student].finished, second[student].results_json) == \
            (1, first[student].finished, first[student].results_json)
    assert [(h['student'], h['runs']) for h in history] == [('s3', 1)]
    assert 'graded now 1, failed 0, unchanged (skipped) 0' in said
    upload = (out / 'blackboard-grades.csv').read_text(encoding='utf-8').splitlines()
    title = 'Eindopdracht Advanced Datamining 2023-2024, 2e gelegenheid'
    assert upload[0] == f'"Username","{title} (autograder, {PRACTICE})"'
    assert [line.split(',')[0] for line in upload[1:]] == ['"s1"', '"s3"']          # no 1.0 for s2
    # a student who is not there is named, not silently graded as nobody
    assert main(batch + ['--student', 's4']) == 2
    assert "no attempt of student 's4'" in capsys.readouterr().err


SLOW_WORKER = r'''
import os, sys, time
args = sys.argv[1:]
out = args[args.index('--out') + 1]
os.makedirs(out, exist_ok=True)
for step in ('probes', 'notebook'):
    open(os.path.join(out, '.step'), 'w').write(step)
    time.sleep(2.5)
from autograder.batch.grading_job import main
sys.exit(main(args))
'''


def test_the_progress_shows_what_runs_while_it_runs(bulk, tmp_path, capsys):
    """The bar and status.json move while gradings run: elapsed from the start, each grading's
    student, step and seconds, refreshed at least every 2 s."""
    import threading
    import time
    from autograder.batch import BatchOptions, run_batch
    folder, _ = bulk
    inbox = tmp_path / 'in'
    inbox.mkdir()
    for name in ('anna', 'bo'):
        (inbox / f'{name}.zip').write_bytes(b'not a zip')      # rejected at once, after the worker's steps
    worker = tmp_path / 'worker.py'
    worker.write_text(SLOW_WORKER)
    out = tmp_path / 'out'
    snapshots, done = [], threading.Event()

    def watch():
        while not done.is_set():
            try:
                snapshots.append((time.monotonic(), json.loads((out / 'status.json').read_text())))
            except (OSError, ValueError):
                pass
            time.sleep(0.25)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        summary = run_batch(inbox, out, BatchOptions(profile='quick', assignment=str(folder), jobs=2, progress=True,
                                                     similarity=False, worker_prefix=[sys.executable, str(worker)]),
                            log=lambda text: None)
    finally:
        done.set()
        watcher.join()
    assert summary['counts']['graded'] == 2
    grading = [s for _, s in snapshots if s['state'] == 'grading' and s['running']]
    steps = {(r['student'], r['step']) for s in grading for r in s['running']}
    assert {('anna', 'probes'), ('anna', 'notebook'), ('bo', 'probes'), ('bo', 'notebook')} <= steps, steps
    assert max(r['seconds'] for s in grading for r in s['running']) >= 2.5
    # written at least every 2 s: no gap between two different 'updated' stamps much longer than that
    changes = [t for (t, s), (_, before) in zip(snapshots[1:], snapshots) if s['elapsed_seconds'] != before['elapsed_seconds']]
    assert len(changes) >= 3 and max(b - a for a, b in zip(changes, changes[1:])) < 2.6
    assert snapshots[-1][1]['state'] == 'finished' or json.loads((out / 'status.json').read_text())['state'] == 'finished'
    bar = capsys.readouterr().err
    assert 'graded=0 failed=0 | anna: probes' in bar and 'graded=2 failed=0' in bar

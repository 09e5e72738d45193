"""Batch grading: a class of 21 generated attempts (good, flawed, broken; plain entries and
Blackboard-named files) graded in parallel into the gradebook; exports; resume; failures,
hangs and crashes that never stop the batch; SIGKILL midway and a re-run that loses and
duplicates nothing; the inbox and the gradebook on their own.

Grading runs the notebook, so these tests use a copy of the assignment whose quick profile is
shrunk to seconds (`make_cheap_assignment`); only three submissions run the whole notebook.
"""
from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.hand_ins import ROOT, example_files, make_cheap_assignment
from helpers.zips import write_zip

from autograder.batch import BatchOptions, run_batch
from autograder.batch.gradebook import FAILED, GRADED, Gradebook, Record
from autograder.batch.inbox import Attempt, read_inbox, safe_name
from autograder.batch.orchestrate import submission_folder

BB = 'Eindopdracht_v2324.2'          # the assignment part of Blackboard's names

pytestmark = pytest.mark.slow      # a class graded in batch, with crashes, hangs and kills


# ------------------------------------------------------------------------------ helpers

def tree_digest(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob('*'))}


def rows(out: Path, name: str = 'grades.csv') -> list[dict[str, str]]:
    with open(out / name, newline='', encoding='utf-8') as handle:
        return list(csv.DictReader(handle))


def records(out: Path) -> dict[tuple[str, str], Record]:
    with Gradebook(out / 'gradebook.sqlite') as book:
        return {(r.student, r.attempt): r for r in book.records()}


@pytest.fixture(scope='module')
def cheap(tmp_path_factory):
    from autograder.settings import load_settings
    folder = make_cheap_assignment(tmp_path_factory.mktemp('assignment'))
    return folder, load_settings(folder)


# --------------------------------------------------------------------------- the class

@pytest.fixture(scope='module')
def class_folder(cheap, tmp_path_factory):
    """21 attempts of 20 students: 3 run the whole notebook, the rest fail early or are broken."""
    from test_similarity import INDEPENDENT_A, INDEPENDENT_B, near_copy
    folder, settings = cheap
    inbox = tmp_path_factory.mktemp('class')
    reference = example_files(settings, 'reference')
    importing = example_files(settings, 'flawed-import-error')
    module, notebook, html = settings.module_file, settings.notebook, settings.html_export
    write_zip(inbox / 'alice.zip', reference)                                        # full marks
    write_zip(inbox / 'bram.zip', example_files(settings, 'flawed-overflow'))         # Part A flaw
    write_zip(inbox / 'chris.zip', example_files(settings, 'flawed-no-elish'))        # Part B flaw
    (inbox / 'dana').mkdir()                                                          # a folder; a near-copy
    (inbox / 'dana' / module).write_text(near_copy(reference[module].decode()))       # of alice's module,
    (inbox / 'dana' / html).write_bytes(reference[html])                             # no notebook
    write_zip(inbox / 'eve.zip', {module: INDEPENDENT_A.encode()})                    # independent solutions
    write_zip(inbox / 'finn.zip', {module: INDEPENDENT_B.encode()})
    write_zip(inbox / 'gert.zip', importing)                                          # raises on import
    write_zip(inbox / 'hanna.zip', example_files(settings, 'flawed-error-cell'))      # a cell raises
    (inbox / 'ivo.zip').write_bytes(os.urandom(3000))                                 # not a zip
    write_zip(inbox / 'jan.zip', {})                                                  # an empty zip
    write_zip(inbox / 'kim.zip', {notebook: reference[notebook], html: reference[html]})   # no module
    (inbox / 'lars.rar').write_bytes(b'Rar!\x1a\x07\x00' + os.urandom(100))            # another archive
    (inbox / 'mila.py').write_bytes(reference[module])                                # a lone model.py
    write_zip(inbox / 'noor.zip', {module: b'def tanh(a:\n    return a\n', notebook: reference[notebook]})
    inner = inbox / 'inner.tmp'
    write_zip(inner, importing)
    write_zip(inbox / 'otto.zip', {'Eindopdracht.zip': inner.read_bytes()})           # a zip in a zip
    inner.unlink()
    write_zip(inbox / 'pia.zip', {'__MACOSX/._x': b'junk', 'Work/' + module: importing[module],
                                  'Work/' + notebook: importing[notebook], 'Work/' + html: importing[html]})
    write_zip(inbox / 'rob.zip', example_files(settings, 'flawed-renamed-layers'))
    (inbox / '.DS_Store').write_bytes(b'junk')                                       # ignored
    # Blackboard's names: s1000001 handed in twice (the latest counts), s1000002 loose files,
    # s1000003 only a receipt
    first = f'{BB}_s1000001_attempt_2024-06-20-10-00-00'
    (inbox / f'{first}_model.py').write_bytes(b'def broken(:\n')
    (inbox / f'{first}.txt').write_text('Name: Student One\nAssignment: Eindopdracht\n')
    latest = f'{BB}_s1000001_attempt_2024-06-23-22-00-00'
    write_zip(inbox / f'{latest}_{BB}.zip', importing)
    (inbox / f'{latest}.txt').write_text('Name: Student One\n')
    loose = f'{BB}_s1000002_attempt_2024-06-22-09-30-00'
    for name, data in importing.items():
        (inbox / f'{loose}_{name}').write_bytes(data)
    (inbox / f'{loose}.txt').write_text('Name: Student Two\n')
    (inbox / f'{BB}_s1000003_attempt_2024-06-21-08-00-00.txt').write_text('Name: Student Three\n')
    return inbox


STUDENTS = ['alice', 'bram', 'chris', 'dana', 'eve', 'finn', 'gert', 'hanna', 'ivo', 'jan', 'kim', 'lars',
            'mila', 'noor', 'otto', 'pia', 'rob', 's1000001', 's1000002', 's1000003']


@pytest.fixture(scope='module')
def graded_class(cheap, class_folder, tmp_path_factory):
    folder, _ = cheap
    out = tmp_path_factory.mktemp('class-out')
    before = tree_digest(class_folder)
    started = time.monotonic()
    summary = run_batch(class_folder, out, BatchOptions(profile='quick', assignment=str(folder), jobs=2, progress=False,
                                                        blackboard_practice=True))
    print(f'\nclass of {summary["attempts"]} graded in {time.monotonic() - started:.0f} s')
    assert tree_digest(class_folder) == before, 'the input was modified'
    return summary, out


def test_every_student_of_the_class_gets_a_grade(graded_class):
    summary, out = graded_class
    assert summary['attempts'] == 20 and summary['found_attempts'] == 21 and summary['students'] == 20
    assert summary['counts'] == {'graded': 20, 'failed': 0, 'skipped': 0, 'rejected': summary['counts']['rejected']}
    assert summary['status'] == {'graded': 20, 'failed': 0, 'not graded': 0}
    assert summary['warnings'] == []
    table = {row['student']: row for row in rows(out)}
    assert sorted(table) == sorted(STUDENTS)
    # nothing gradable handed in (not a zip, an empty zip, a rar, only Blackboard's receipt): rejected,
    # with the reason, and no grade in the exports; everyone else has one
    rejected = {'ivo', 'jan', 'lars', 's1000003'}
    for student, row in table.items():
        assert row['status'] == 'graded', student
        assert bool(row['rejected']) == (student in rejected), student
        if student in rejected:
            assert row['grade'] == '' and row['grade_note'] == 'rejected: nothing gradable handed in', student
        else:
            assert 1.0 <= float(row['grade']) <= 10.0
            assert row['grade_note'] == "practice profile — not the assignment's requirement"
    assert table['s1000003']['rejected'].startswith('Nothing to grade')
    assert 'Eindopdracht_v2324.2_s1000003_attempt_2024-06-21-08-00-00.txt' in table['s1000003']['rejected']
    book = records(out)
    assert len(book) == 20 and all(r.runs == 1 and r.status == GRADED for r in book.values())
    grades = {student: float(row['grade']) for student, row in table.items() if student not in rejected}
    assert grades['alice'] == 10.0
    assert grades['bram'] < 10.0 and grades['chris'] <= 5.0
    assert sorted(r['student'] for r in summary['rejected']) == sorted(rejected)
    assert summary['grades']['n'] == 16 and summary['grades']['passed'] >= 1
    assert sum(summary['grades']['histogram'].values()) == 16


def test_the_checks_say_what_went_wrong(graded_class):
    _, out = graded_class
    book = records(out)

    def check(student, check_id, attempt=''):
        document = book[(student, attempt)].document
        return next(c for c in document['checks'] if c['id'] == check_id)

    assert check('bram', 'activations.table')['status'] in ('fail', 'partial')
    assert check('chris', 'partb.activation')['status'] == 'fail'
    assert 'RuntimeError' in check('gert', 'notebook.runs')['message']
    assert "my_modle" in check('hanna', 'notebook.runs')['message']
    assert check('rob', 'layers.api')['status'] != 'pass'
    assert check('dana', 'notebook.runs')['status'] == 'fail'
    # Blackboard: the latest attempt counts; its files were found under Blackboard's names
    assert ('s1000001', '2024-06-23-22-00-00') in book and ('s1000001', '2024-06-20-10-00-00') not in book
    loose = book[('s1000002', '2024-06-22-09-30-00')].document
    assert loose['submission']['student'] == 's1000002'
    assert 'blackboard-names' in {f['code'] for f in loose['submission']['findings']}


def test_exports_gradebook_csv_blackboard_gradescope(graded_class):
    summary, out = graded_class
    book = records(out)
    with open(out / 'blackboard-grades.csv', newline='', encoding='utf-8') as handle:
        text = handle.read()
    lines = text.splitlines()
    assert lines[0] == f'"Username","{summary["blackboard_column"]}"'
    assert all(line.startswith('"') and line.endswith('"') for line in lines)      # every value quoted
    uploaded = dict(csv.reader(lines[1:]))
    assert sorted(uploaded) == sorted(set(STUDENTS) - {'ivo', 'jan', 'lars', 's1000003'})     # never a 1.0 for nothing
    assert sorted(summary['blackboard_left_out']) == ['ivo', 'jan', 'lars', 's1000003']
    assert summary['blackboard_column'].endswith("(autograder, practice profile — not the assignment's requirement)")
    assert uploaded['alice'] == '10.0' and uploaded['s1000001'] == f'{book[("s1000001", "2024-06-23-22-00-00")].grade:.1f}'
    for (student, attempt), record in book.items():
        folder = submission_folder(out, Attempt(student, attempt, Path('.'), record.checksum))
        assert folder == out / 'submissions' / safe_name(student) / (attempt or 'single')
        results = json.loads((folder / 'results.json').read_text())
        assert results['score'] == record.points and len(results['tests']) == 22
        assert (folder / 'grading.json').read_text() == record.results_json
        assert not (folder / 'workspace').exists()
    summary_file = json.loads((out / 'summary.json').read_text())
    assert summary_file['counts'] == summary['counts']
    with sqlite3.connect(out / 'gradebook.sqlite') as db:
        assert db.execute('PRAGMA journal_mode').fetchone()[0] == 'wal'
        columns = [row[1] for row in db.execute('PRAGMA table_info(results)')]
        assert columns[:3] == ['assignment', 'student', 'attempt'] and 'results_json' in columns
    dashboard = (out / 'dashboard.html').read_text()
    assert 'alice' in dashboard and 'submissions/alice/single/report' in dashboard


def test_the_similarity_report_flags_the_near_copy(graded_class):
    summary, out = graded_class
    report = json.loads((out / 'similarity.json').read_text())
    pairs = {frozenset((p['a'], p['b'])): p for p in report['pairs']}
    assert pairs[frozenset(('alice', 'dana'))]['suspicious']
    assert pairs[frozenset(('alice', 'dana'))]['regions']
    independent = [p['score'] for key, p in pairs.items() if key & {'eve', 'finn'}]
    assert max(independent) < pairs[frozenset(('alice', 'dana'))]['score']
    assert max(independent) < 0.5
    notes = {s['name']: s['note'] for s in report['submissions']}
    assert notes['ivo'].startswith('not accepted') and notes['kim'] == 'no module'
    assert (out / 'similarity.html').is_file() and summary['files']['similarity'] == 'similarity.html'


def test_rerunning_the_same_command_grades_nothing(graded_class, cheap, class_folder):
    summary, out = graded_class
    folder, _ = cheap
    before = records(out)
    grades_csv = (out / 'grades.csv').read_text()
    again = run_batch(class_folder, out, BatchOptions(profile='quick', assignment=str(folder), jobs=2, progress=False))
    assert again['counts'] == {'graded': 0, 'failed': 0, 'skipped': 20, 'rejected': 0}
    after = records(out)
    assert {k: (r.finished, r.runs) for k, r in after.items()} == {k: (r.finished, r.runs) for k, r in before.items()}
    assert (out / 'grades.csv').read_text() == grades_csv     # rewritten from the gradebook, the same
    assert len(Gradebook(out / 'gradebook.sqlite').batches()) == 2


# ------------------------------------------------------------------- resume and changes

def test_a_changed_submission_is_regraded_and_regrade_forces(cheap, tmp_path):
    folder, _ = cheap
    inbox = tmp_path / 'in'
    inbox.mkdir()
    for name in ('a', 'b', 'c'):
        (inbox / f'{name}.zip').write_bytes(b'not a zip ' + name.encode())
    out = tmp_path / 'out'
    options = BatchOptions(profile='quick', assignment=str(folder), jobs=2, progress=False, similarity=False)
    first = run_batch(inbox, out, options)
    assert first['counts']['graded'] == 3
    (inbox / 'b.zip').write_bytes(b'not a zip either')
    second = run_batch(inbox, out, options)
    assert second['counts'] == {'graded': 1, 'failed': 0, 'skipped': 2, 'rejected': 1}
    book = records(out)
    assert book[('b', '')].runs == 2 and book[('a', '')].runs == 1
    history = Gradebook(out / 'gradebook.sqlite').history()
    assert [(h['student'], h['runs']) for h in history] == [('b', 1)]
    # --regrade grades everything again
    third = run_batch(inbox, out, BatchOptions(profile='quick', assignment=str(folder), jobs=2, progress=False, similarity=False,
                                               regrade=True))
    assert third['counts']['graded'] == 3 and records(out)[('a', '')].runs == 2


WRAPPER = r'''
import os, signal, sys, time
args = sys.argv[1:]
student = args[args.index('--student') + 1]
out = args[args.index('--out') + 1]
if 'hang' in student:
    time.sleep(3600)
if 'crash' in student:
    os.kill(os.getpid(), signal.SIGKILL)
if 'garbage' in student:
    os.makedirs(out, exist_ok=True)
    open(os.path.join(out, 'grading.json'), 'w').write('{not json')
    sys.exit(0)
if 'exit' in student:
    print('something broke', file=sys.stderr)
    sys.exit(3)
from autograder.batch.grading_job import main
sys.exit(main(args))
'''


def test_failures_hangs_and_crashes_never_stop_the_batch(cheap, tmp_path):
    folder, _ = cheap
    inbox = tmp_path / 'in'
    inbox.mkdir()
    for name in ('hang', 'crash', 'garbage', 'exit', 'ok'):
        (inbox / f'{name}.zip').write_bytes(b'not a zip')
    wrapper = tmp_path / 'wrapper.py'
    wrapper.write_text(WRAPPER)
    out = tmp_path / 'out'
    options = BatchOptions(profile='quick', assignment=str(folder), jobs=2, progress=False, timeout=8,
                           worker_prefix=[sys.executable, str(wrapper)], blackboard_practice=True)
    started = time.monotonic()
    summary = run_batch(inbox, out, options)
    assert time.monotonic() - started < 90
    assert summary['counts']['failed'] == 4 and summary['counts']['graded'] == 1
    book = records(out)
    assert book[('ok', '')].status == GRADED
    errors = {student: book[(student, '')].error for student in ('hang', 'crash', 'garbage', 'exit')}
    assert 'timeout of 8 s' in errors['hang']
    assert 'SIGKILL' in errors['crash']
    assert 'grading.json cannot be read' in errors['garbage']
    assert 'exited with code 3' in errors['exit'] and 'something broke' in errors['exit']
    assert all(book[(s, '')].status == FAILED and book[(s, '')].results_json is None for s in errors)
    table = {row['student']: row for row in rows(out)}
    assert table['hang']['status'] == 'failed' and table['hang']['grade'] == ''
    assert summary['warnings'] == []            # the dashboard took the failed ones too
    upload = dict(csv.reader((out / 'blackboard-grades.csv').read_text().splitlines()[1:]))
    assert book[('ok', '')].rejected                   # 'not a zip': graded, rejected, so no grade to upload
    assert upload == {} and sorted(summary['blackboard_left_out']) == ['crash', 'exit', 'garbage', 'hang', 'ok']
    # a re-run retries the failed ones only
    again = run_batch(inbox, out, BatchOptions(profile='quick', assignment=str(folder), jobs=2, progress=False, timeout=5,
                                               worker_prefix=[sys.executable, str(wrapper)]))
    assert again['counts']['skipped'] == 1 and again['counts']['failed'] == 4
    assert records(out)[('crash', '')].runs == 2 and records(out)[('ok', '')].runs == 1


def _graded_rows(database: Path) -> int:
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f'file:{database}?mode=ro', uri=True, timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    except sqlite3.Error:
        return 0


def _workers_of(out: Path) -> list[int]:
    found = []
    for proc in Path('/proc').iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / 'cmdline').read_bytes().replace(b'\0', b' ').decode(errors='replace')
            except OSError:
                continue
            if 'autograder.batch.grading_job' in cmdline and str(out) in cmdline:
                found.append(int(proc.name))
    return found


def test_sigkill_midway_loses_and_duplicates_nothing(cheap, tmp_path):
    folder, settings = cheap
    importing = example_files(settings, 'flawed-import-error')
    inbox = tmp_path / 'in'
    inbox.mkdir()
    for number in range(8):
        write_zip(inbox / f'student{number}.zip', importing)
    out = tmp_path / 'out'
    argv = [sys.executable, '-m', 'autograder', 'batch', str(inbox), '--assignment', str(folder), '--out', str(out),
            '--jobs', '1', '--quiet', '--no-similarity', '--profile', 'quick']
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while _graded_rows(out / 'gradebook.sqlite') < 2:
        assert process.poll() is None, 'the batch ended before it could be killed'
        assert time.monotonic() < deadline
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    committed = records(out)
    assert 2 <= len(committed) < 8
    # the grading that was running died with the batch (PR_SET_PDEATHSIG)
    for _ in range(50):
        if not _workers_of(out):
            break
        time.sleep(0.1)
    assert _workers_of(out) == []
    summary = run_batch(inbox, out, BatchOptions(profile='quick', assignment=str(folder), jobs=2, progress=False, similarity=False))
    assert summary['counts']['skipped'] == len(committed)
    assert summary['counts']['graded'] == 8 - len(committed)
    final = records(out)
    assert sorted(final) == sorted((f'student{n}', '') for n in range(8))
    with sqlite3.connect(out / 'gradebook.sqlite') as db:
        assert db.execute('SELECT COUNT(*), COUNT(DISTINCT student) FROM results').fetchone() == (8, 8)
        assert db.execute('SELECT COUNT(*) FROM history').fetchone()[0] == 0
    for key, record in committed.items():
        assert (final[key].finished, final[key].runs, final[key].batch) == (record.finished, 1, record.batch)
    assert all(r.status == GRADED and r.runs == 1 for r in final.values())
    assert len({r.grade for r in final.values()}) == 1
    assert len(rows(out)) == 8 and not (out / '.work').exists()


def test_one_batch_at_a_time_per_output_folder(cheap, tmp_path):
    from autograder.batch.orchestrate import BatchError, _Lock
    out = tmp_path / 'out'
    out.mkdir()
    with _Lock(out):
        with pytest.raises(BatchError, match='another batch is running'):
            run_batch(tmp_path, out, BatchOptions(profile='quick', assignment=str(cheap[0]), progress=False))


# --------------------------------------------------------------------------- the inbox

def test_a_blackboard_bulk_zip_becomes_attempts(tmp_path):
    bulk = tmp_path / 'gradebook_Eindopdracht.zip'
    a1 = f'{BB}_s1_attempt_2024-06-20-10-00-00'
    a2 = f'{BB}_s1_attempt_2024-06-23-22-00-00'
    b1 = f'{BB}_jan.de.vries_attempt_2024-06-22-09-30-00'
    write_zip(bulk, {f'{a1}_model.py': b'x = 1\n', f'{a1}.txt': b'receipt',
                     f'{a2}_{BB}.zip': b'PK...', f'{a2}.txt': b'receipt',
                     f'{b1}_model.py': b'y = 2\n', f'{b1}_{BB}.ipynb': b'{}', f'{b1}.txt': b'receipt'})
    digest = bulk.read_bytes()
    inbox = read_inbox(bulk, tmp_path / 'out' / 'inbox')
    assert bulk.read_bytes() == digest
    assert [(a.student, a.attempt) for a in inbox.attempts] == [('jan.de.vries', '2024-06-22-09-30-00'),
                                                                ('s1', '2024-06-23-22-00-00')]
    assert len(inbox.found) == 3
    jan = inbox.attempts[0]
    assert sorted(p.name for p in jan.source.iterdir()) == sorted([f'{b1}_model.py', f'{b1}_{BB}.ipynb', f'{b1}.txt'])
    assert jan.source.is_relative_to(tmp_path / 'out' / 'inbox')
    # the checksum is what intake computes for the attempt's folder
    from autograder.intake.receive import SubmissionSpec, intake
    assert intake(jan.source, tmp_path / 'ws', SubmissionSpec()).checksum == jan.checksum
    # the same input again: the same attempts, staged once
    again = read_inbox(bulk, tmp_path / 'out' / 'inbox')
    assert [(a.key, a.checksum) for a in again.attempts] == [(a.key, a.checksum) for a in inbox.attempts]
    first = read_inbox(bulk, tmp_path / 'out' / 'inbox', policy='first')
    assert [a.key for a in first.attempts] == [('jan.de.vries', '2024-06-22-09-30-00'), ('s1', '2024-06-20-10-00-00')]
    assert len(read_inbox(bulk, tmp_path / 'out' / 'inbox', policy='all').attempts) == 3
    assert inbox.counted()['s1'].attempt == '2024-06-23-22-00-00'


def test_a_zip_of_a_class_folder_and_name_clashes(tmp_path):
    bulk = tmp_path / 'class.zip'
    write_zip(bulk, {'Class/amy.zip': b'PK', 'Class/amy/model.py': b'x = 1\n', 'Class/ben.py': b'y = 1\n',
                     '__MACOSX/Class/._amy.zip': b'junk'})
    inbox = read_inbox(bulk, tmp_path / 'out')
    assert sorted(a.student for a in inbox.attempts) == ['amy', 'amy.zip', 'ben']
    assert any("both name student 'amy'" in note for note in inbox.notes)


def test_the_output_folder_may_not_lie_inside_the_input(tmp_path):
    from autograder.batch.inbox import InboxError
    with pytest.raises(InboxError, match='inside the input'):
        read_inbox(tmp_path, tmp_path / 'out' / 'inbox')


# ------------------------------------------------------------------------ the gradebook

def _record(**changes) -> Record:
    values = dict(assignment='a', student='s', attempt='', source='s.zip', checksum='c1', profile='quick',
                  settings_fingerprint='f', grader_version='1', status=GRADED, grade=7.5, results_json='{}')
    values.update(changes)
    return Record(**values)


def test_gradebook_commit_history_and_currency(tmp_path):
    with Gradebook(tmp_path / 'g.sqlite') as book:
        first = book.commit(_record())
        assert first.runs == 1
        assert Gradebook.is_current(book.get('a', 's', ''), checksum='c1', profile='quick', fingerprint='f',
                                    grader_version='1')
        for change in ({'checksum': 'c2'}, {'profile': 'full'}, {'fingerprint': 'g'}, {'grader_version': '2'}):
            arguments = {'checksum': 'c1', 'profile': 'quick', 'fingerprint': 'f', 'grader_version': '1', **change}
            assert not Gradebook.is_current(book.get('a', 's', ''), **arguments)
        second = book.commit(_record(checksum='c2', grade=8.0))
        assert second.runs == 2 and book.get('a', 's', '').grade == 8.0
        assert [(h['checksum'], h['grade']) for h in book.history()] == [('c1', 7.5)]
        book.commit(_record(student='t', status=FAILED, grade=None, results_json=None, error='boom'))
        assert not Gradebook.is_current(book.get('a', 't', ''), checksum='c1', profile='quick', fingerprint='f',
                                        grader_version='1')
        with pytest.raises(sqlite3.IntegrityError):
            book.commit(_record(student='u', status='done'))
        assert book.get('a', 'u', '') is None          # the failed transaction left nothing
        assert len(book.records()) == 2


def test_both_editions_in_one_gradebook_stay_apart(tmp_path):
    """A term's two editions graded into one output folder: one gradebook keyed by assignment,
    each edition's submissions and exports in its own place, each resumes on its own."""
    from autograder.settings import load_settings
    from helpers.hand_ins import make_cheap_assignment
    out = tmp_path / 'term'
    summaries, inboxes = {}, {}
    for edition in ('eindopdracht-v2324.2', 'eindopdracht-v2324.1'):
        folder = make_cheap_assignment(tmp_path / 'settings', edition)
        inbox = tmp_path / f'in-{edition}'
        inbox.mkdir()
        write_zip(inbox / 'alice.zip', example_files(load_settings(folder), 'reference'))   # the same student
        inboxes[edition] = (inbox, folder)
        summaries[edition] = run_batch(inbox, out, BatchOptions(profile='quick', assignment=str(folder), jobs=1, progress=False,
                                                                similarity=False))
    book = Gradebook(out / 'gradebook.sqlite')
    assert {r.assignment for r in book.records()} == {'eindopdracht-v2324.2', 'eindopdracht-v2324.1'}
    for edition in summaries:
        [record] = book.records(edition)
        assert record.student == 'alice' and record.status == GRADED
        assert record.document['assignment']['id'] == edition
    second = out / 'assignments' / 'eindopdracht-v2324.1'
    assert (out / 'grades.csv').is_file() and (second / 'grades.csv').is_file()
    assert (out / 'submissions' / 'alice' / 'single' / 'grading.json').is_file()
    assert (second / 'submissions' / 'alice' / 'single' / 'grading.json').is_file()
    first_doc = json.loads((out / 'submissions' / 'alice' / 'single' / 'grading.json').read_text())
    assert first_doc['assignment']['id'] == 'eindopdracht-v2324.2'      # not replaced by the other edition
    assert 'Eindopdracht Advanced Datamining 2023-2024, 2e gelegenheid' in (out / 'dashboard.html').read_text()
    assert 'Eindopdracht Advanced Datamining 2023-2024<' in (second / 'dashboard.html').read_text()
    inbox, folder = inboxes['eindopdracht-v2324.2']
    again = run_batch(inbox, out, BatchOptions(profile='quick', assignment=str(folder), jobs=1, progress=False, similarity=False))
    assert again['counts']['skipped'] == 1 and again['counts']['graded'] == 0

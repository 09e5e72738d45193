"""An instructor's grading day (issue 23), the parts that need no batch: `grade` and `batch`
grade against the assignment's requirement unless told otherwise; a practice grade says so
wherever a grade is shown; an attempt with nothing to grade is rejected and has no grade in
the exports; the dashboard lists who handed in nothing and counts mistakes per student."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from helpers.html import soup, text
from test_report import synthetic_document

from autograder.batch.exports import (PracticeGradebook, Row, summary_lines, write_blackboard_csv,
                                      write_grades_csv)
from autograder.batch.gradebook import GRADED, Record
from autograder.batch.inbox import Attempt
from autograder.cli import build_parser
from autograder.grade import GradeOptions, grade
from autograder.report import render_student, write_dashboard
from autograder.report.summary import render_summary
from autograder.results.gradescope_json import gradescope_results
from autograder.settings import load_settings

PRACTICE_EN = "practice profile — not the assignment's requirement"
PRACTICE_NL = 'oefenprofiel — niet de eis van de opdracht'
SETTINGS = load_settings('eindopdracht-v2324.2')


@pytest.mark.parametrize('command', ['grade', 'batch'])
def test_grade_and_batch_default_to_the_assignments_requirement(command, capsys):
    parser = build_parser()
    args = parser.parse_args([command, 'x.zip', '--out', 'o'])
    assert args.profile == 'full'
    with pytest.raises(SystemExit):
        parser.parse_args([command, '--help'])
    assert 'default: full' in ' '.join(capsys.readouterr().out.split())
    assert parser.parse_args(['check']).profile == 'quick'          # a student's self-check stays quick


def test_a_practice_grade_says_so_in_the_report_summary_and_gradescope():
    document = synthetic_document()                         # graded with the quick profile
    assert document['profile'] == 'quick' and document['score']['grade'] is not None
    page = soup(render_student(document))
    assert text(page.find(attrs={'data-testid': 'practice'})) == PRACTICE_EN
    assert PRACTICE_EN in next(line for line in render_summary(document).splitlines() if line.startswith('Total:'))
    assert gradescope_results(document)['output'].endswith(f'— {PRACTICE_EN}')
    dutch = {**document, 'language': 'nl'}
    assert text(soup(render_student(dutch)).find(attrs={'data-testid': 'practice'})) == PRACTICE_NL
    full = {**document, 'profile': 'full'}
    assert soup(render_student(full)).find(attrs={'data-testid': 'practice'}) is None
    assert 'practice' not in render_summary(full) and 'practice' not in gradescope_results(full)['output']


def test_a_hand_in_of_only_a_receipt_is_rejected_with_its_reason(tmp_path):
    folder = tmp_path / 'hand-in'
    folder.mkdir()
    receipt = 'Eindopdracht_v2324.2_s1000003_attempt_2024-06-21-08-00-00.txt'
    (folder / receipt).write_text('Name: Student Three\n')
    document = grade(folder, SETTINGS, tmp_path / 'out', GradeOptions(progress=False))
    reason = document['submission']['rejected']
    assert reason == ("Nothing to grade: the hand-in holds neither the module ('model.py') nor the notebook "
                      f"('Eindopdracht_v2324.2.ipynb'); it holds only '{receipt}'.")
    assert document['submission']['student'] == 's1000003'
    assert all(c['status'] == 'error' and c['points'] == 0 for c in document['checks'])
    assert all(reason in c['message'] for c in document['checks'])
    assert 'Rejected, no grade: Nothing to grade' in render_summary(document)
    assert text(soup(render_student(document)).find(attrs={'data-testid': 'grade'})) == '—'
    assert gradescope_results(document)['output'].startswith(f'Rejected, no grade: {reason}')


def _record(student: str, *, grade: float | None, rejected: str | None = None, profile: str = 'quick') -> Record:
    return Record(assignment='a', student=student, attempt='', source=f'{student}.zip', checksum='c' * 64,
                  profile=profile, settings_fingerprint='f', grader_version='0', status=GRADED,
                  rejected=rejected, points=0.0 if rejected else 50.0, max_points=100.0, grade=grade, passed=0)


def _rows(profile: str = 'quick') -> list[Row]:
    return [Row(Attempt(name, '', Path(f'{name}.zip'), 'c' * 64, (f'{name}.zip',)), record, True)
            for name, record in (('anna', _record('anna', grade=5.5, profile=profile)),
                                 ('bo', _record('bo', grade=1.0, rejected='Nothing to grade: ...', profile=profile)))]


def test_exports_give_no_grade_for_nothing_and_label_practice_grades(tmp_path):
    table = {r['student']: r for r in csv.DictReader(io.StringIO(
        write_grades_csv(_rows(), tmp_path / 'grades.csv').read_text(encoding='utf-8')))}
    assert (table['anna']['grade'], table['anna']['grade_note']) == ('5.5', PRACTICE_EN)
    assert (table['bo']['grade'], table['bo']['grade_note']) == ('', 'rejected: nothing gradable handed in')
    assert table['bo']['rejected'] == 'Nothing to grade: ...'
    with_value = {r['student']: r for r in csv.DictReader(io.StringIO(
        write_grades_csv(_rows(), tmp_path / 'g2.csv', rejected_grade=1.0).read_text(encoding='utf-8')))}
    assert with_value['bo']['grade'] == '1.0'          # only when the settings name a value
    # Blackboard: a practice gradebook is refused unless asked for; nothing is a left-out, not a 1.0
    with pytest.raises(PracticeGradebook, match='practice profile quick'):
        write_blackboard_csv(_rows(), tmp_path / 'bb.csv', 'Eindopdracht')
    assert not (tmp_path / 'bb.csv').exists()
    path, left_out = write_blackboard_csv(_rows(), tmp_path / 'bb.csv', 'Eindopdracht', allow_practice=True)
    assert path.read_text().splitlines() == ['"Username","Eindopdracht"', '"anna","5.5"'] and left_out == ['bo']
    path, left_out = write_blackboard_csv(_rows('full'), tmp_path / 'full.csv', 'Eindopdracht', rejected_grade=1.0)
    assert path.read_text().splitlines()[1:] == ['"anna","5.5"', '"bo","1.0"'] and left_out == []


def test_the_terminal_summary_names_practice_rejections_and_a_refused_upload():
    summary = {'assignment': 'a', 'profile': 'quick', 'practice': PRACTICE_EN, 'runner': '2 local processes',
               'attempts': 2, 'students': 2, 'seconds': 12.0,
               'counts': {'graded': 2, 'failed': 0, 'skipped': 0, 'rejected': 1},
               'grades': {'n': 1, 'mean': 5.5, 'median': 5.5, 'passed': 1, 'histogram': {'5-6': 1}},
               'rejected': [{'student': 'bo', 'attempt': '2024-06-21-08-00-00', 'reason': 'Nothing to grade: ...'}],
               'blackboard_refused': 'the grades were graded with the practice profile quick ...'}
    lines = summary_lines(summary)
    assert lines[0].startswith(f'Batch a (quick profile — {PRACTICE_EN}) on 2 local processes')
    assert f'grades of 1 student(s) — {PRACTICE_EN}' in lines[2]
    assert '  rejected, no grade (1: nothing gradable handed in):' in lines
    assert '    bo 2024-06-21-08-00-00: Nothing to grade: ...' in lines
    assert any(line.startswith('  Blackboard upload: the grades were graded with the practice') for line in lines)


def test_the_dashboard_lists_who_handed_in_nothing_and_counts_students(tmp_path):
    anna, bo = synthetic_document(), synthetic_document(student='Bakker, Bo', source='bo.zip')
    nothing = synthetic_document(student='s1000003', source='receipt', rejected='Nothing to grade: only a receipt')
    html = write_dashboard([anna, bo, nothing], tmp_path).read_text(encoding='utf-8')
    page = soup(html)
    assert text(page.find(attrs={'data-testid': 'practice'})).startswith(f'· {PRACTICE_EN}: these grades come from the profile quick')
    rejected = page.find(attrs={'data-testid': 'rejected'}).find_all('li')
    assert [text(li) for li in rejected] == ['s1000003 — Nothing to grade: only a receipt']
    common = page.find(attrs={'data-testid': 'common-failures'}).find_all('li')
    assert text(common[0]).startswith('2×')          # two students; the rejected attempt is left out
    assert all('s1000003' not in text(li) for li in common)
    row = next(tr for tr in page.find(id='students').tbody.find_all('tr') if 's1000003' in text(tr.td))
    assert text(row.find_all('td')[1]) == '—'
    full = [{**d, 'profile': 'full'} for d in (anna, bo)]
    assert soup(write_dashboard(full, tmp_path / 'f').read_text()).find(attrs={'data-testid': 'practice'}) is None


def test_the_batch_status_file_is_json_written_atomically(tmp_path):
    from autograder.batch.progress import BatchProgress
    counts = {'graded': 1, 'failed': 0, 'skipped': 3, 'rejected': 0}
    with BatchProgress(tmp_path / 'status.json', counts, enabled=False, facts={'assignment': 'a'}) as progress:
        first = json.loads((tmp_path / 'status.json').read_text())
        assert first['state'] == 'preparing' and first['assignment'] == 'a' and first['skipped'] == 3
        progress.grading(2, lambda: [{'student': 'anna', 'attempt': '', 'step': 'notebook', 'seconds': 4.0}])
        progress.one_done()
        status = json.loads((tmp_path / 'status.json').read_text())
        assert (status['state'], status['total'], status['done']) == ('grading', 2, 1)
        assert status['running'] == [{'student': 'anna', 'attempt': '', 'step': 'notebook', 'seconds': 4.0}]
        progress.finished()
    assert json.loads((tmp_path / 'status.json').read_text())['state'] == 'finished'
    assert [p.name for p in tmp_path.iterdir()] == ['status.json']         # no temporary file left


def test_numbers_are_written_once_per_language():
    """One card used to mix the checks' "64,8%" with the report's "64.8 %"."""
    import re
    from helpers.html import article
    document = synthetic_document()
    english = text(article(render_student(document), 'partb.accuracy'))
    dutch_html = render_student({**document, 'language': 'nl'})
    dutch = text(article(dutch_html, 'partb.accuracy'))
    assert '74.0%' in english and '74,0%' in dutch
    for card in (english, dutch):
        assert not re.search(r'\d %', card), card                  # never "64.8 %"
    assert 'accuracy 80,0% minimum (vereist) 70% doel (alle punten) 80%' in dutch
    time_card = text(article(dutch_html, 'partb.time'))
    assert 'hier gemeten 7,0 min snelheidsfactor 0,90×' in time_card and '6,3 min genormaliseerd: 126% van de limiet' in time_card


def test_the_student_field_shows_the_hand_in_when_no_student_is_known():
    page = soup(render_student(synthetic_document(student=None, source='Eindopdracht_v2324.2.zip')))
    assert text(page.find(attrs={'data-testid': 'student'})) == 'Eindopdracht_v2324.2.zip'
    page = soup(render_student(synthetic_document()))
    assert text(page.find(attrs={'data-testid': 'student'})) == 'Jansen, Anna'


def test_the_edition_comes_from_the_hand_in(tmp_path):
    """`check` and `grade` without --assignment: the notebook's metadata (the template writes
    it), else its file name (a Blackboard prefix taken off), else the default edition."""
    from helpers.zips import write_zip
    from autograder.notebook.edition import edition_of
    marked = json.dumps({'cells': [], 'metadata': {'autograder': {'assignment': 'eindopdracht-v2324.1'}}})
    write_zip(tmp_path / 'renamed.zip', {'Work/mijn notebook.ipynb': marked.encode(), 'Work/model.py': b'x = 1\n'})
    edition = edition_of(tmp_path / 'renamed.zip')
    assert edition.settings.id == 'eindopdracht-v2324.1'
    assert edition.reason == "the notebook 'mijn notebook.ipynb' names it"
    folder = tmp_path / 'blackboard'
    folder.mkdir()
    (folder / 'Eindopdracht_v2324.1_s1_attempt_2024-06-21-08-00-00_Eindopdracht_v2324.1.ipynb').write_text('{}')
    edition = edition_of(folder)
    assert (edition.settings.id, edition.reason) == ('eindopdracht-v2324.1',
                                                     "the notebook is named 'Eindopdracht_v2324.1.ipynb'")
    (tmp_path / 'only-module').mkdir()
    edition = edition_of(tmp_path / 'only-module')
    assert (edition.settings.id, edition.reason) == ('eindopdracht-v2324.2', 'no notebook names an edition; the default')
    (tmp_path / 'broken.zip').write_bytes(b'not a zip')
    assert edition_of(tmp_path / 'broken.zip').settings.id == 'eindopdracht-v2324.2'

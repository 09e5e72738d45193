"""What a batch hands on: grades.csv, the Blackboard Grade Center upload file, per-submission
Gradescope results.json, and the summary. Every file is written to a temporary name and
renamed, so a reader never sees half of one.

grades.csv (UTF-8, comma-separated, one row per graded attempt of this batch's input):
  student, attempt, counted, status, grade, grade_note, points, max_points, passed, rejected,
  error, checksum, profile, grader_version, seconds, finished, report, source, review
A rejected attempt (nothing gradable handed in) has no grade, or the assignment's
`grading.rejected_grade`; `grade_note` says why a grade is not the assignment's (a practice
profile) or why there is none.
(review: the review flags of the results, "title: evidence" joined by " | "; empty when none;
they never changed the grade, see review/flags.py)

blackboard-grades.csv: Blackboard Learn's Grade Center upload ("Work Offline → Upload"): a
header row, every value in double quotes, the column `Username` (the Blackboard user name,
which the bulk download's file names carry) and one grade column. Its header is either the
header of an existing column as Blackboard's own download writes it, ending in
`|<column id>` (e.g. `Eindopdracht [Total Pts: 10 Score] |1234567`): the grades go into that
column; or any other name: Blackboard creates a new column (a text column with 0 points
possible; change its type after the upload). Only counted attempts with a grade are listed:
an attempt whose grading failed (no results) is left out, so an upload never overwrites a
grade with nothing; the batch summary lists them. So are rejected attempts, unless the
settings name a grade for them (`grading.rejected_grade`). A gradebook graded with a practice
profile (`quick`) is refused unless asked for explicitly (`allow_practice`, the batch's
`--blackboard-practice`): its grades are not the assignment's.

No cell of either can run as a spreadsheet formula: names and texts go through
`spreadsheet.safe_cell` (a leading `=`, `+`, `-` or `@` gets a quote; control characters go).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import _
from ..report.formatting import first_line
from ..results.practice import is_practice, practice_label
from ..results import write_text_atomic
from .gradebook import GRADED, Record
from .inbox import Attempt
from .spreadsheet import safe_writer

__all__ = ['Row', 'write_grades_csv', 'write_blackboard_csv', 'GRADES_COLUMNS',
           'grade_text', 'PracticeGradebook', 'exported_grade', 'review_text']

GRADES_COLUMNS = ('student', 'attempt', 'counted', 'status', 'grade', 'grade_note', 'points', 'max_points', 'passed',
                  'rejected', 'error', 'checksum', 'profile', 'grader_version', 'seconds', 'finished',
                  'report', 'source', 'review')


@dataclass
class Row:
    attempt: Attempt
    record: Record | None         # None: not graded (yet)
    counted: bool                 # the attempt that counts for the student
    report: str = ''              # the instructor report, relative to the output folder


class PracticeGradebook(ValueError):
    """The grades come from a practice profile: not for upload unless asked for."""


def grade_text(value: float | None) -> str:
    return '' if value is None else f'{value:.1f}'


def exported_grade(record: Record, rejected_grade: float | None = None) -> float | None:
    """The grade an export gives: none for a failed grading; for a rejected attempt none, or
    the value the settings name — never the scale's minimum that zero points would give."""
    if record.status != GRADED:
        return None
    if record.rejected:
        return rejected_grade
    return record.grade


def _grade_note(record: Record) -> str:
    if record.status == GRADED and record.rejected:
        return _('rejected: nothing gradable handed in')
    return practice_label(record.profile) if record.status == GRADED else ''


def write_grades_csv(rows: list[Row], path: Path, *, rejected_grade: float | None = None) -> Path:
    buffer = io.StringIO()
    writer = safe_writer(buffer, lineterminator='\r\n')
    writer.writerow(GRADES_COLUMNS)
    for row in rows:
        record = row.record
        a = row.attempt
        if record is None:
            cells = dict.fromkeys(GRADES_COLUMNS, '')
            cells.update(student=a.student, attempt=a.attempt, counted='yes' if row.counted else 'no',
                         status='not graded', source=' + '.join(a.entries))
            writer.writerow(cells.values())
            continue
        writer.writerow([
            a.student, a.attempt, 'yes' if row.counted else 'no', record.status,
            grade_text(exported_grade(record, rejected_grade)), _grade_note(record),
            '' if record.points is None else f'{record.points:g}',
            '' if record.max_points is None else f'{record.max_points:g}',
            '' if record.passed is None else ('yes' if record.passed else 'no'),
            first_line(record.rejected, 300), first_line(record.error, 300), record.checksum, record.profile,
            record.grader_version, '' if record.seconds is None else f'{record.seconds:.1f}',
            record.finished or '', row.report, ' + '.join(a.entries), review_text(record)])
    return write_text_atomic(path, buffer.getvalue())


def review_text(record: Record) -> str:
    """The flags that ask for a look, as one cell: "title: evidence | …"."""
    try:
        document = record.document or {}
    except ValueError:
        return ''
    return ' | '.join(first_line(f"{f.get('title', '')}: {f.get('evidence', '')}", 400)
                      for f in document.get('review') or [] if isinstance(f, dict) and not f.get('note'))


def write_blackboard_csv(rows: list[Row], path: Path, column: str, *, allow_practice: bool = False,
                         rejected_grade: float | None = None) -> tuple[Path, list[str]]:
    """The upload file; returns it and the students left out (no grade). Raises
    PracticeGradebook for practice grades unless `allow_practice`."""
    practice = sorted({row.record.profile for row in rows if row.counted and row.record is not None
                       and row.record.status == GRADED and is_practice(row.record.profile)})
    if practice and not allow_practice:
        raise PracticeGradebook(
            f"the grades were graded with the practice profile {', '.join(practice)}, not the assignment's "
            'requirement (full): no Blackboard upload file was written. Grade with --profile full, or pass '
            '--blackboard-practice to write one anyway')
    buffer = io.StringIO()
    writer = safe_writer(buffer, quoting=csv.QUOTE_ALL, lineterminator='\r\n')
    writer.writerow(['Username', column])
    left_out = []
    for row in rows:
        if not row.counted:
            continue
        record = row.record
        grade = None if record is None else exported_grade(record, rejected_grade)
        if grade is None:
            left_out.append(row.attempt.student)
            continue
        writer.writerow([row.attempt.student, grade_text(grade)])
    return write_text_atomic(path, buffer.getvalue()), left_out


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The final summary as text lines (for the terminal)."""
    counts = summary['counts']
    practice = f" — {summary['practice']}" if summary.get('practice') else ''
    lines = [f"Batch {summary['assignment']} ({summary['profile']} profile{practice}) on {summary['runner']}: "
             f"{summary['attempts']} attempt(s) of {summary['students']} student(s) in {summary['seconds']:.0f} s",
             f"  graded now {counts['graded']}, failed {counts['failed']}, unchanged (skipped) {counts['skipped']}"
             + (f", rejected submissions {counts['rejected']}" if counts.get('rejected') else '')]
    grades = summary.get('grades') or {}
    if grades.get('n'):
        lines.append(f"  grades of {grades['n']} student(s){practice}: mean {grades['mean']:.1f}, "
                     f"median {grades['median']:.1f}, passed {grades['passed']}")
        histogram = grades.get('histogram') or {}
        top = max(histogram.values() or [1])
        for label, count in histogram.items():
            bar = '#' * round(30 * count / top) if count else ''
            lines.append(f'    {label:>5} | {bar} {count}')
    if summary.get('throughput_per_hour'):
        lines.append(f"  throughput {summary['throughput_per_hour']:.0f} submissions/hour")
    for failure in summary.get('failures', [])[:20]:
        lines.append(f"  FAILED {failure['student']} {failure['attempt']}: {failure['error']}")
    rejected = summary.get('rejected') or []
    if rejected:
        lines.append(f'  rejected, no grade ({len(rejected)}: nothing gradable handed in):')
        lines += [f"    {r['student']}{' ' + r['attempt'] if r['attempt'] else ''}: {r['reason']}" for r in rejected]
    if summary.get('blackboard_refused'):
        lines.append(f"  Blackboard upload: {summary['blackboard_refused']}")
    if summary.get('blackboard_left_out'):
        lines.append(f"  not in the Blackboard upload (no grade): {', '.join(summary['blackboard_left_out'])}")
    return lines

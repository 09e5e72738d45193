"""The results of grading one submission: its checks, its score, and how they are stored.

The results JSON is the only input of the reports, the gradebook and the Gradescope export.
A check carries `details` the student may see and `hidden` details only the instructor sees;
`student_view()` drops the latter.
"""
from .document import ERROR, FAIL, PARTIAL, PASS, SCHEMA, SKIPPED, STATUSES, Check, Results, student_view
from .store import json_safe, write_json_atomic, write_text_atomic

__all__ = ['Check', 'Results', 'student_view', 'json_safe', 'write_json_atomic', 'write_text_atomic',
           'SCHEMA', 'STATUSES', 'PASS', 'PARTIAL', 'FAIL', 'ERROR', 'SKIPPED']

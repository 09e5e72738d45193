"""Probes: raw values collected from a student's module in a separate process.

`runner.py` runs inside the student's (sandboxed) process and only reports what the
module returns; `tasks.py` decides what to ask; the checks compare, in the grader.
"""

"""Probes: raw values collected from a student's module in a separate process.

`vlgrader_probe/` (the runner) runs inside the student's (sandboxed) process and only
reports what the module returns; `request.py` decides what to ask, `collect.py` runs the
runner and reads its channel, `integrity.py` checks the records; the checks compare.
"""

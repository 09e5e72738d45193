"""Intake, the first step of grading: a submission becomes a workspace the checks can rely on.

receive.py copies a zip, folder or single file into a fresh workspace (the original is only
ever read; unpack.py holds the safety rules), repairs its shape (Blackboard names, a zip in
the zip, one enclosing folder) and locates the module, the notebook and the HTML export;
blackboard.py reads Blackboard's bulk-download names. Every repair is a Finding.
"""
from .receive import Finding, IntakeError, SubmissionSpec, Workspace, intake

__all__ = ['intake', 'Workspace', 'Finding', 'SubmissionSpec', 'IntakeError']

"""Sandbox for student code: the probe process and the notebook kernel alike.

On Linux with bubblewrap, student code runs as an unprivileged dedicated user without
capabilities, network or view of the grader's files, within resource limits; elsewhere it
runs with resource limits only, and a warning (see docs/security-model.md).

    result = run(['python', 'probe.py'], workspace=ws, limits=Limits(wall_seconds=30))
    data = read_workspace_file(ws, 'out.json', max_bytes=10**6)  # never follow links there
    with SandboxedKernelManager(workspace=ws, limits=limits) as km:
        ...      # a notebook client on km (autograder.notebook.client.BoundedNotebookClient)
"""
from .files import read_workspace_file
from .host import (SandboxError, SandboxUnavailable, UnsandboxedWarning, is_available, make_workspace,
                   sandbox_python)
from .limits import Limits
from .output import Output
from .process import RESULT_FD_ENV, RunResult, run

__all__ = ['Limits', 'Output', 'RESULT_FD_ENV', 'RunResult', 'SandboxError',
           'SandboxUnavailable', 'SandboxedKernelManager', 'UnsandboxedWarning', 'is_available',
           'make_workspace', 'read_workspace_file', 'run', 'sandbox_python']


def __getattr__(name: str):
    # jupyter_client is imported only by those who run notebooks
    if name == 'SandboxedKernelManager':
        from .kernel import SandboxedKernelManager
        return SandboxedKernelManager
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')

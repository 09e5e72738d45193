"""A kernel spec of our own for student notebooks, in a private folder.

A kernel spec (argv, env, interrupt_mode) is jupyter_client's own way to say how to start a
kernel, and nbclient asks a KernelManager for it by name; so the grader writes one into a
temporary folder instead of patching the manager's command line.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

__all__ = ['LAUNCHER', 'KERNEL_NAME', 'kernel_manager']

LAUNCHER = Path(__file__).with_name('launch.py')
KERNEL_NAME = 'vlearning-student'


def kernel_manager(argv: list[str], *, env: dict[str, str] | None = None,
                   interrupt_mode: str = 'signal', **manager_options) -> KernelManager:
    """A KernelManager that starts `argv` ({connection_file} is filled in by jupyter_client)."""
    folder = Path(tempfile.mkdtemp(prefix='kernelspec-'))
    spec_dir = folder / KERNEL_NAME
    spec_dir.mkdir()
    spec = {'argv': argv, 'display_name': 'Student notebook (autograder)', 'language': 'python',
            'interrupt_mode': interrupt_mode, 'env': env or {}}
    (spec_dir / 'kernel.json').write_text(json.dumps(spec))
    return KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(folder)]),
                         **manager_options)

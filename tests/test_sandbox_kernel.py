"""nbclient drives an ipykernel inside the sandbox: notebooks run as usual, escapes fail."""
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from autograder.sandbox import (Limits, SandboxedKernelManager, UnsandboxedWarning, is_available,
                                make_workspace)

AVAILABLE, WHY_NOT = is_available()
needs_bwrap = pytest.mark.skipif(not AVAILABLE, reason=f'no sandbox here: {WHY_NOT}')
LIMITS = Limits(memory_mb=1024, cpu_seconds=60, wall_seconds=60, output_bytes=4096)

pytestmark = pytest.mark.slow      # sandboxed Jupyter kernels


@pytest.fixture
def workspace():
    path = make_workspace()
    yield path
    shutil.rmtree(path, ignore_errors=True)


def notebook(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


def text(cell):
    return ''.join(o.get('text', '') + ''.join(o.get('traceback', [])) for o in cell.outputs)


@needs_bwrap
def test_notebook_runs_in_the_sandbox_and_cannot_escape(workspace):
    nb = notebook(
        'import os; print(os.getuid())',
        "try:\n    open('/work/main/README.md')\nexcept OSError as error:\n    print('blocked', error.strerror)",
        "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=3)\nexcept OSError as error:\n"
        "    print('offline', error.strerror)",
        "open('answer.txt', 'w').write('42')",
        'import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()',
        "hog = b'x' * 10**11",
        "print('still alive')",
    )
    with SandboxedKernelManager(workspace=workspace, limits=LIMITS) as km:
        NotebookClient(nb, km=km, timeout=30, allow_errors=True).execute()
        assert km.sandboxed and km.warning == ''
    assert km.exit_reason is None
    assert text(nb.cells[0]).strip() != '0'
    assert text(nb.cells[1]) == 'blocked No such file or directory\n'
    assert text(nb.cells[2]).startswith('offline ')
    assert not (workspace / 'answer.txt').exists()   # written to the sandbox's tmpfs copy only
    assert any('image/png' in o.get('data', {}) for o in nb.cells[4].outputs)  # inline figures work
    assert 'MemoryError' in text(nb.cells[5]) and text(nb.cells[6]) == 'still alive\n'
    assert not km.ipc_dir.exists()


@needs_bwrap
def test_interrupt_is_a_message_and_the_kernel_survives(workspace):
    nb = notebook('import time; time.sleep(60)', "print('after')")
    with SandboxedKernelManager(workspace=workspace, limits=LIMITS) as km:
        assert km.kernel_spec.interrupt_mode == 'message'
        NotebookClient(nb, km=km, timeout=3, interrupt_on_timeout=True, allow_errors=True).execute()
    assert 'KeyboardInterrupt' in text(nb.cells[0]) and text(nb.cells[1]) == 'after\n'


@needs_bwrap
def test_wall_clock_kills_the_kernel_and_says_so(workspace):
    nb = notebook('import subprocess, time\nsubprocess.Popen(["sleep", "60"])\ntime.sleep(60)')
    start = time.monotonic()
    with SandboxedKernelManager(workspace=workspace, limits=LIMITS.replace(wall_seconds=4)) as km:
        with pytest.raises(DeadKernelError):
            NotebookClient(nb, km=km, timeout=30).execute()
    assert time.monotonic() - start < 15
    assert 'wall-clock limit of 4 s' in km.exit_reason


def test_fallback_kernel_warns_and_runs(workspace):
    nb = notebook("print(6 * 7)")
    with pytest.warns(UnsandboxedWarning):
        with SandboxedKernelManager(workspace=workspace, limits=LIMITS, sandbox=False) as km:
            NotebookClient(nb, km=km, timeout=30).execute()
    assert not km.sandboxed and 'WITHOUT a sandbox' in km.warning
    assert text(nb.cells[0]) == '42\n'


@needs_bwrap
def test_cpu_limit_kills_the_kernel_and_says_so(workspace):
    nb = notebook('while True: pass')
    with SandboxedKernelManager(workspace=workspace, limits=LIMITS.replace(cpu_seconds=2)) as km:
        with pytest.raises(DeadKernelError):
            NotebookClient(nb, km=km, timeout=30).execute()
    assert 'CPU time limit of 2 s' in km.exit_reason


@needs_bwrap
def test_output_floods_stay_bounded_in_the_grader(workspace):
    from autograder.notebook.client import BoundedNotebookClient
    nb = notebook("for i in range(20000): print(i, 'x' * 100)", "print('next cell')")
    with SandboxedKernelManager(workspace=workspace, limits=LIMITS) as km:
        BoundedNotebookClient(nb, km=km, timeout=30, output_bytes=10_000).execute()
    kept = text(nb.cells[0])
    assert len(kept) < 20_000 and 'bytes of output cut (limit 10000 per cell)' in kept
    assert kept.endswith('19999 ' + 'x' * 100 + '\n')  # the tail survives
    assert text(nb.cells[1]) == 'next cell\n'


@needs_bwrap
def test_a_single_huge_message_is_refused(workspace):
    Path('/proc/self/clear_refs').write_text('5')      # VmHWM := the current RSS, so earlier tests' peaks do not hide this one
    before = _kib('VmHWM')
    nb = notebook("print('z' * 300_000_000)")
    with SandboxedKernelManager(workspace=workspace, limits=LIMITS.replace(memory_mb=2048)) as km:
        NotebookClient(nb, km=km, timeout=30, iopub_timeout=1).execute()
    assert text(nb.cells[0]) == ''  # dropped at the socket: never held by the grader
    assert _kib('VmHWM') - before < 200 << 10       # the 300 MB message was never held here


def _kib(field: str) -> int:
    line = next(line for line in Path('/proc/self/status').read_text().splitlines() if line.startswith(field + ':'))
    return int(line.split()[1])

"""Running the student's notebook: the workspace it runs in, the kernel (launched by path
inside the sandbox: `kernel_launcher.py`), the cells one at a time, static reading of cells."""
from pathlib import Path

LAUNCHER = Path(__file__).with_name('kernel_launcher.py')

__all__ = ['LAUNCHER']

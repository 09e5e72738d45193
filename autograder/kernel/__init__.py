"""Starting the student's kernel: `launch.py` is run by path inside the sandbox."""
from pathlib import Path

LAUNCHER = Path(__file__).with_name('launch.py')

__all__ = ['LAUNCHER']

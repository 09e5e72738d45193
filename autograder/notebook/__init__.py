"""Running the student's notebook: the workspace it runs in, the kernel (launched by path
inside the sandbox: `kernel_launcher.py`), the cells one at a time, static reading of cells;
and, from the student's side of Jupyter, the self-check (`from autograder.notebook import check`)."""
from pathlib import Path

LAUNCHER = Path(__file__).with_name('kernel_launcher.py')

__all__ = ['LAUNCHER', 'check']


def __getattr__(name: str):
    # the self-check is imported only by those who call it (a student's kernel)
    if name == 'check':
        from .self_check import check
        return check
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')

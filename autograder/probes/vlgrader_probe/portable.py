"""What the runner needs of the operating system, on POSIX and on Windows alike (a student's
self-check runs the probes on their own laptop): handing a pipe to a child process, reading
a pipe with a deadline, and a timer that interrupts a probe.

On POSIX a pipe is given by its descriptor (Popen's pass_fds) and read with select(); a
SIGALRM timer interrupts a call that does not answer. Windows has neither pass_fds, nor
select() on pipes, nor SIGALRM: there a pipe is given as an inheritable handle (the child
opens it with msvcrt), read by a thread, and a probe that does not answer is stopped by the
parent's deadline, which kills the worker (the next worker carries on with the next probe).
VLGRADER_PORTABLE=1 takes the Windows way of reading and timing on POSIX too (tests).
"""
import os
import queue
import signal
import threading

__all__ = ['WINDOWS', 'TIMERS', 'child_argument', 'open_argument', 'popen_passing', 'set_timer', 'Reader']

WINDOWS = os.name == 'nt'
PORTABLE = WINDOWS or os.environ.get('VLGRADER_PORTABLE') == '1'
TIMERS = hasattr(signal, 'setitimer') and not PORTABLE


def child_argument(fd):
    """How a child is told which pipe end is its: the descriptor, or on Windows the handle
    (made inheritable)."""
    if WINDOWS:
        import msvcrt
        handle = msvcrt.get_osfhandle(fd)
        os.set_handle_inheritable(handle, True)
        return str(handle)
    return str(fd)


def open_argument(text, mode):
    """The descriptor of a pipe end given by child_argument (mode: os.O_RDONLY or os.O_WRONLY)."""
    if WINDOWS:
        import msvcrt
        return msvcrt.open_osfhandle(int(text), mode)
    return int(text)


def popen_passing(fds):
    """Popen's arguments that let a child inherit exactly these pipe ends (on Windows: every
    inheritable handle, and only child_argument makes one inheritable)."""
    return {'close_fds': False} if WINDOWS else {'pass_fds': tuple(fds)}


def set_timer(seconds):
    """Interrupt the running code after `seconds` (0: cancel), where the OS can."""
    if TIMERS:
        signal.setitimer(signal.ITIMER_REAL, seconds)


def on_alarm_installed(handler):
    """Install the timer's handler where there is a timer."""
    if TIMERS:
        signal.signal(signal.SIGALRM, handler)


class Reader:
    """Reads a pipe with a deadline: read(timeout) → bytes, b'' at the end, None on timeout."""

    def __init__(self, fd):
        self.fd = fd
        self.chunks = None
        if PORTABLE:
            self.chunks = queue.Queue()
            threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                chunk = b''
            self.chunks.put(chunk)
            if not chunk:
                return

    def read(self, timeout):
        if self.chunks is not None:
            try:
                return self.chunks.get(timeout=max(0.0, timeout))
            except queue.Empty:
                return None
        import select
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        return os.read(self.fd, 1 << 16) if ready else None

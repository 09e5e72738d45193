"""The `Epochs completed` progress bar of fit(): tqdm when installed, else a small stand-in.

tqdm is optional (the course's module may only rely on the standard library); the
fallback prints the same kind of line to stderr.
"""
import sys
import time

__all__ = ['progress']

try:
    from tqdm import tqdm as _tqdm
except ImportError:  # pragma: no cover - exercised by the fallback test
    _tqdm = None


class _TextBar:
    """`desc: 40%|████      | 4/10 [00:02<00:03, 1.92epoch/s]`, redrawn in place."""

    width = 10

    def __init__(self, iterable, *, desc='', unit='it', file=None):
        self.iterable = iterable
        self.total = len(iterable)
        self.desc = desc
        self.unit = unit
        self.file = file if file is not None else sys.stderr

    @staticmethod
    def _clock(seconds):
        minutes, seconds = divmod(int(seconds), 60)
        return f'{minutes:02d}:{seconds:02d}'

    def _draw(self, done, start):
        elapsed = time.perf_counter() - start
        rate = done / elapsed if elapsed > 0 else 0.0
        remaining = (self.total - done) / rate if rate > 0 else 0.0
        filled = self.width * done // self.total if self.total else self.width
        bar = '█' * filled + ' ' * (self.width - filled)
        percent = 100 * done // self.total if self.total else 100
        self.file.write(f'\r{self.desc}: {percent:3d}%|{bar}| {done}/{self.total} '
                        f'[{self._clock(elapsed)}<{self._clock(remaining)}, {rate:.2f}{self.unit}/s]')
        self.file.flush()

    def __iter__(self):
        start = time.perf_counter()
        self._draw(0, start)
        for done, item in enumerate(self.iterable, start=1):
            yield item
            self._draw(done, start)
        self.file.write('\n')


def progress(iterable, *, desc, unit):
    if _tqdm is not None:
        return _tqdm(iterable, desc=desc, unit=unit)
    return _TextBar(iterable, desc=desc, unit=unit)

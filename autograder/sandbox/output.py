"""Captured output, bounded: a flood keeps only its tail, so the grader's memory stays small."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    """The last bytes of a stream and how many bytes were written in all."""

    tail: bytes = b''
    total: int = 0

    @property
    def truncated(self) -> bool:
        return self.total > len(self.tail)

    def text(self) -> str:
        """Decoded tail, prefixed with a note when the head was cut."""
        text = self.tail.decode('utf-8', errors='replace')
        if self.truncated:
            text = f'[... {self.total - len(self.tail)} bytes cut, last {len(self.tail)} kept ...]\n{text}'
        return text


class Tail:
    """Accumulates a stream keeping at most `limit` bytes (the newest)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.total = 0
        self._buf = bytearray()

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)
        self._buf += chunk
        if len(self._buf) > 2 * self.limit + 65536:  # trim in batches: amortised O(1) per byte
            del self._buf[:-self.limit]

    def output(self) -> Output:
        return Output(bytes(self._buf[-self.limit:]) if self.limit else b'', self.total)


def drain(fd: int, tail: Tail, chunk: int = 1 << 20) -> threading.Thread:
    """Read `fd` to EOF into `tail` on a daemon thread (for kernels, whose pipes outlive a call)."""
    def pump() -> None:
        try:
            while data := os.read(fd, chunk):
                tail.feed(data)
        except OSError:
            pass
        finally:
            os.close(fd)
    thread = threading.Thread(target=pump, name=f'sandbox-drain-{fd}', daemon=True)
    thread.start()
    return thread

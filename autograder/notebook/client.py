"""A NotebookClient whose cells' outputs stay bounded in the grader's memory.

nbclient keeps every output message a cell produces; `while True: print('x' * 10**6)` would
grow the grader until the cell's timeout. This client keeps at most `output_bytes` of
outputs per cell; beyond that, stream text keeps only its tail (like a process's output),
other outputs are dropped, errors are always kept, and one note at the end of the cell says
what was cut. (SandboxedKernelManager also caps each single message at the ZMQ level.)

It also makes a time limit hold for a cell that ignores signals: at the limit nbclient
interrupts the kernel and would then wait a whole timeout more for a reply (a cell that
ignores SIGINT and SIGTERM ran until the kernel's 20-minute wall clock). Here the cell gets
`interrupt_grace` seconds to answer the interrupt; then the kernel's process tree is killed.
"""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from jupyter_core.utils import ensure_async
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from traitlets import Float, Integer

from ..sandbox.output import Tail


def _size(msg: dict[str, Any]) -> int:
    content = msg.get('content', {})
    if msg.get('msg_type') == 'stream':
        return len(content.get('text', ''))
    return len(json.dumps(content.get('data', content), default=str))


class BoundedNotebookClient(NotebookClient):
    output_bytes = Integer(1 << 20, help='Outputs kept per cell; the rest is cut.').tag(config=True)
    interrupt_grace = Float(5.0, help='Seconds a cell has to end after the interrupt at its time limit; '
                                      'then the kernel is killed.').tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stopped: str | None = None         # the running cell's: 'interrupted' or 'killed' at its time limit
        self._used: dict[int, int] = {}
        self._cut: dict[int, dict[str, Any]] = {}
        self.cut_bytes: dict[int, int] = {}     # per cell: output bytes left out

    def output(self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None,
               cell_index: int) -> NotebookNode | None:
        size = _size(msg)
        used = self._used.get(cell_index, 0)
        if msg['msg_type'] == 'error' or used + size <= self.output_bytes:
            self._used[cell_index] = used + size
            return super().output(outs, msg, display_id, cell_index)
        cut = self._cut.setdefault(cell_index, {'bytes': 0, 'outputs': 0, 'tails': {}})
        cut['bytes'] += size
        if msg['msg_type'] == 'stream':
            name = msg['content'].get('name', 'stdout')
            tail = cut['tails'].setdefault(name, Tail(max(self.output_bytes // 4, 1)))
            tail.feed(msg['content'].get('text', '').encode('utf-8', errors='replace'))
        else:
            cut['outputs'] += 1
        return None

    async def async_execute_cell(self, cell: NotebookNode, cell_index: int, *args: Any,
                                 **kwargs: Any) -> NotebookNode:
        self._used.pop(cell_index, None)
        self.stopped = None
        try:
            return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
        finally:
            cut = self._cut.pop(cell_index, None)
            if cut:
                self.cut_bytes[cell_index] = cut['bytes']
                note = f'[... {cut["bytes"]} bytes of output cut (limit {self.output_bytes} per cell)'
                note += f', {cut["outputs"]} outputs dropped ...]\n' if cut['outputs'] else ' ...]\n'
                cell.outputs.append(new_output('stream', name='stderr', text=note))
                for name, tail in cut['tails'].items():
                    text = tail.output().tail.decode('utf-8', errors='replace')
                    cell.outputs.append(new_output('stream', name=name, text=f'[... last part:]\n{text}'))

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None) -> None:
        """At the time limit: interrupt; a cell that has not answered `interrupt_grace` seconds
        later ignores the interrupt, and its kernel's process tree is killed."""
        self.stopped = 'interrupted'
        await ensure_async(self.km.interrupt_kernel())
        end = time.monotonic() + self.interrupt_grace
        while time.monotonic() < end:
            if await ensure_async(self.kc.shell_channel.msg_ready()):
                return None         # the cell's reply: nbclient reads it
            await asyncio.sleep(0.05)
        self.stopped = 'killed'
        watchdog = getattr(self.km, 'watchdog', None)
        if watchdog is not None:    # the sandbox's: the whole tree, and km.exit_reason says why
            watchdog.kill(f'the cell ignored the interrupt at its time limit ({timeout} s); process tree killed')
        else:
            await ensure_async(self.km.shutdown_kernel(now=True))
        raise CellTimeoutError.error_from_timeout_and_cell('Cell execution timed out; the kernel was killed',
                                                           timeout, cell)

"""The self-check reads a notebook without importing nbformat (fast_read.py): the same
notebook as nbformat reads, and nbformat's verdict wherever the schema check is not enough."""
from __future__ import annotations

import json
import subprocess
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.checks.notebook_format import read
from autograder.notebook.fast_read import loads
from helpers.hand_ins import ROOT


def _notebook() -> nbformat.NotebookNode:
    cell = new_code_cell('print("a")\nprint("b")\n', outputs=[
        new_output('stream', name='stdout', text='a\nb\n'),
        new_output('display_data', data={'text/plain': 'x\ny', 'text/html': '<b>x</b>\n<i>y</i>',
                                         'application/json': {'lines': ['x', 'y']}})])
    return new_notebook(cells=[new_markdown_cell('# Title\n\ntext'), cell])


def test_it_reads_what_nbformat_reads():
    text = nbformat.writes(_notebook())
    assert '"a\\n",' in text                                       # stored as a list of lines
    fast, slow = loads(text), nbformat.reads(text, as_version=4)
    assert fast == slow and fast.cells[1].outputs[1].data['application/json'] == {'lines': ['x', 'y']}
    assert fast.cells[1].source == 'print("a")\nprint("b")\n' and fast.cells[1].cell_type == 'code'
    for path in (ROOT / 'student_template').glob('*/*.ipynb'):
        assert loads(path.read_text(encoding='utf-8')) == nbformat.read(path, as_version=4)


def test_other_notebooks_are_left_to_nbformat(tmp_path):
    nb = _notebook()
    nb.cells[0]['cell_type'] = 'mystery'                            # invalid by the schema
    assert loads(json.dumps(nb)) is None
    v3 = '{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}'
    assert loads(v3) is None and loads('not json') is None
    path = tmp_path / 'old.ipynb'
    path.write_text(v3, encoding='utf-8')
    reading = read(path, 'old.ipynb')
    assert reading.notebook is not None and reading.details['nbformat'] == 3     # nbformat converted it


def test_the_check_path_imports_neither_nbformat_nor_jinja2():
    code = ('import sys\nfrom autograder.cli import main\nmain(["check", sys.argv[1], "--results", sys.argv[2]])\n'
            'print(sorted(m for m in ("nbformat", "jsonschema", "jinja2", "nbclient", "numpy", "pandas", "dask") '
            'if m in sys.modules))')
    done = subprocess.run([sys.executable, '-P', '-c', code, str(ROOT / 'student_template' / 'eindopdracht-v2324.2'),
                           '/dev/null'], capture_output=True, text=True, timeout=300)
    assert done.stdout.strip().splitlines()[-1] == '[]', done.stdout + done.stderr

"""Build the example hand-ins: `autograder examples --assignment ID --out DIR`.

Each is a zip in the hand-in format of the assignment: the module (the bundled
reference, one self-contained standard-library file, possibly mutated), the notebook with
its outputs cleared (the master, possibly edited, with the template's self-check cell) and its
HTML export. The export is made
from the notebook as handed in, without running it, so building all examples takes
seconds; the grader does not read the HTML beyond its presence.
"""
from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import nbformat

from ..bundle import model_source
from ..template import self_check_cells
from ...settings import Settings
from .catalogue import Example, examples
from .mutations import apply, find

__all__ = ['build_example', 'build_examples', 'cleared']

HANDED_IN = (2024, 6, 23, 23, 59, 0)


def cleared(nb):
    """The notebook as handed in: outputs and execution counts removed."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == 'code':
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop('execution', None)
    return nb


def _html(nb) -> str:
    from nbconvert import HTMLExporter
    body, _ = HTMLExporter(template_name='classic').from_notebook_node(nb)
    return body


def build_example(settings: Settings, example: Example, target: Path) -> Path:
    source = model_source()
    if example.mutation:
        source = apply(source, find(example.mutation, settings.id))
    nb = cleared(nbformat.read(settings.master_path, as_version=4))
    nb.cells += self_check_cells()          # as in the template students start from (the grader skips it)
    for edit in example.notebook_edits:
        edit(nb)
    modules = example.files(settings.module_file) if example.files else {settings.module_file: source}
    tmp = target.with_name(target.name + '.partial')
    with zipfile.ZipFile(tmp, 'w', compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in (*modules.items(), (settings.notebook, nbformat.writes(nb)),
                           (settings.html_export, _html(nb))):
            # a fixed timestamp: the same example is the same zip, byte for byte
            archive.writestr(zipfile.ZipInfo(name, date_time=HANDED_IN), text)
    tmp.replace(target)
    return target


def build_examples(settings: Settings, out: Path, names: list[str] | None = None) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    catalogue = examples(settings)
    unknown = [n for n in names or () if n not in catalogue]
    if unknown:
        raise KeyError(f"no example {unknown[0]!r} for {settings.id} (known: {', '.join(catalogue)})")
    return [build_example(settings, catalogue[name], out / f'{name}.zip') for name in (names or catalogue)]

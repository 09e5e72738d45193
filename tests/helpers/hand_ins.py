"""Hand-ins and assignments built for a test: a folder with a (mutated) reference module and
the master's notebook, the files of a catalogue example, a cheap copy of an assignment."""
from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = 'eindopdracht-v2324.2'
EDITIONS = ('eindopdracht-v2324.2', 'eindopdracht-v2324.1')     # every assignment folder the tests grade

__all__ = ['hand_in_folder', 'example_files', 'make_cheap_assignment', 'ROOT', 'ASSIGNMENT', 'EDITIONS']


def hand_in_folder(settings, folder: Path, module: str | None = None, *, html: bool = True) -> Path:
    """`folder` holding `module` (default: the bundled reference) and the master's notebook
    with its outputs cleared, under the assignment's names."""
    from autograder.authoring.bundle import model_source
    from autograder.authoring.examples.build import cleared
    folder.mkdir(parents=True, exist_ok=True)
    (folder / settings.module_file).write_text(module if module is not None else model_source(), encoding='utf-8')
    notebook = cleared(nbformat.read(settings.master_path, as_version=4))
    (folder / settings.notebook).write_text(nbformat.writes(notebook), encoding='utf-8')
    if html:
        (folder / settings.html_export).write_text('<html></html>', encoding='utf-8')
    return folder


def example_files(settings, name: str) -> dict[str, bytes]:
    """The files of a catalogue example (module, notebook, HTML), by name."""
    from autograder.authoring.examples.build import build_example
    from autograder.authoring.examples.catalogue import examples
    with tempfile.TemporaryDirectory() as tmp:
        path = build_example(settings, examples(settings)[name], Path(tmp) / f'{name}.zip')
        with zipfile.ZipFile(path) as archive:
            return {n: archive.read(n) for n in archive.namelist()}


CHEAP = {   # per edition: a quick profile that trains on a few hundred instances for 3 epochs
    'eindopdracht-v2324.2': {'data_groups': 36, 'amount': 520},    # Deel A's cells read 900 instances
    'eindopdracht-v2324.1': {'data_groups': 40, 'amount': 480},
}


def make_cheap_assignment(folder: Path, assignment: str = ASSIGNMENT) -> Path:
    """A copy of an assignment whose quick profile trains on ~500 instances for 3 epochs, with
    limits every working model meets (the outcome does not depend on the random start)."""
    cheap = CHEAP[assignment]
    target = Path(folder) / assignment
    shutil.copytree(ROOT / 'assignments' / assignment, target)
    path = target / 'assignment.toml'
    text = path.read_text()
    start, end = text.index('[part_b.profiles.quick]'), text.index('[points]')
    text = text[:start] + f'''[part_b.profiles.quick]
data_groups = {cheap['data_groups']}
hidden_groups = 4
time_limit_minutes = 5
min_accuracy = 0.0
target_accuracy = 0.01
run_timeout_minutes = 15
cell_timeout_minutes = 10
parameters = {{ amount_of_instances = {cheap['amount']}, epochs = 3 }}

''' + text[end:]
    text = text.replace('overfitting = { rise_tolerance = 0.10, gap_factor = 2.0 }',
                        'overfitting = { rise_tolerance = 100.0, gap_factor = 1000.0 }')
    path.write_text(text)
    return target

"""Generated artifacts of the assignment: reproducible, and in the hand-in format."""
import ast
import json
import zipfile

import nbformat
import pytest

from autograder.authoring import expected
from autograder.checks.module_imports import scan_source, violations
from autograder.authoring.examples.build import build_examples
from autograder.authoring.examples.catalogue import examples
from autograder.settings import load_settings
from helpers.hand_ins import EDITIONS

SETTINGS = load_settings('eindopdracht-v2324.2')


@pytest.mark.parametrize('edition', EDITIONS)
def test_regenerating_the_expected_values_reproduces_the_stored_file(edition):
    settings = load_settings(edition)
    stored = json.loads(settings.expected_file.read_text(encoding='utf-8'))
    assert expected.generate(settings) == stored
    loaded = expected.load(settings)              # it belongs to these settings
    for kind in ('activations', 'losses'):
        for name, entry in stored[kind].items():
            assert 'hidden' not in entry          # hidden points depend on the course secret: never stored
            assert loaded[kind][name]['table'] == entry['table'] and loaded[kind][name]['hidden']['values']


@pytest.fixture(scope='module')
def example_zips(tmp_path_factory):
    folder = tmp_path_factory.mktemp('examples')
    first = {p.name: p.read_bytes() for p in build_examples(SETTINGS, folder / 'a')}
    second = {p.name: p.read_bytes() for p in build_examples(SETTINGS, folder / 'b')}
    return first, second


@pytest.mark.slow
def test_every_example_is_built_reproducibly(example_zips):
    first, second = example_zips
    assert set(first) == {f'{name}.zip' for name in examples(SETTINGS)} and first == second


@pytest.mark.slow
@pytest.mark.parametrize('name', list(examples(SETTINGS)))
def test_each_example_has_the_hand_in_layout(example_zips, name, tmp_path):
    path = tmp_path / f'{name}.zip'
    path.write_bytes(example_zips[0][f'{name}.zip'])
    with zipfile.ZipFile(path) as archive:
        extra = sorted(n for n in archive.namelist() if n.endswith('.py') and n != SETTINGS.module_file)
        # a module split over sibling files (variant-split-module) hands them in beside model.py
        assert extra == (['functions.py'] if name == 'variant-split-module' else [])
        assert sorted(archive.namelist()) == sorted([SETTINGS.module_file, SETTINGS.notebook, SETTINGS.html_export,
                                                     *extra])
        module = archive.read(SETTINGS.module_file).decode('utf-8')
        nb = nbformat.reads(archive.read(SETTINGS.notebook).decode('utf-8'), as_version=4)
        html = archive.read(SETTINGS.html_export).decode('utf-8')
    nbformat.validate(nb)
    assert all(not c.get('outputs') for c in nb.cells if c.cell_type == 'code')     # outputs cleared
    assert '<html' in html.lower() and 'Eindopdracht Advanced Datamining' in html
    ast.parse(module)
    uses = scan_source(module, 'model.py')
    assert all(u.module != 'vlearning' for u in uses), 'the module is self-contained'
    local = frozenset({'model', *SETTINGS.course_modules, *(n.removesuffix('.py') for n in extra)})
    bad = {u.module for u in violations(uses, local=local, optional_allowed=frozenset({'tqdm'}))}
    assert bad == ({'numpy'} if name == 'flawed-numpy-import' else set())

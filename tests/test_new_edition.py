"""docs/new-edition.md, followed step by step on a toy edition: copy, edit the settings and the
master, regenerate, and the examples grade as their catalogue says."""
from __future__ import annotations

import json

import nbformat
import pytest
from test_assignment_docs import check_documented_commands, check_key_paths_documented

from autograder.cli import main
from autograder.grade import GradeOptions, grade
from autograder.registry import PART_B_CHECKS
from autograder.settings import SettingsError, load_settings


def by_id(document):
    return {c['id']: c for c in document['checks']}


def test_a_toy_edition_made_as_the_guide_says(tmp_path, capsys, monkeypatch):
    root = tmp_path / 'assignments'
    # 1. copy
    assert main(['new-assignment', '--from', 'eindopdracht-v2324.2', '--id', 'toy-2526.1',
                 '--title', 'Toy edition 2025-2026', '--root', str(root)]) == 0
    folder = root / 'toy-2526.1'
    assert {p.name for p in folder.iterdir()} == {'assignment.toml', 'master.ipynb', 'README.md', 'expected.json'}
    settings = load_settings(folder)
    assert (settings.id, settings.title) == ('toy-2526.1', 'Toy edition 2025-2026')
    assert main(['new-assignment', '--from', 'eindopdracht-v2324.2', '--id', 'toy-2526.1', '--root', str(root)]) == 2
    assert 'exists already' in capsys.readouterr().err          # nothing is overwritten
    check_documented_commands(folder)                  # `make test`'s docs tests pass on the new edition
    check_key_paths_documented(folder)
    # 2. edit the settings: a shorter table and a stricter threshold
    toml = folder / 'assignment.toml'
    text = toml.read_text()
    text = text.replace('"sign", "nipuna", "elish"]', '"sign", "nipuna"]').replace(
        'also_graded = ["hardelish"]', 'also_graded = ["elish", "hardelish"]').replace(
        'min_accuracy = 0.70', 'min_accuracy = 0.75')
    toml.write_text(text)
    # 3. edit the master to match (the table cell, in the same order)
    nb = nbformat.read(folder / 'master.ipynb', as_version=4)
    [table] = [c for c in nb.cells if 'my_activations = [' in c.source]
    table.source = table.source.replace('    model.nipuna,\n    model.elish,\n', '    model.nipuna,\n')
    nbformat.write(nb, folder / 'master.ipynb')
    settings = load_settings(folder)
    assert settings.profile('full').min_accuracy == 0.75
    with pytest.raises(SettingsError, match='generated from other settings'):
        grade(tmp_path / 'nothing', settings, tmp_path / 'refused')        # stale expected values
    # 4. regenerate
    assert main(['expected', '--assignment', str(folder)]) == 0
    assert main(['template', '--assignment', str(folder), '--out', str(tmp_path / 'template')]) == 0
    assert main(['examples', '--assignment', str(folder), '--out', str(tmp_path / 'examples'),
                 '--only', 'reference', 'flawed-overflow']) == 0
    capsys.readouterr()
    template = nbformat.read(tmp_path / 'template' / settings.notebook, as_version=4)
    assert any('model.nipuna,\n]' in c.source for c in template.cells)
    # what its README tells students to run: `autograder check` in the template's folder grades this
    # edition, though its notebook has the name of the edition it was copied from
    monkeypatch.setenv('AUTOGRADER_ASSIGNMENTS', str(root))
    # exit 1: the unfilled template fails its checks (issue 22's exit statuses); it was graded all the same
    assert main(['check', str(tmp_path / 'template'), '--out', str(tmp_path / 'checked'), '--lang', 'en']) == 1
    checked = json.loads((tmp_path / 'checked' / 'grading.json').read_text())
    assert (checked['assignment']['id'], checked['assignment']['title']) == ('toy-2526.1', 'Toy edition 2025-2026')
    said = capsys.readouterr().err
    assert "Edition toy-2526.1 (Toy edition 2025-2026): the notebook 'Eindopdracht_v2324.2.ipynb' names it." in said
    # 6. check with the examples: the reference keeps every point it can earn, the flaw loses its own
    options = GradeOptions(mode='check', progress=False)
    reference = by_id(grade(tmp_path / 'examples' / 'reference.zip', settings, tmp_path / 'ref', options))
    assert all(c['status'] == 'pass' for i, c in reference.items() if i not in PART_B_CHECKS), \
        {i: c['message'] for i, c in reference.items() if c['status'] != 'pass'}
    assert [r['function'] for r in reference['activations.table']['details']['rows']][-3:] == ['nipuna', 'elish', 'hardelish']
    flawed = by_id(grade(tmp_path / 'examples' / 'flawed-overflow.zip', settings, tmp_path / 'flawed', options))
    lost = {i for i, c in flawed.items() if i not in PART_B_CHECKS and c['status'] != 'pass'}
    assert lost == {'activations.table', 'activations.hidden'}

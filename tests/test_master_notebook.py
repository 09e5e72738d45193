"""The master notebook agrees with the settings that grade it."""
import ast

import nbformat

import pytest

from autograder.checks.locked_cells import locked_sources
from autograder.settings import load_settings
from helpers.hand_ins import EDITIONS


@pytest.fixture(params=EDITIONS)
def edition(request):
    settings = load_settings(request.param)
    return settings, nbformat.read(settings.master_path, as_version=4)


def _list_assigned(MASTER, name):
    for cell in MASTER.cells:
        if cell.cell_type != 'code' or f'{name} = [' not in cell.source:
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == name:
                return [element.attr for element in node.value.elts]
    raise AssertionError(f'no cell assigns {name}')


def test_the_tables_list_the_settings_functions_in_order(edition):
    SETTINGS, MASTER = edition
    assert _list_assigned(MASTER, 'my_activations') == SETTINGS.activations.tabled
    assert _list_assigned(MASTER, 'my_losses') == SETTINGS.losses.tabled


def test_two_locked_cells_and_one_parameters_cell_inside_the_graded_run(edition):
    SETTINGS, MASTER = edition
    locked = [i for i, _ in locked_sources(MASTER, SETTINGS.locked_marker)]
    assert len(locked) == 2
    tagged = [i for i, c in enumerate(MASTER.cells) if 'parameters' in c.metadata.get('tags', [])]
    assert len(tagged) == 1 and locked[0] < tagged[0] < locked[1]
    assert set(SETTINGS.profile('quick').parameters) <= set(
        name.id for node in ast.walk(ast.parse(MASTER.cells[tagged[0]].source))
        if isinstance(node, ast.Assign) for name in node.targets)


def test_the_graded_model_uses_a_required_activation(edition):
    SETTINGS, MASTER = edition
    graded = '\n'.join(c.source for c in MASTER.cells if 'solution' in c.metadata.get('tags', []))
    assert any(f'activation=model.{name}' in graded for name in SETTINGS.part_b.required_activations)
    assert f'{SETTINGS.part_b.model_variable} = (' in graded
    assert f'{SETTINGS.part_b.history_variable} = ' in graded

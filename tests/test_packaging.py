"""The distribution lists every package folder (vlearning lives outside the default layout)."""
import tomllib
from pathlib import Path

import vlearning

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / 'pyproject.toml').read_text())['tool']['setuptools']
    roots = {name: ROOT / path for name, path in config['package-dir'].items()}
    found = set()
    for name, path in roots.items():
        for init in path.rglob('__init__.py'):
            if '__pycache__' in init.parts:
                continue
            relative = init.parent.relative_to(path)
            found.add('.'.join((name, *relative.parts)))
    data_only = {name for name in config['packages'] if name not in found}    # templates, static files
    assert found <= set(config['packages'])
    for name in data_only:                  # listed so that setuptools installs them without a warning
        root, *parts = name.split('.')
        folder = roots[root].joinpath(*parts)
        assert folder.is_dir() and not (folder / '__init__.py').exists(), name
        assert name in config['package-data'], name


def test_version_and_public_names():
    assert vlearning.__version__ == '0.7.0'
    for name in ('Perceptron', 'LinearRegression', 'Neuron', 'derivative', 'pseudo_log',
                 'activation_functions', 'loss_functions', 'layers'):
        assert hasattr(vlearning, name), name
    from vlearning import data  # noqa: F401  (the seed's `from vlearning import data`)


def test_flat_model_namespace_holds_every_name():
    from vlearning import model
    for name in ('tanh', 'elish', 'hardelish', 'nipuna', 'hinge', 'pseudo_log', 'derivative',
                 'Perceptron', 'Neuron', 'LinearRegression', 'InputLayer', 'DenseLayer',
                 'ActivationLayer', 'SoftmaxLayer', 'LossLayer', 'Layer'):
        assert name in model.__all__ and hasattr(model, name), name


def test_two_line_shims_give_the_teachers_flat_form(tmp_path, monkeypatch):
    import importlib
    import sys
    shim = ROOT / 'reference' / 'model.py'
    assert len(shim.read_text().splitlines()) == 2
    monkeypatch.syspath_prepend(str(ROOT / 'reference'))
    for name in ('model', 'data'):
        sys.modules.pop(name, None)
    model = importlib.import_module('model')
    data = importlib.import_module('data')
    try:
        assert model.tanh is vlearning.activation_functions.tanh
        assert model.InputLayer is vlearning.layers.InputLayer
        assert data.fractal is vlearning.data.fractal
    finally:
        sys.modules.pop('model', None)
        sys.modules.pop('data', None)

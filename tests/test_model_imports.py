"""The course's rule for the model code: standard library only (plus an optional tqdm)."""
import sys
from pathlib import Path

import pytest

from autograder.checks.module_imports import scan_source, violations

REFERENCE = Path(__file__).resolve().parents[1] / 'reference' / 'vlearning'
MODEL_CODE = sorted(p for p in REFERENCE.glob('*.py')) + sorted((REFERENCE / 'data').glob('generators.py'))


def test_there_is_model_code_to_check():
    names = {p.name for p in MODEL_CODE}
    assert {'layers.py', 'activation_functions.py', 'loss_functions.py', 'neurons.py'} <= names


@pytest.mark.parametrize('path', MODEL_CODE, ids=lambda p: p.name)
def test_model_code_imports_only_the_standard_library(path):
    uses = scan_source(path.read_text(encoding='utf-8'), path.name)
    bad = violations(uses, local=frozenset({'vlearning'}), optional_allowed=frozenset({'tqdm'}))
    assert not bad, [f'{u.where}: {u.statement}' for u in bad]
    for use in uses:   # the one allowed exception really is optional
        if use.module not in sys.stdlib_module_names and use.module != 'vlearning':
            assert use.optional and use.module == 'tqdm', use


def test_the_scanner_catches_what_the_rule_forbids():
    source = '''
import math, numpy as np
from sklearn.linear_model import LinearRegression
import importlib
torch = importlib.import_module('torch')
pd = __import__('pandas')
from . import helpers
try:
    import tqdm
except ImportError:
    tqdm = None
try:
    import scipy
except ImportError:
    scipy = None
'''
    bad = violations(scan_source(source, 'model.py'), optional_allowed=frozenset({'tqdm'}))
    assert [(u.module, u.line, u.optional, u.dynamic) for u in bad] == [
        ('numpy', 2, False, False), ('sklearn', 3, False, False), ('torch', 5, False, True),
        ('pandas', 6, False, True), ('scipy', 13, True, False)]
    assert bad[0].statement == 'import math, numpy as np'

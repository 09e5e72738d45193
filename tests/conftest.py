import random
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / 'shared' / 'data'


@pytest.fixture
def seeded():
    """Seed the global random generator the course's module draws from."""
    random.seed(12345)
    yield

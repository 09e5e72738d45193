"""One atomic write serves the data files (stand-in, converter) and every grader result."""
import os

import pytest

from autograder.results import write_json_atomic, write_text_atomic
from vlearning._atomic import write_bytes_atomic


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(tmp_path, monkeypatch):
    target = write_bytes_atomic(tmp_path / 'grading.json', b'old')

    def power_cut(source, destination):
        raise OSError('disk full')
    monkeypatch.setattr(os, 'replace', power_cut)
    with pytest.raises(OSError, match='disk full'):
        write_text_atomic(target, 'new')
    assert target.read_bytes() == b'old'
    assert [p.name for p in tmp_path.iterdir()] == ['grading.json']


def test_text_is_written_exactly_and_readable_by_others(tmp_path):
    target = write_text_atomic(tmp_path / 'new' / 'report.html', 'é\r\n')
    assert target.read_bytes() == 'é\r\n'.encode()
    assert target.stat().st_mode & 0o777 == 0o644


def test_json_refuses_what_is_not_json(tmp_path):
    with pytest.raises(ValueError):
        write_json_atomic(tmp_path / 'x.json', {'loss': float('nan')})
    assert not list(tmp_path.iterdir())

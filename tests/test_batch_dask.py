"""Batch grading on a Dask distributed cluster: a real `dask scheduler` and two `dask worker`
processes (one thread each) on loopback grade four submissions; the grades must equal those
of a local run of the same batch, and the results flow back into the one gradebook."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.batch import BatchOptions, BatchError, run_batch
from autograder.batch.gradebook import Gradebook

from helpers.hand_ins import example_files, make_cheap_assignment
from helpers.zips import write_zip

pytest.importorskip('distributed')

pytestmark = pytest.mark.slow      # a real Dask scheduler and workers


def _dask_command(name: str) -> list[str]:
    script = Path(sys.executable).with_name('dask')
    if script.exists():
        return [str(script), name]
    module = {'scheduler': 'distributed.cli.dask_scheduler', 'worker': 'distributed.cli.dask_worker'}[name]
    return [sys.executable, '-m', module]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope='module')
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers on 127.0.0.1; its address."""
    folder = tmp_path_factory.mktemp('dask')
    scheduler_file = folder / 'scheduler.json'
    env = {**os.environ, 'PYTHONUNBUFFERED': '1'}
    processes = []
    logs = []

    def start(argv, name):
        log = open(folder / f'{name}.log', 'wb')
        logs.append(log)
        processes.append(subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder))

    try:
        start([*_dask_command('scheduler'), '--host', '127.0.0.1', '--port', '0', '--no-dashboard',
               '--scheduler-file', str(scheduler_file)], 'scheduler')
        deadline = time.monotonic() + 60
        while not scheduler_file.exists():
            assert processes[0].poll() is None, (folder / 'scheduler.log').read_text()
            assert time.monotonic() < deadline, 'the scheduler did not start'
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())['address']
        for number in range(2):
            start([*_dask_command('worker'), '--scheduler-file', str(scheduler_file), '--nthreads', '1',
                   '--nworkers', '1', '--no-dashboard', '--host', '127.0.0.1', '--memory-limit', '0',
                   '--name', f'grader-{number}'], f'worker-{number}')
        from distributed import Client
        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=90)
        yield address
    finally:
        for process in reversed(processes):
            _stop(process)
        for log in logs:
            log.close()


@pytest.fixture(scope='module')
def small_class(tmp_path_factory):
    from autograder.settings import load_settings
    folder = make_cheap_assignment(tmp_path_factory.mktemp('assignment'))
    settings = load_settings(folder)
    inbox = tmp_path_factory.mktemp('class')
    reference = example_files(settings, 'reference')
    write_zip(inbox / 'alice.zip', reference)                                       # the whole notebook
    write_zip(inbox / 'gert.zip', example_files(settings, 'flawed-import-error'))
    (inbox / 'ivo.zip').write_bytes(b'not a zip')
    (inbox / 'dana').mkdir()                                                         # a folder submission
    (inbox / 'dana' / settings.module_file).write_bytes(reference[settings.module_file])
    (inbox / 'dana' / settings.html_export).write_bytes(reference[settings.html_export])
    return folder, inbox


def _grades(out: Path) -> dict[str, tuple]:
    with Gradebook(out / 'gradebook.sqlite') as book:
        result = {}
        for record in book.records():
            document = record.document
            result[record.student] = (record.status, record.grade, record.points, record.rejected,
                                      tuple((c['id'], c['status'], c['points']) for c in document['checks']))
        return result


def test_a_dask_cluster_grades_like_a_local_run(cluster, small_class, tmp_path):
    folder, inbox = small_class
    local = run_batch(inbox, tmp_path / 'local', BatchOptions(profile='quick', assignment=str(folder), jobs=2, progress=False,
                                                              similarity=False))
    remote = run_batch(inbox, tmp_path / 'dask', BatchOptions(profile='quick', assignment=str(folder), scheduler=cluster,
                                                              progress=False, similarity=False))
    assert local['counts']['graded'] == remote['counts']['graded'] == 4
    assert remote['runner'] == f'the Dask cluster at {cluster}'
    assert _grades(tmp_path / 'dask') == _grades(tmp_path / 'local')
    assert _grades(tmp_path / 'dask')['alice'][1] == 10.0
    with Gradebook(tmp_path / 'dask' / 'gradebook.sqlite') as book:
        workers = {record.worker for record in book.records()}
    assert all(w.startswith('tcp://127.0.0.1:') for w in workers)
    assert len(workers) == 2, workers          # both workers took part
    folder_out = tmp_path / 'dask' / 'submissions' / 'alice' / 'single'
    assert json.loads((folder_out / 'results.json').read_text())['score'] == 100.0
    assert (folder_out / 'executed.ipynb').is_file()
    # resume works the same through the cluster
    again = run_batch(inbox, tmp_path / 'dask', BatchOptions(profile='quick', assignment=str(folder), scheduler=cluster,
                                                             progress=False, similarity=False))
    assert again['counts']['skipped'] == 4 and again['counts']['graded'] == 0


def test_an_unreachable_scheduler_is_a_clear_error(small_class, tmp_path):
    folder, inbox = small_class
    with pytest.raises(BatchError, match='cannot reach the Dask scheduler'):
        run_batch(inbox, tmp_path / 'out', BatchOptions(profile='quick', assignment=str(folder), scheduler='tcp://127.0.0.1:9',
                                                        connect_timeout=3, progress=False, similarity=False))

"""partb.time by CPU time as well as wall time (issue 21, item 7): the kernel tree's CPU
seconds come from /proc, normalised by the calibration's CPU measure; the smaller counts."""
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from autograder.checks.partb_time import cpu_time
from autograder.notebook.execution import kernel_cpu
from autograder.part_b.calibration import load_matched, measure

pytestmark = pytest.mark.skipif(not sys.platform.startswith('linux'), reason='reads /proc')


def test_the_cpu_time_of_a_process_tree_counts_its_children_and_not_its_sleep():
    code = ('import subprocess, sys, time\n'
            'child = subprocess.Popen([sys.executable, "-c", "import time\\nend = time.process_time() + 1.0\\n'
            'while time.process_time() < end: pass\\ntime.sleep(30)"])\n'
            'time.sleep(30)\n')
    parent = subprocess.Popen([sys.executable, '-c', code])
    try:
        km = SimpleNamespace(provisioner=SimpleNamespace(process=parent))     # a plain kernel's manager
        started, last, used = time.monotonic(), -1.0, 0.0
        while time.monotonic() - started < 20 and (used < 1.0 or used - last > 0.01):   # until both sleep
            last, used = used, kernel_cpu(km) or 0.0
            time.sleep(0.5)
        assert 1.0 <= used < 1.6, used       # the child's busy second and both interpreters' start
        time.sleep(1.0)
        assert kernel_cpu(km) - used < 0.05
    finally:
        parent.kill()
        parent.wait()
    assert kernel_cpu(SimpleNamespace()) is None


def test_cpu_minutes_are_normalised_by_the_calibrations_cpu_measure():
    start, end = {'cpu_start': 12.0}, {'cpu_end': 12.0 + 180.0}
    minutes, normalised = cpu_time(start, end, {'seconds_per_1000': 4.0, 'cpu_seconds_per_1000': 6.5}, 3.25)
    assert minutes == 3.0 and normalised == pytest.approx(1.5)
    assert cpu_time({'cpu_start': None}, end, {}, 3.25) == (None, None)
    assert cpu_time(start, end, {'seconds_per_1000': 4.0}, 3.25) == (3.0, None)   # an old calibration


def test_the_calibration_around_a_run_is_the_mean_of_before_and_after():
    both = load_matched({'seconds_per_1000': 4.0, 'cpu_seconds_per_1000': 3.0, 'seconds': 1.0},
                        {'seconds_per_1000': 8.0, 'cpu_seconds_per_1000': 3.5, 'seconds': 2.0})
    assert (both['seconds_per_1000'], both['cpu_seconds_per_1000']) == (6.0, 3.25)
    assert both['load_matched'] and both['after'] == {'seconds_per_1000': 8.0, 'cpu_seconds_per_1000': 3.5}


@pytest.mark.slow
def test_the_calibration_measures_wall_and_cpu_time():
    result = measure()
    assert 0 < result['cpu_seconds_per_1000'] <= result['seconds_per_1000'] * 1.05

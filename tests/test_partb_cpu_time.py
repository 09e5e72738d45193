"""partb.time by CPU time as well as wall time (issue 21, item 7): the kernel tree's CPU
seconds come from /proc, normalised by the calibration's CPU measure; the smaller counts."""
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from autograder.checks.partb_time import cpu_time, wall_calibration
from autograder.notebook.execution import kernel_cpu
from autograder.part_b.calibration import measure

pytestmark = pytest.mark.skipif(not sys.platform.startswith('linux'), reason='reads /proc')


def test_the_cpu_time_of_a_process_tree_counts_its_children_and_not_its_sleep():
    code = ('import subprocess, sys, time\n'
            'child = subprocess.Popen([sys.executable, "-c", "import time\\nend = time.process_time() + 1.0\\n'
            'while time.process_time() < end: pass\\ntime.sleep(30)"])\n'
            'time.sleep(30)\n')
    parent = subprocess.Popen([sys.executable, '-c', code])
    try:
        km = SimpleNamespace(provisioner=SimpleNamespace(process=parent))     # a plain kernel's manager
        started = time.monotonic()
        while time.monotonic() - started < 20 and (kernel_cpu(km) or 0) < 1.0:
            time.sleep(0.2)
        used = kernel_cpu(km)
        time.sleep(1.0)                       # both only sleep now
        assert 1.0 <= used < 1.6 and kernel_cpu(km) - used < 0.05, used
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


def test_a_calibration_taken_on_a_busy_machine_does_not_make_wall_time_look_fast():
    assert wall_calibration({'seconds_per_1000': 3.3, 'cpu_seconds_per_1000': 3.1}) == 3.3
    assert wall_calibration({'seconds_per_1000': 33.0, 'cpu_seconds_per_1000': 3.16}) == 3.16
    assert wall_calibration({'seconds_per_1000': 3.3}) == 3.3


@pytest.mark.slow
def test_the_calibration_measures_wall_and_cpu_time():
    result = measure()
    assert 0 < result['cpu_seconds_per_1000'] <= result['seconds_per_1000'] * 1.05

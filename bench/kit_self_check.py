"""The student kit as a student uses it: `autograder student-kit` builds the wheel, a new
virtual environment gets the kit and nothing of the project (authoring/student_kit.py,
offline_environment: the kit's dependencies and ipykernel come from this interpreter's
site-packages, no network), then
- a real Jupyter kernel of that environment (nbclient) runs the template's self-check cell
  in the unfilled template's folder: the cell's wall time (target ≤ 3 s), and `check('layers')`;
- the CLI `autograder check` there on the template, process start included (target ≤ 1.5 s),
  and `autograder check activations`.
Each is the best and the worst of 3 runs; the kernel is started once (its start is reported on
its own). Prints JSON.
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.authoring.student_kit import build_kit, offline_environment  # noqa: E402
from autograder.authoring.template import SELF_CHECK_CODE  # noqa: E402
from autograder.settings import load_settings  # noqa: E402

RUNS = 3


def _best_worst(times: list[float]) -> dict[str, float]:
    return {'best': round(min(times), 3), 'worst': round(max(times), 3)}


def kernel_times(python: Path, folder: Path, tmp: Path) -> dict:
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    spec = tmp / 'kernels' / 'kit'
    spec.mkdir(parents=True)
    (spec / 'kernel.json').write_text(json.dumps({
        'argv': [str(python), '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
        'display_name': 'the student kit', 'language': 'python'}), encoding='utf-8')
    cells = [SELF_CHECK_CODE] * RUNS + ["from autograder.notebook import check\ncheck('layers')"] * RUNS
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    manager = KernelManager(kernel_name='kit', kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(tmp / 'kernels')]))
    client = NotebookClient(nb, km=manager, timeout=300, resources={'metadata': {'path': str(folder)}})
    seconds = []
    started = time.monotonic()
    with client.setup_kernel(cwd=str(folder)):
        kernel_start = time.monotonic() - started
        for index, cell in enumerate(nb.cells):
            begun = time.monotonic()
            client.execute_cell(cell, index)
            seconds.append(time.monotonic() - begun)
            if not any('text/html' in o.get('data', {}) for o in cell.outputs):
                raise SystemExit(f'the self-check cell showed no report: {cell.outputs}')
    return {'kernel_start_seconds': round(kernel_start, 3), 'self_check_cell_seconds': _best_worst(seconds[:RUNS]),
            'check_layers_cell_seconds': _best_worst(seconds[RUNS:])}


def cli_times(python: Path, folder: Path, *args: str) -> dict:
    """Wall time, and the CPU time of the command and what it waited for (the probe runner):
    on a busy machine the wall time says more about the others than about the check."""
    times, cpu, status = [], [], None
    env = {k: v for k, v in os.environ.items() if k not in ('AUTOGRADER_LANG', 'PYTHONPATH')}
    for _run in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        begun = time.monotonic()
        done = subprocess.run([str(python.parent / 'autograder'), 'check', *args], capture_output=True, text=True,
                              cwd=folder, env=env)
        times.append(time.monotonic() - begun)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        status = done.returncode
        if status not in (0, 1):
            raise SystemExit(f'autograder check {" ".join(args)} failed ({status}):\n{done.stdout}{done.stderr}')
    return {**_best_worst(times), 'cpu_seconds': round(min(cpu), 3), 'exit_status': status,
            'lines': len(done.stdout.splitlines())}


def main() -> None:
    settings = load_settings('eindopdracht-v2324.2')
    with tempfile.TemporaryDirectory(prefix='kit-bench-') as tmp:
        tmp = Path(tmp)
        began = time.monotonic()
        wheel = build_kit(settings, tmp / 'dist')
        built = time.monotonic() - began
        python = offline_environment(wheel, tmp / 'venv')
        folder = shutil.copytree(ROOT / 'student_template' / settings.id, tmp / 'my-assignment')
        result = {'benchmark': 'kit_self_check', 'wheel': wheel.name, 'wheel_bytes': wheel.stat().st_size,
                  'build_seconds': round(built, 3), 'cpus': os.cpu_count(),
                  'load_average': [round(x, 2) for x in os.getloadavg()],
                  'cli_template_seconds': cli_times(python, folder),
                  'cli_activations_seconds': cli_times(python, folder, 'activations'),
                  **kernel_times(python, folder, tmp),
                  'targets': {'self_check_cell_seconds': 3.0, 'cli_template_seconds': 1.5}}
    print(json.dumps(result))


if __name__ == '__main__':
    main()

"""`autograder check` on hand-ins whose model.py the grader must read without hanging: one
8 MB line (an embedded literal) and 50 MB of comment lines (issue 21). Each runs the CLI in
its own process (`python -m autograder check FOLDER`); this script samples that process's
own peak resident memory (VmHWM, so not the sandboxed probe process) until it ends or
`--timeout` passes. Prints JSON. Targets: under 30 s and under 1 GB each.

    .venv/bin/python bench/hostile_source.py [--timeout 120] [--case long-line|comments]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.authoring.bundle import model_source  # noqa: E402
from autograder.authoring.examples.build import build_example  # noqa: E402
from autograder.authoring.examples.catalogue import examples  # noqa: E402
from autograder.settings import load_settings  # noqa: E402


def long_line_module() -> str:
    """The reference with one 8 MB line: a list literal of numbers."""
    numbers = ', '.join(str(i % 1000) for i in range(1_650_000))      # ~8 MB
    return model_source() + f'\n\nEMBEDDED = [{numbers}]\n'


def comment_module() -> str:
    """The reference followed by 50 MB of ordinary comment lines."""
    line = '# ' + 'a comment that explains nothing in particular ' * 2 + '\n'
    return model_source() + line * (50_000_000 // len(line))


CASES = {'long-line': long_line_module, 'comments': comment_module}


def _peak_mb(pid: int) -> int:
    try:
        for line in Path(f'/proc/{pid}/status').read_text().splitlines():
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def measure(folder: Path, timeout: float) -> dict:
    env = {**os.environ, 'AUTOGRADER_LANG': 'en'}
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, '-m', 'autograder', 'check', str(folder)], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    while proc.poll() is None and time.monotonic() - started < timeout:
        peak = max(peak, _peak_mb(proc.pid))
        time.sleep(0.1)
    timed_out = proc.poll() is None
    if timed_out:
        peak = max(peak, _peak_mb(proc.pid))
        proc.kill()
    output = proc.communicate()[0]
    lines = [line for line in output.splitlines() if 'static.imports' in line or 'imports' in line.lower()]
    return {'seconds': round(time.monotonic() - started, 1), 'grader_peak_mb': peak, 'timed_out': timed_out,
            'exit': proc.returncode, 'imports_says': lines[:2], 'last_line': output.strip().splitlines()[-1:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--timeout', type=float, default=120.0)
    parser.add_argument('--case', choices=sorted(CASES), action='append')
    args = parser.parse_args()
    settings = load_settings('eindopdracht-v2324.2')
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        reference = Path(tmp) / 'reference.zip'
        build_example(settings, examples(settings)['reference'], reference)
        for name in args.case or sorted(CASES):
            folder = Path(tmp) / name
            with zipfile.ZipFile(reference) as archive:
                archive.extractall(folder)
            module = folder / settings.module_file
            module.write_text(CASES[name](), encoding='utf-8')
            results[name] = {'model_py_mb': round(module.stat().st_size / 1e6, 1), **measure(folder, args.timeout)}
    print(json.dumps({'benchmark': 'hostile_source', 'target_seconds': 30, 'target_peak_mb': 1024,
                      'cases': results}, indent=1))


if __name__ == '__main__':
    main()

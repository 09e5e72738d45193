"""The student's module as their own `import` sees it, copied for the probes.

A module split over `model.py` and a sibling `layer.py` (or a package importing a helper
beside it) works in the student's folder because Python finds the siblings there. The
probes run in a folder of their own, so they get the same: the module (file or package)
and every `.py` file and package beside it that `import name` could reach from that folder
— never more than the intake already accepted, and bounded again here (files, bytes).
"""
from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ['copy_module_folder', 'importable', 'MAX_FILES', 'MAX_BYTES']

MAX_FILES = 500                  # .py files copied besides the module (a real hand-in has a handful)
MAX_BYTES = 20 * 2 ** 20         # their total size
_SKIPPED = {'__pycache__', 'site-packages', 'venv', 'env', 'node_modules'}


def importable(folder: Path) -> list[Path]:
    """The .py files `import` can reach from `folder`: its own, and those of its packages
    (folders with an __init__.py), recursively; no links, no hidden or virtual-env folders."""
    found: list[Path] = []
    pending = [folder]
    while pending and len(found) <= MAX_FILES:
        current = pending.pop(0)
        try:
            entries = sorted(current.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink() or entry.name.startswith('.') or entry.name in _SKIPPED:
                continue
            if entry.is_file() and entry.suffix == '.py':
                found.append(entry)
            elif entry.is_dir() and (entry / '__init__.py').is_file():
                pending.append(entry)
    return found


def copy_module_folder(module: Path, target: Path) -> list[str]:
    """Copy `module` (a file or a package folder) and the importable .py files beside it into
    `target`, keeping their relative places. Returns what was left out (bounded), as names."""
    module, target = Path(module), Path(target)
    folder = module.parent
    left_out: list[str] = []
    if module.is_dir():
        shutil.copytree(module, target / module.name, symlinks=False)
    else:
        shutil.copy2(module, target / module.name)
    total = 0
    for number, path in enumerate(importable(folder)):
        relative = path.relative_to(folder)
        if relative.parts[0] == module.name:
            continue                            # the module itself, copied above
        size = path.stat().st_size
        if number >= MAX_FILES or total + size > MAX_BYTES:
            left_out.append(relative.as_posix())
            continue
        total += size
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    return left_out[:20]

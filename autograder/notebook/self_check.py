"""The student's self-check from inside Jupyter: `autograder check` on the folder the notebook
sits in, shown under the cell.

    from autograder.notebook import check
    check()                      # or: %load_ext autograder, then %autograder check
    check('layers')              # one part only: activations, losses, neurons, layers

The check runs in a fresh process (`python -m autograder check`), never in the student's
kernel: whatever the kernel has defined, imported or patched, the verdict is the one the
command line would give (`-P`: the notebook's folder is not on its import path, so a student's
file never stands in for the grader's). Its results document comes back as JSON (no HTML
report is rendered for it) and is shown as the student report's hand-in and Deel A sections
(HTML) with the terminal summary as the text fallback.
Under the grader (AUTOGRADER_GRADING is set in every process that runs student code) it does
nothing, so a notebook handed in with this cell runs as it would without it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import _, language, resolve
from ..sandbox.command import GRADING_ENV

__all__ = ['check', 'SelfCheck', 'assignment_of']


@dataclass
class SelfCheck:
    """What the self-check found; Jupyter shows `_repr_html_`, a terminal `str()`."""
    document: dict[str, Any] | None = None
    note: str = ''                      # said once above the results (e.g. no sandbox here)
    problem: str = ''                   # the check could not run: why
    output: str = ''                    # what the check printed (its terminal summary)
    language: str = 'en'
    part: str | None = None             # the one part checked, if so
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.document:
            self.checks = {c['id']: c for c in self.document.get('checks', [])}

    @property
    def failing(self) -> list[str]:
        """The checks that ran and did not pass."""
        return [i for i, c in self.checks.items() if c['status'] not in ('pass', 'skipped')]

    def __str__(self) -> str:
        if self.document is None:
            return self.problem
        return '\n'.join(part for part in (self.note, self.output.strip()) if part)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        from html import escape
        if self.document is None:
            return f'<div class="vlag-self-check"><p><strong>{escape(self.problem)}</strong></p></div>'
        from ..registry import part_of
        from ..report.render import render_self_check
        document = self.document
        if self.part:                   # check('layers'): that part only
            document = {**document, 'checks': [c for c in document['checks'] if part_of(c['id']) == self.part]}
        return render_self_check(document, self.note)


def assignment_of(folder: Path) -> str:
    """The assignment of the work in `folder`, as `autograder check` takes it (edition_of):
    its id, or its settings folder when it lies outside the repository's assignments/."""
    from ..settings import assignments_dir
    from .edition import edition_of
    settings = edition_of(folder).settings
    return settings.id if settings.folder.parent.resolve() == assignments_dir().resolve() else str(settings.folder)


def check(folder: str | Path | None = None, *, part: str | None = None, assignment: str | None = None,
          lang: str | None = None, full: bool = False, timeout: float = 900) -> SelfCheck:
    """Check the work in `folder` (default: the kernel's working folder, which Jupyter makes
    the notebook's) as `autograder check` does; `check('layers')` (or part='layers') checks
    one part of Deel A only; `full=True` also runs the notebook and Deel B (minutes).
    `lang`: 'nl' or 'en' (default: $AUTOGRADER_LANG, else the assignment's)."""
    from ..registry import parts
    if part is None and folder is not None and str(folder) in parts() and not Path(folder).is_dir():
        part, folder = str(folder), None
    folder = Path(folder or os.getcwd()).resolve()
    if os.environ.get(GRADING_ENV):
        with language(resolve(lang)):
            return SelfCheck(problem=_('The self-check does not run while the grader runs this notebook.'))
    assignment = assignment or assignment_of(folder)
    from ..settings import load_settings
    lang = resolve(lang, load_settings(assignment))
    with language(lang), tempfile.TemporaryDirectory(prefix='autograder-self-check-') as out:
        results = Path(out) / 'grading.json'
        command = [sys.executable, '-P', '-m', 'autograder', 'check', *([part] if part else []), str(folder),
                   '--assignment', assignment, '--lang', lang,
                   *(['--full', '--out', out] if full else ['--results', str(results)])]
        env = {**os.environ, 'PYTHONIOENCODING': 'utf-8'}
        try:
            done = subprocess.run(command, capture_output=True, text=True, encoding='utf-8', errors='replace',
                                  timeout=timeout, env=env, cwd=folder)
        except subprocess.TimeoutExpired:
            return SelfCheck(problem=_('The self-check did not finish within {seconds} s.').format(
                seconds=f'{timeout:g}'), language=lang)
        if not results.is_file():
            return SelfCheck(problem=_('The self-check could not run: {reason}').format(
                reason=(done.stderr or done.stdout).strip()[-2000:] or f'exit code {done.returncode}'),
                language=lang)
        document = json.loads(results.read_text(encoding='utf-8'))
        return SelfCheck(document, _sandbox_note(document), output=done.stdout, language=lang, part=part)


def _sandbox_note(document: dict[str, Any]) -> str:
    """Said once: on a machine without bubblewrap (macOS, Windows, a laptop without root) the
    probes ran with resource limits only, which is fine for checking one's own work."""
    environment = document.get('environment') or {}
    if environment.get('sandboxed', True):
        return ''
    return _('No sandbox on this computer (bubblewrap needs Linux and a setup with root): your module ran as an '
             'ordinary process with time limits. That is fine for checking your own work; the grader runs it '
             'in its sandbox.')


def magic(line: str) -> SelfCheck | None:
    """`%autograder check [PART] [--full] [--lang nl|en] [FOLDER]`."""
    from ..registry import parts
    words = line.split()
    if not words or words[0] != 'check':
        print(_('Usage: %autograder check [PART] [--full] [--lang nl|en] [FOLDER]'))
        return None
    options: dict[str, Any] = {'full': '--full' in words}
    rest = [w for w in words[1:] if w != '--full']
    if '--lang' in rest:
        at = rest.index('--lang')
        options['lang'] = rest[at + 1] if at + 1 < len(rest) else None
        del rest[at:at + 2]
    if rest and rest[0] in parts() and not Path(rest[0]).is_dir():
        options['part'] = rest.pop(0)
    return check(rest[0] if rest else None, **options)

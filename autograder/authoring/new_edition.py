"""Start next term's edition from an existing one: `autograder new-assignment --from ID --id NEW`.

Copies the assignment folder (settings, master notebook, README), gives the copy its id,
regenerates its expected values and writes a README that lists what to do next
(docs/new-edition.md explains each step). Nothing existing is overwritten.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

from ..settings import SettingsError, assignments_dir, load_settings
from . import expected

__all__ = ['new_assignment']

ID = re.compile(r'[a-z0-9][a-z0-9._-]*')


def new_assignment(source: str | Path, new_id: str, *, title: str | None = None,
                   root: Path | None = None) -> Path:
    """Copy the assignment `source` to `root/new_id` (root: the repository's assignments/)."""
    if not ID.fullmatch(new_id):
        raise SettingsError(f'{new_id!r}: an assignment id is lower-case characters, digits, dots, dashes and '
                            'underscores (it is also the folder name)')
    settings = load_settings(source)
    target = Path(root or assignments_dir()) / new_id
    if target.exists():
        raise SettingsError(f'{target} exists already: choose another id, or remove it first')
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f'.{new_id}-', dir=target.parent))
    try:
        for name in ('assignment.toml', settings.master_notebook):
            shutil.copy2(settings.folder / name, staging / name)
        toml = staging / 'assignment.toml'
        text = toml.read_text(encoding='utf-8')
        text = re.sub(r'(?m)^id = ".*"$', f'id = "{new_id}"', text, count=1)
        if title is not None:
            text = re.sub(r'(?m)^title = ".*"$', 'title = ' + _toml_string(title), text, count=1)
        toml.write_text(text, encoding='utf-8')
        (staging / 'README.md').write_text(_readme(new_id, settings, title), encoding='utf-8')
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    expected.write(load_settings(target))          # also proves the copy loads
    return target


def _toml_string(text: str) -> str:
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"') + '"'


def _readme(new_id: str, source, title: str | None) -> str:
    return f'''# Assignment `{new_id}`

*{title or source.title}*: made on {date.today().isoformat()} from
[`{source.id}`](../{source.id}/README.md) with `autograder new-assignment`. Every field of
`assignment.toml` is documented in `docs/assignment-settings.md`; the steps from here are in
`docs/new-edition.md`:

```sh
# 1. edit assignment.toml (what changes this term) and master.ipynb (in Jupyter)
# 2. regenerate what derives from them
autograder expected --assignment {new_id}
autograder template --assignment {new_id} --out student_template/{new_id}
autograder examples --assignment {new_id} --out /tmp/{new_id}-examples
# 3. check: the reference scores full marks, each flawed example loses its checks
autograder grade /tmp/{new_id}-examples/reference.zip --assignment {new_id} --profile quick --out /tmp/{new_id}-reference
# 4. what students run in their folder: it grades this edition (the template's notebook names it)
autograder check student_template/{new_id}
```
'''

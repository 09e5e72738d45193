"""Reading an nbformat-4 notebook without importing nbformat, for the self-check.

`import nbformat` imports its validator and with it jsonschema, whose format checkers take
~5 s in an ordinary JupyterLab environment (measured; the self-check's budget is 3 s). The
same check costs ~0.1 s done as nbformat does it underneath: the notebook's JSON, its
multi-line strings joined, validated by fastjsonschema against the schema nbformat ships
for that minor version. Anything else (another version, a notebook this validation rejects)
is left to nbformat itself, so its verdicts and messages are unchanged.
"""
from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from typing import Any

__all__ = ['Node', 'loads', 'read']

MULTILINE = ('source', 'text')          # fields nbformat stores as lists of lines and reads as one string


class Node(dict):
    """A dict whose keys read as attributes, like nbformat's NotebookNode (a dict too)."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value


def _node(value: Any, key: str = '', bundle: bool = False) -> Any:
    """As nbformat's rejoin_lines: a cell's source, a stream's text and every non-JSON entry
    of a mime bundle (an output's data, an attachment) become one string. `bundle`: `value`
    is a mime bundle."""
    if isinstance(value, dict):
        if bundle:
            return Node({k: ''.join(v) if _lines(v) and not (k == 'application/json' or k.endswith('+json'))
                         else _node(v, k) for k, v in value.items()})
        return Node({k: _node(v, k, bundle=k == 'data' or key == 'attachments') for k, v in value.items()})
    if isinstance(value, list):
        return ''.join(value) if key in MULTILINE and _lines(value) else [_node(v) for v in value]
    return value


def _lines(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(line, str) for line in value)


@functools.cache
def _validator(minor: int):
    """nbformat's own schema for 4.`minor`, compiled; None when nbformat or the schema is missing."""
    try:
        import fastjsonschema
        spec = importlib.util.find_spec('nbformat')     # finds the package without importing it
    except ImportError:
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    schema = Path(list(spec.submodule_search_locations)[0]) / 'v4' / f'nbformat.v4.{minor}.schema.json'
    if not schema.is_file():
        return None
    return fastjsonschema.compile(json.loads(schema.read_text(encoding='utf-8')))


def loads(text: str) -> Node | None:
    """The notebook when it is a valid nbformat 4 notebook by nbformat's schema; None when
    nbformat must judge it (another version, invalid, no schema here)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get('nbformat') != 4 or not isinstance(data.get('nbformat_minor'), int):
        return None
    validate = _validator(data['nbformat_minor'])
    if validate is None:
        return None
    try:
        validate(data)
    except Exception:               # fastjsonschema.JsonSchemaException and its kin: nbformat says why
        return None
    cells = data.get('cells') or []
    ids = [c.get('id') for c in cells if isinstance(c, dict) and 'id' in c]
    if len(ids) != len(set(ids)):
        return None                 # nbformat repairs duplicate ids: let it
    return _node(data)


def read(path: Path) -> Any:
    """A trusted notebook (the assignment's own), as fast as it can be read."""
    text = Path(path).read_text(encoding='utf-8')
    notebook = loads(text)
    if notebook is None:
        import nbformat
        notebook = nbformat.reads(text, as_version=4)
    return notebook

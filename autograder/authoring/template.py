"""Build what students receive: `autograder template --assignment ID --out DIR`.

Three files, all derived from the assignment's settings, its master notebook and the
reference module, so that the template cannot drift from the master:

- the notebook: the master with outputs cleared and every cell tagged 'solution' emptied
  to its step heading and a placeholder (the tag itself is instructor metadata and is
  dropped; 'parameters' stays so the grader's quick profile can inject after it);
- `model.py`: a skeleton with every name of the reference's flat namespace
  (`vlearning.model.__all__`), the reference's signatures and a docstring saying what to
  write, every body `raise NotImplementedError`; standard library only;
- `README.md` (Dutch and English): what the files are, what to hand in, how to check.

The output is deterministic (cell ids from the master, no dates or versions), so a
rebuild is byte-identical and tests can compare it with the committed template. The
course's `data.py` and data file are deliberately not included: the course hands them out
on Blackboard, and the grader installs its own `data.py` when it runs the notebook.
"""
from __future__ import annotations

import ast
import tomllib
import inspect
from pathlib import Path

import jinja2
import nbformat

from ..results import write_text_atomic
from ..settings import NOTEBOOK_METADATA_KEY, Settings

__all__ = ['build_template', 'student_notebook', 'self_check_cells', 'model_skeleton', 'student_readme',
           'SOLUTION_TAG', 'PARAMETERS_TAG', 'PLACEHOLDER', 'PROTOCOL_METHODS']

SOLUTION_TAG = 'solution'
PARAMETERS_TAG = 'parameters'
PLACEHOLDER = '# Schrijf hier je eigen code'
# The methods of the course's classes a student must write (the course's API). Helpers
# the reference adds (e.g. Layer.describe, Layer._forward) are its own business.
PROTOCOL_METHODS = ('__init__', '__repr__', '__call__', '__add__', '__iadd__', '__getitem__',
                    '__len__', '__iter__', 'add', 'set_inputs', 'predict', 'partial_fit', 'fit',
                    'evaluate')


# --- the notebook ---------------------------------------------------------------------------
def _tags(cell) -> list[str]:
    return list(cell.get('metadata', {}).get('tags', []))


def _assigned_names(source: str) -> list[str]:
    """Names a cell assigns at top level, in order (to tell students what the grader reads)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        else:
            continue
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name) and sub.id not in names:
                    names.append(sub.id)
    return names


def _emptied_source(cell, settings: Settings) -> str:
    """The step heading of a solution cell, a placeholder, and what the grader needs from it."""
    lines = cell.source.splitlines()
    heading = [lines[0]] if lines and lines[0].lstrip().startswith('#') else []
    assigned = _assigned_names(cell.source)
    if PARAMETERS_TAG in _tags(cell):
        injected = settings.profile('quick').parameters
        body = [f'{PLACEHOLDER}: de instellingen van je eigen model, bijvoorbeeld']
        body += [f'#     {name} = ...' for name in assigned]
        if injected:
            shown = ', '.join(f'{name} = {value!r}' for name, value in injected.items())
            body.append(f'# `autograder check --full` zet direct na deze cel: {shown}')
        return '\n'.join(heading + body)
    part_b = settings.part_b
    read = [name for name in (part_b.model_variable, part_b.history_variable, *part_b.test_variables)
            if name in assigned]
    if read:
        return '\n'.join(heading + [f"{PLACEHOLDER} (de autograder gebruikt hierna: {', '.join(read)})"])
    return '\n'.join(heading + [PLACEHOLDER])


def student_notebook(settings: Settings) -> nbformat.NotebookNode:
    """The master notebook as handed out: outputs cleared, solution cells emptied."""
    nb = nbformat.read(settings.master_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == 'code':
            cell.outputs = []
            cell.execution_count = None
            for key in ('execution', 'ExecuteTime', 'collapsed', 'scrolled'):
                cell.metadata.pop(key, None)
        tags = _tags(cell)
        if SOLUTION_TAG not in tags:
            continue
        cell.source = _emptied_source(cell, settings)
        tags.remove(SOLUTION_TAG)
        if tags:
            cell.metadata['tags'] = tags
        else:
            cell.metadata.pop('tags', None)
    nb.cells += self_check_cells()
    nb.metadata[NOTEBOOK_METADATA_KEY] = {'assignment': settings.id}    # `autograder check` grades this edition
    nbformat.validate(nb)
    return nb


SELF_CHECK_MARKDOWN = '''## Optioneel: je werk controleren / *Optional: check your work*

Deze cel draait `autograder check` op de map van dit notebook (in een apart proces, dus wat er in
deze kernel gedefinieerd is telt niet mee) en laat per controle zien wat goed is, wat niet, en waar
je het verbetert. Zie README.md, "Zelf controleren". Tijdens het beoordelen slaat de autograder deze
cel over; je mag hem laten staan.

*This cell runs `autograder check` on this notebook's folder and shows each check's result under
it. The grader skips it; you may leave it in.*'''

SELF_CHECK_CODE = '''# Optioneel: controleer je werk (Deel A) zonder het notebook te verlaten; check(full=True) draait ook Deel B.
try:
    from autograder.notebook import check
except ImportError:
    print('De autograder is niet geïnstalleerd in deze kernel: zie README.md, "Zelf controleren".')
else:
    display(check())'''


def self_check_cells() -> list[nbformat.NotebookNode]:
    """The template's last, optional cells: the self-check (autograder/notebook/self_check.py),
    which the grader skips (notebook/cells.py, is_self_check)."""
    markdown = nbformat.v4.new_markdown_cell(SELF_CHECK_MARKDOWN, id='self-check-intro')
    code = nbformat.v4.new_code_cell(SELF_CHECK_CODE, id='self-check', metadata={'tags': ['self-check']})
    return [markdown, code]


# --- model.py -------------------------------------------------------------------------------
TEXTS = Path(__file__).with_name('templates')       # the prose: README, model.py's header, docstrings
_HEADER = (TEXTS / 'model_header.txt').read_text(encoding='utf-8')
DOCSTRINGS: dict[str, str] = tomllib.loads((TEXTS / 'docstrings.toml').read_text(encoding='utf-8'))


class _Name:
    """A default value shown by name (`activation=linear`), not by repr (`<function ...>`)."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


def _signature(function) -> str:
    """The reference's signature, with defaults shown by name."""
    signature = inspect.signature(function)
    parameters = []
    for parameter in signature.parameters.values():
        default = parameter.default
        if default is not inspect.Parameter.empty and callable(default) and hasattr(default, '__name__'):
            parameter = parameter.replace(default=_Name(default.__name__))
        parameters.append(parameter)
    return str(signature.replace(parameters=parameters, return_annotation=inspect.Signature.empty))


def _docstring(key: str, indent: str) -> str:
    """The docstring of `key` ('name' or 'Class.method'), as written in DOCSTRINGS."""
    try:
        text = DOCSTRINGS[key]
    except KeyError:
        raise KeyError(f'autograder.authoring.template.DOCSTRINGS has no entry for {key!r}: the reference gained a '
                       'name; write there what students must implement') from None
    lines = text.split('\n')
    if len(lines) == 1:
        return f'{indent}"""{text}"""\n'
    return f'{indent}"""' + f'\n{indent}'.join(lines) + f'\n{indent}"""\n'


def _function(name: str, function, indent: str = '', key: str | None = None) -> str:
    return (f'{indent}def {name}{_signature(function)}:\n'
            + _docstring(key or name, indent + '    ')
            + f'{indent}    raise NotImplementedError\n')


def _class(name: str, cls) -> str:
    bases = [b.__name__ for b in cls.__bases__ if b is not object]
    head = f'class {name}({", ".join(bases)}):\n' if bases else f'class {name}:\n'
    parts = [head + _docstring(name, '    ')]
    for method in vars(cls):              # the reference's order
        if method in PROTOCOL_METHODS:
            parts.append(_function(method, vars(cls)[method], '    ', key=f'{name}.{method}'))
    return '\n'.join(parts)


def model_skeleton() -> str:
    """model.py for students: every name of `vlearning.model.__all__`, no implementation."""
    from vlearning import model as reference
    parts = [_HEADER]
    for name in reference.__all__:
        obj = getattr(reference, name)
        parts.append(_class(name, obj) if inspect.isclass(obj) else _function(name, obj))
    source = '\n\n'.join(parts)
    ast.parse(source)
    return source


# --- README.md ------------------------------------------------------------------------------
def _names(names: list[str], word: str) -> str:
    """`a`, `b` <word> `c`: a list of names in a sentence."""
    quoted = [f'`{name}`' for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} {word} {quoted[-1]}"


def student_readme(settings: Settings) -> str:
    """The template's README (templates/README.md.j2), in Dutch and English, with the
    assignment's names and numbers."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEXTS), keep_trailing_newline=True,
                                     autoescape=False, undefined=jinja2.StrictUndefined)
    environment.filters['names'] = _names
    environment.filters['percent'] = lambda value: f'{value:.0%}'
    part_b, quick = settings.part_b, settings.profile('quick')
    instances = f'{quick.data_groups * part_b.classes:,}'
    return environment.get_template('README.md.j2').render(
        settings=settings, nb=settings.notebook, html=settings.html_export, zip_name=settings.zip_name,
        module=settings.module_file, data_file=part_b.data_file, data_zip=Path(part_b.data_file).stem + '.zip',
        part_b=part_b, quick=quick, full=settings.profile('full'), instances=instances,
        instances_nl=instances.replace(',', '.'),              # Dutch thousands separator
        variables=[part_b.model_variable, part_b.history_variable, *part_b.test_variables],
        injected=list(quick.parameters))


# --- the command ----------------------------------------------------------------------------
def build_template(settings: Settings, out: Path) -> list[Path]:
    """Write the notebook, model.py and README.md into `out`; returns the paths written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        settings.notebook: nbformat.writes(student_notebook(settings)) + '\n',
        settings.module_file: model_skeleton(),
        'README.md': student_readme(settings),
    }
    written = []
    for name, text in files.items():
        written.append(write_text_atomic(out / name, text))
    return written

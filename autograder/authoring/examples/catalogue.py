"""The example submissions: the reference, one per deliberate flaw, and one per variation.

A variation (`variant-*`) is a correct module written the way some real submissions write
it (mutations.VARIATIONS): it must keep every point, like the reference. Each flaw is a change to the module (a mutation of the bundled reference) and/or to the
notebook, with the checks it must fail and a phrase the failing message must contain;
the grader's tests assert exactly that, so this table is also the specification of what
each message says.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from ...registry import PART_A_CHECKS, PART_B_CHECKS
from .mutations import VARIATIONS
from .split import split_module

if TYPE_CHECKING:
    from ...settings import Settings

__all__ = ['Example', 'examples']


def _replace_in_cells(old: str, new: str, *, tag: str | None = None, count: int = 1, regex: bool = False) -> Callable:
    """An edit of the notebook: `old` (a regular expression with regex=True) replaced in
    exactly `count` cells (those tagged `tag`, if given)."""
    def edit(nb):
        hits = 0
        for cell in nb.cells:
            if tag and tag not in cell.get('metadata', {}).get('tags', []):
                continue
            changed = re.sub(old, new, cell.source) if regex else cell.source.replace(old, new)
            if changed != cell.source:
                cell.source = changed
                hits += 1
        if hits != count:
            raise ValueError(f'notebook edit: expected {old!r} in {count} cell(s), found {hits}')
    return edit


@dataclass(frozen=True)
class Example:
    name: str
    description: str
    mutation: str | None = None                       # see mutations.MUTATIONS
    notebook_edits: tuple[Callable, ...] = ()
    fails: dict[str, str] = field(default_factory=dict)   # check id → phrase in its message
    files: Callable[[str], dict[str, str]] | None = None   # the module as several files: module file → sources


def _without_required_activation(settings: Settings) -> Example:
    """The master's model with tanh where the assignment requires its activation (and its arguments)."""
    required = settings.part_b.required_activations
    pattern = rf"activation=model\.{re.escape(required[0])}(\s*,\s*({'|'.join(settings.part_b.required_parameters) or '_'})=[^,)]+)*"
    return Example(f'flawed-no-{required[0]}', f"Deel B uses tanh instead of {' or '.join(required)}",
                   notebook_edits=(_replace_in_cells(pattern, 'activation=model.tanh', tag='solution', regex=True),),
                   fails={'partb.activation': f"requires {' or '.join(required)}"})


def _template_deel_b(settings: Settings) -> Callable:
    """An edit of the notebook: the graded run's cells (tagged 'solution') as the template hands
    them out, step headings and placeholders only."""
    from ..template import SOLUTION_TAG, student_notebook
    template = {cell.id: cell.source for cell in student_notebook(settings).cells}

    def edit(nb):
        solutions = [cell for cell in nb.cells if SOLUTION_TAG in cell.get('metadata', {}).get('tags', [])]
        if not solutions:
            raise ValueError("notebook edit: no cell tagged 'solution'")
        for cell in solutions:
            cell.source = template[cell.id]
            cell.metadata['tags'] = [t for t in cell.metadata['tags'] if t != SOLUTION_TAG]
    return edit


def _untouched_deel_b(settings: Settings) -> Example:
    return Example('flawed-untouched-deel-b', "Deel B's graded run handed in as the template's placeholders",
                   notebook_edits=(_template_deel_b(settings),),
                   fails={check_id: 'Deel B is not done' for check_id in PART_B_CHECKS if check_id.startswith('partb.')})


def examples(settings: Settings) -> dict[str, Example]:
    """The examples of an assignment, by name: the same flaws and variations for every edition,
    the flaw of Part B's required activation made from its settings."""
    found = {e.name: e for e in [*_COMMON[:4], _without_required_activation(settings), *_COMMON[4:],
                                  _untouched_deel_b(settings)]}
    found.update({f'variant-{name}': Example(f'variant-{name}', f'a correct module with {m.description}',
                                             mutation=name) for name, m in VARIATIONS.items()
                  if m.applies_to(settings.id)})
    for name, m in VARIATIONS.items():       # where a variation is not correct, it is a flaw
        if not m.applies_to(settings.id) and name in _FLAWS_ELSEWHERE:
            check_id, phrase = _FLAWS_ELSEWHERE[name]
            found[f'flawed-{name}'] = Example(f'flawed-{name}', m.description, mutation=name,
                                              fails={check_id: phrase})
    found['variant-split-module'] = Example(
        'variant-split-module', 'a correct module split over model.py and a sibling functions.py it imports',
        files=split_module)
    found['variant-all'] = Example('variant-all', 'a correct module with every known variation at once',
                                   mutation='all-variations')
    return found


# A variation that is a flaw in the editions it does not apply to: the check it loses there,
# and a phrase of its message.
_FLAWS_ELSEWHERE = {
    'no-beta-pass-through': ('layers.api', 'should pass beta on to its activation'),
}

_COMMON = [
    Example('reference', 'the reference solution: full marks'),
    Example('flawed-overflow', 'tanh written with exp overflows at ±1000', mutation='tanh-overflow',
            fails={'activations.table': 'tanh: wrong at -1000', 'activations.hidden': 'tanh is wrong for large'}),
    Example('flawed-softmax-gradient', "SoftmaxLayer backpropagates with only the Jacobian's diagonal",
            mutation='softmax-diagonal',
            fails={'layers.gradients': 'SoftmaxLayer', 'layers.training': 'training loss should fall'}),
    Example('flawed-alpha-not-over-n', 'DenseLayer updates with α instead of α/N', mutation='alpha-not-over-n',
            fails={'layers.updates': '5× too large'}),
    Example('flawed-error-cell', 'a typo in a Deel A cell raises NameError',
            notebook_edits=(_replace_in_cells("xs, ys = data.linear('numeric', noise=0.5)\nmy_model = model.LinearRegression(dim=2)\nmy_model.fit(xs, ys)\ndata.scatter(xs, ys, model=my_model)",
                                              "xs, ys = data.linear('numeric', noise=0.5)\nmy_model = model.LinearRegression(dim=2)\nmy_model.fit(xs, ys)\ndata.scatter(xs, ys, model=my_modle)"),),
            fails={'notebook.runs': "NameError: name 'my_modle' is not defined"}),
    Example('flawed-locked-cell', 'the locked end cell is edited to report half the time',
            notebook_edits=(_replace_in_cells('(perf_counter() - starttime) / 60.0', '(perf_counter() - starttime) / 120.0'),),
            fails={'static.locked-cells': 'locked cell 2', 'partb.time': 'cannot be timed'}),
    # a real bug, never 'tampering': judged on accuracy (still above the threshold), with a note
    Example('flawed-bias-per-input', 'Neuron.predict adds the bias once per input (b·dim + w·x)',
            mutation='bias-per-input'),
    Example('flawed-numpy-import', 'numpy imported in the module', mutation='numpy-import',
            fails={'static.imports': 'model.py:'}),
    Example('flawed-import-error', 'the module raises on import', mutation='import-error',
            fails={**{check_id: 'the module cannot be imported — importing it raised RuntimeError'
                      for check_id in PART_A_CHECKS},
                   'notebook.runs': 'RuntimeError'}),
    Example('flawed-renamed-layers', "layer classes named 'Dense' and 'Activation'", mutation='renamed-layers',
            fails={'layers.api': "named 'Dense' instead of 'DenseLayer'", 'notebook.runs': 'AttributeError'}),
    # A misnamed or missing class or function costs points once, in the check that names it;
    # everything else is probed with the class under its alias, or the course's formula.
    Example('flawed-output-layer', "the loss layer named 'OutputLayer'", mutation='output-layer',
            fails={'layers.api': "named 'OutputLayer' instead of 'LossLayer'", 'notebook.runs': 'AttributeError'}),
    Example('flawed-no-categorical-crossentropy', 'the module has no categorical_crossentropy',
            mutation='no-categorical-crossentropy',
            fails={'losses.table': "has no function 'categorical_crossentropy'", 'notebook.runs': 'AttributeError'}),
    Example('flawed-names-none', 'layers get no default name (name=None unless one is given)', mutation='names-none',
            fails={'layers.api': "default names should be '<ClassName>_<n>'"}),
    Example('flawed-no-softsign', 'the module has no softsign', mutation='no-softsign',
            fails={'activations.table': "has no function 'softsign'", 'notebook.runs': 'AttributeError'}),
]

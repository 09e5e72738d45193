"""Every check the grader can report, one record each: the one place a check is declared.

The settings give each record's id its points (`[points]`); the pipeline (grade.py) runs the
records of each step in this order; the results list them in this order; the report groups
them by `group` and draws their details with the report's panel named `panel`. Adding a
check is one module in checks/ with a function `judge(ctx) -> Check`, one record here and
its points in the assignment's settings (docs/architecture.md shows an example).

This module imports nothing of the grader but its languages (i18n), so everything may import
it. Titles are declared in English (N_) and translated when they are asked for (title()).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .i18n import N_, _, join_or


__all__ = ['CheckRecord', 'CHECKS', 'BY_ID', 'CHECK_IDS', 'STEPS', 'STATIC', 'PART_A', 'PART_B',
           'STATIC_CHECKS', 'PART_A_CHECKS', 'PART_B_CHECKS', 'GROUPS', 'ids_of', 'record', 'title', 'group_title',
           'register', 'part_of', 'parts']

STATIC, PART_A, PART_B = 'static', 'part_a', 'part_b'
STEPS = (STATIC, PART_A, PART_B)       # static checks → probes of the module → the notebook run


@dataclass(frozen=True)
class CheckRecord:
    id: str                       # also the check's key in the settings' [points]
    title: str                    # may name the assignment's values: see title()
    step: str                     # STATIC | PART_A | PART_B
    group: str                    # the report section (GROUPS)
    judge: str                    # 'module:function' in autograder.checks; function(ctx) -> Check
    tasks: tuple[str, ...] = ()   # the probe tasks it relies on: ids, or prefixes ending in ':'
    panel: str = 'generic'        # the report's way of showing its details (report/views.py)

    def relies_on(self, task_id: str) -> bool:
        """Whether a probe task (or 'import', or '*' for all of them) concerns this check."""
        return task_id in ('import', '*') or any(
            task_id == t or (t.endswith(':') and task_id.startswith(t)) for t in self.tasks)


# Report sections, in order.
GROUPS = (
    ('handin', N_('Hand-in and static checks')),
    ('functions', N_('Deel A: activation and loss functions')),
    ('neurons', N_('Deel A: single neurons')),
    ('layers', N_('Deel A: the layers of a network')),
    ('notebook', N_('The notebook run')),
    ('partb', N_('Deel B: the trained model')),
)

CHECKS = (
    CheckRecord('submission.files', N_('The hand-in holds the module, the notebook and its HTML export'),
                STATIC, 'handin', 'submission_files:judge', panel='submission'),
    CheckRecord('static.imports', N_('The module imports only the Python standard library'),
                STATIC, 'handin', 'module_imports:judge', panel='imports'),
    CheckRecord('static.notebook-format', N_('The notebook is a valid Jupyter notebook with its outputs cleared'),
                STATIC, 'handin', 'notebook_format:judge'),
    CheckRecord('static.locked-cells', N_('The locked cells ("{locked_marker}") are unchanged'),
                STATIC, 'handin', 'locked_cells:judge'),
    CheckRecord('activations.table', N_('Activation functions: the table of Deel A'),
                PART_A, 'functions', 'function_tables:activations_table', ('names', 'activation:'), 'table'),
    CheckRecord('activations.hidden', N_('Activation functions at hidden probe points'),
                PART_A, 'functions', 'function_tables:activations_hidden', ('names', 'activation:'),
                'hidden_functions'),
    CheckRecord('derivative', N_('derivative(): central difference with a primed name'),
                PART_A, 'functions', 'derivative:judge', ('derivative',)),
    CheckRecord('losses.table', N_('Loss functions: the table of Deel A'),
                PART_A, 'functions', 'function_tables:losses_table', ('names', 'loss:'), 'table'),
    CheckRecord('losses.hidden', N_('Loss functions at hidden probe points'),
                PART_A, 'functions', 'function_tables:losses_hidden', ('names', 'loss:'), 'hidden_functions'),
    CheckRecord('neuron.perceptron', N_('Perceptron: converges on separable data'),
                PART_A, 'neurons', 'neurons:perceptron', ('neuron:perceptron',)),
    CheckRecord('neuron.svm', N_('Neuron with hinge loss (support vector machine)'),
                PART_A, 'neurons', 'neurons:svm', ('neuron:svm',)),
    CheckRecord('neuron.logistic', N_('Neuron with sigmoid and binary cross-entropy (logistic regression)'),
                PART_A, 'neurons', 'neurons:logistic', ('neuron:logistic',)),
    CheckRecord('neuron.linear-regression', N_('LinearRegression: fits a noisy plane'),
                PART_A, 'neurons', 'neurons:linear_regression', ('neuron:linear-regression',)),
    CheckRecord('layers.api', N_('Layers: names, chaining, indexing, reprs and initialisation'),
                PART_A, 'layers', 'layers_api:judge', ('names', 'layers_api')),
    CheckRecord('layers.gradients', N_('Backpropagation: gs of every layer type against finite differences'),
                PART_A, 'layers', 'gradients:judge', ('gradient:',), 'gradients'),
    CheckRecord('layers.updates', N_('DenseLayer updates: bₒ −= (α/N)·Σₙ qₙₒ and wₒᵢ −= (α/N)·Σₙ qₙₒ·xₙᵢ'),
                PART_A, 'layers', 'updates:judge', ('update:',), 'updates'),
    CheckRecord('layers.training', N_('Training: fit, predict, evaluate and partial_fit'),
                PART_A, 'layers', 'training:judge', ('training',)),
    CheckRecord('notebook.runs', N_('The notebook runs top to bottom without errors'),
                PART_B, 'notebook', 'notebook_runs:judge', panel='notebook'),
    CheckRecord('partb.activation', N_('Deel B uses {required_activations}'),
                PART_B, 'partb', 'partb_activation:judge', panel='activation'),
    CheckRecord('partb.time', N_('Deel B: the graded run takes at most {time_limit} minutes (normalised)'),
                PART_B, 'partb', 'partb_time:judge', panel='time'),
    CheckRecord('partb.accuracy', N_('Deel B accuracy on the hidden test set (minimum {min_accuracy}, target {target_accuracy})'),
                PART_B, 'partb', 'partb_accuracy:judge', panel='accuracy'),
    CheckRecord('partb.overfitting', N_('Deel B does not visibly overfit'),
                PART_B, 'partb', 'partb_overfitting:judge', panel='overfitting'),
)



def ids_of(step: str) -> tuple[str, ...]:
    return tuple(r.id for r in CHECKS if r.step == step)


def _derive() -> None:
    """The names derived from CHECKS (the grader reads them as registry.X, at use)."""
    global BY_ID, CHECK_IDS, STATIC_CHECKS, PART_A_CHECKS, PART_B_CHECKS
    BY_ID = {r.id: r for r in CHECKS}
    CHECK_IDS = tuple(BY_ID)
    STATIC_CHECKS, PART_A_CHECKS, PART_B_CHECKS = (ids_of(step) for step in STEPS)


def register(new: CheckRecord, *, after: str | None = None) -> None:
    """Add a check (after the check `after`, else at the end of its step). Checks of this
    project are written into CHECKS above; this is for a course's own additions and tests."""
    global CHECKS
    if new.id in BY_ID:
        raise ValueError(f'a check {new.id!r} is registered already')
    checks = list(CHECKS)
    anchor = after or next((r.id for r in reversed(checks) if r.step == new.step), checks[-1].id)
    checks.insert(checks.index(BY_ID[anchor]) + 1, new)
    CHECKS = tuple(checks)
    _derive()


BY_ID: dict[str, CheckRecord] = {}
CHECK_IDS = STATIC_CHECKS = PART_A_CHECKS = PART_B_CHECKS = ()
_derive()


def record(check_id: str) -> CheckRecord:
    try:
        return BY_ID[check_id]
    except KeyError:
        raise KeyError(f'no check {check_id!r} in autograder/registry.py (known: {", ".join(CHECK_IDS)})') from None


def title(check_id: str, settings: Any = None, profile: Any = None) -> str:
    """The check's title in the current language, with the assignment's values filled in:
    {locked_marker}, {required_activations} from the settings, {time_limit}, {min_accuracy},
    {target_accuracy} from the Part B profile. Without them, the values are left out."""
    values = {'locked_marker': '…', 'required_activations': _('the required activation'),
              'time_limit': '…', 'min_accuracy': '…', 'target_accuracy': '…'}
    if settings is not None:
        required = join_or([DISPLAY_NAMES.get(a, a) for a in settings.part_b.required_activations])
        if settings.part_b.required_parameters:
            required += ' (' + ', '.join(f'{DISPLAY_NAMES.get(k, k)} = {v:g}'
                                         for k, v in settings.part_b.required_parameters.items()) + ')'
        values.update(locked_marker=settings.locked_marker, required_activations=required)
    if profile is not None:
        values.update(time_limit=f'{profile.time_limit_minutes:g}', min_accuracy=f'{profile.min_accuracy:.0%}',
                      target_accuracy=f'{profile.target_accuracy:.0%}')
    return _(record(check_id).title).format(**values)


# The assignment's parts a student can check on their own (`autograder check activations`):
# a Part A check's part is the first word of its id, with these two spelt as the course does.
PART_NAMES = {'derivative': 'activations', 'neuron': 'neurons'}


def part_of(check_id: str) -> str | None:
    """The part of the assignment a Part A check belongs to (None for the others)."""
    entry = BY_ID.get(check_id)
    if entry is None or entry.step != PART_A:
        return None
    first = check_id.split('.')[0]
    return PART_NAMES.get(first, first)


def parts() -> tuple[str, ...]:
    """The parts, in the order of their first check: activations, losses, neurons, layers."""
    return tuple(dict.fromkeys(p for p in (part_of(r.id) for r in CHECKS) if p))


def group_title(key: str) -> str:
    """A report section's title in the current language."""
    return _(dict(GROUPS).get(key, N_('Other checks')))


# How the literature writes the activation functions an assignment may require, and their parameters.
DISPLAY_NAMES = {'elish': 'ELiSH', 'hardelish': 'HardELiSH', 'nipuna': 'NIPUNA', 'swish': 'Swish',
                 'relu': 'ReLU', 'tanh': 'tanh', 'sigmoid': 'sigmoid', 'softplus': 'softplus',
                 'beta': 'β', 'alpha': 'α'}

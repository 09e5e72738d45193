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
import inspect
from pathlib import Path

import nbformat

from .results import write_text_atomic
from .settings import Settings

__all__ = ['build_template', 'student_notebook', 'model_skeleton', 'student_readme',
           'SOLUTION_TAG', 'PARAMETERS_TAG', 'PLACEHOLDER', 'PROTOCOL_METHODS']

SOLUTION_TAG = 'solution'
PARAMETERS_TAG = 'parameters'
PLACEHOLDER = '# Schrijf hier je eigen code'
# The methods of the course's classes a student must write (spec: course-api.md). Helpers
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
    nbformat.validate(nb)
    return nb


# --- model.py -------------------------------------------------------------------------------
_HEADER = '''"""model.py: jouw eigen neurale-netwerkmodule / your own neural-network module.

NL: Vul elke functie en methode in met je eigen code uit de werkcolleges (vervang elke
`raise NotImplementedError`). Alleen de Python Standard Library is toegestaan (math,
random, copy, collections, ...); numpy, sklearn e.d. niet. Namen en signaturen zijn wat
het notebook en de autograder gebruiken: verander ze niet.

EN: Replace every `raise NotImplementedError` by your own code from the workshops. Only
the Python standard library is allowed (no numpy, sklearn, ...). The names and signatures
are what the notebook and the grader call: keep them.

Activation functions take one float and return one float; every one of them must work at
±1000 without OverflowError (math.exp overflows above about 709.78) and return the true
limit there. Loss functions take (yhat, y) for one output element. xs is a list of
instances (each a list of floats); ys a list of targets (a float each for the single-neuron
models, a list per instance for the layers).
"""
import math
import random
'''

_OVERFLOW = '\nNo OverflowError for any float: math.exp(x) overflows for x > 709.78.'
DOCSTRINGS: dict[str, str] = {
    # activation functions: one float in, one float out
    'linear': 'Identity: φ(a) = a.',
    'tanh': 'Hyperbolic tangent: φ(a) = (eᵃ − e⁻ᵃ) / (eᵃ + e⁻ᵃ); tanh(±1000) = ±1.' + _OVERFLOW,
    'softsign': 'φ(a) = a / (1 + |a|).',
    'sigmoid': 'Logistic function: φ(a) = 1 / (1 + e⁻ᵃ); sigmoid(−1000) = 0, sigmoid(1000) = 1.' + _OVERFLOW,
    'softplus': 'φ(a) = ln(1 + eᵃ); softplus(1000) = 1000, softplus(−1000) = 0.' + _OVERFLOW,
    'relu': 'Rectified linear unit: φ(a) = max(0, a).',
    'swish': 'φ(a) = a·sigmoid(β·a); swish(−1000) = −0, swish(1000) = 1000.' + _OVERFLOW,
    'sign': 'φ(a) = −1 for a < 0, 0 for a = 0, +1 for a > 0.',
    'elish': ('ELiSH (Basirat & Roth, 2018):\n'
              'φ(a) = a·sigmoid(a) for a ≥ 0 and (eᵃ − 1)·sigmoid(a) for a < 0; elish(−1000) = −0.'
              + _OVERFLOW),
    'hardelish': ('HardELiSH, with the hard sigmoid h(a) = max(0, min(1, (a + 1) / 2)):\n'
                  'φ(a) = a·h(a) for a ≥ 0 and (eᵃ − 1)·h(a) for a < 0 (every a gives a value).'
                  + _OVERFLOW),
    'nipuna': 'NIPUNA: φ(a) = max(a·sigmoid(β·a), a), i.e. a for a ≥ 0 and a·sigmoid(β·a) below.'
              + _OVERFLOW,
    # loss functions: (ŷ, y) of one output element in, one float out
    'mean_squared_error': 'L(ŷ; y) = (ŷ − y)² for one output element.',
    'mean_absolute_error': 'L(ŷ; y) = |ŷ − y| for one output element.',
    'categorical_crossentropy': 'L(ŷ; y) = −y·pseudo_log(ŷ) for one output element.',
    'binary_crossentropy': 'L(ŷ; y) = −y·pseudo_log(ŷ) − (1 − y)·pseudo_log(1 − ŷ) for one output element.',
    'hinge': 'L(ŷ; y) = max(1 − ŷ·y, 0) for one output element (labels −1/+1).',
    'pseudo_log': ('ln(x) for x ≥ ε, else ln(ε) + (x − ε)/ε (the tangent at ε): a prediction of 0\n'
                   'then costs a large finite loss instead of an error. Pick a small ε, at most 0.01\n'
                   '(the table of Deel A needs L(0.01; 1) = 4.60517).'),
    'derivative': ('Return a function wrapper(x, *args) computing the central difference\n'
                   '(f(x + δ, *args) − f(x − δ, *args)) / (2δ) with δ = delta,\n'
                   'whose __name__ is the name of f plus ’ (e.g. "tanh’").'),
    # single-neuron models: xs a list of instances, ys a flat list of targets
    'Perceptron': "Rosenblatt's perceptron: ŷ = sign(b + Σᵢ wᵢ·xᵢ), learning one instance at a time.",
    'Perceptron.__init__': 'A perceptron with `dim` inputs; bias and weights start at 0.',
    'Perceptron.__repr__': "Exactly 'Perceptron(dim=2)' (with this model's dim).",
    'Perceptron.predict': 'A list with the prediction (−1, 0 or +1) of every instance in xs.',
    'Perceptron.partial_fit': 'One epoch: per instance b ← b − (ŷ − y) and wᵢ ← wᵢ − (ŷ − y)·xᵢ.',
    'Perceptron.fit': ('Train `epochs` epochs; epochs=0 means: until an epoch changes nothing\n'
                       '(then print after how many epochs).'),
    'LinearRegression': 'ŷ = b + Σᵢ wᵢ·xᵢ, trained by stochastic gradient descent on the squared error.',
    'LinearRegression.__init__': 'A model with `dim` inputs; bias and weights start at 0.',
    'LinearRegression.__repr__': "Exactly 'LinearRegression(dim=2)' (with this model's dim).",
    'LinearRegression.predict': 'A list with b + Σᵢ wᵢ·xᵢ for every instance in xs.',
    'LinearRegression.partial_fit': 'One epoch: per instance b ← b − α·(ŷ − y) and wᵢ ← wᵢ − α·(ŷ − y)·xᵢ.',
    'LinearRegression.fit': 'Train `epochs` epochs of partial_fit with learning rate alpha.',
    'Neuron': ('ŷ = φ(b + Σᵢ wᵢ·xᵢ) with an activation function φ, trained on a loss function L\n'
               '(the perceptron, a support vector machine and logistic regression in one).'),
    'Neuron.__init__': 'A neuron with `dim` inputs; bias and weights start at 0.',
    'Neuron.__repr__': "Exactly 'Neuron(dim=2, activation=linear, loss=hinge)' (the functions' names).",
    'Neuron.predict': 'A list with φ(b + Σᵢ wᵢ·xᵢ) for every instance in xs.',
    'Neuron.partial_fit': ("One epoch: per instance, with a = b + Σᵢ wᵢ·xᵢ and ŷ = φ(a):\n"
                           "b ← b − α·L'(ŷ; y)·φ'(a) and wᵢ ← wᵢ − α·L'(ŷ; y)·φ'(a)·xᵢ\n"
                           "(L' and φ' for instance with derivative())."),
    'Neuron.fit': 'Train `epochs` epochs of partial_fit with learning rate alpha.',
    # layers: xs a list of N instances, ys a list of N target lists
    'Layer': 'Base class of every layer: a name, a number of outputs and the next layer of the chain.',
    'Layer.__init__': ("Without a name the name is '<ClassName>_<n>', counted per class (a class-wide\n"
                       'counter). The number of inputs is known once the layer is chained (set_inputs).'),
    'Layer.__repr__': ("The chain from this layer on, the layers joined by ' + ', starting e.g. with\n"
                       "InputLayer(outputs=2, name='InputLayer_1'); show every layer of the chain."),
    'Layer.__call__': ('Run the chain from this layer on a batch and return (yhats, ls, gs):\n'
                       'yhats the outputs before the loss layer (N lists), ls the loss of each instance\n'
                       "(None without ys), gs = ∂lₙ/∂(this layer's inputs) (None without alpha).\n"
                       'Every subclass implements this.'),
    'Layer.__add__': 'a + b: a new chain of (deep) copies of a and b; a and b themselves stay unchanged.',
    'Layer.__iadd__': 'a += b: append a copy of b to this chain and return self.',
    'Layer.__getitem__': "net[2] is the layer at that position, net['name'] the layer with that name.",
    'Layer.__len__': 'The number of layers of the chain from this one on.',
    'Layer.__iter__': 'Iterate over the layers of the chain from this one on.',
    'Layer.add': 'Append `next` after the last layer of this chain and give it its number of inputs.',
    'Layer.set_inputs': ('Store the number of inputs. A DenseLayer creates its weights here; an ActivationLayer\n'
                         'or SoftmaxLayer must get as many inputs as it has outputs (raise an error otherwise).'),
    'InputLayer': 'The first layer of a model: passes the data on; offers predict, evaluate and training.',
    'InputLayer.__call__': 'Pass xs on to the next layer and return its (yhats, ls, gs).',
    'InputLayer.set_inputs': 'An InputLayer starts a chain: it cannot follow another layer (raise an error).',
    'InputLayer.predict': "The model's outputs yhats: one list per instance in xs.",
    'InputLayer.evaluate': 'The mean over the instances of their loss ls.',
    'InputLayer.partial_fit': ('One epoch in mini-batches of batch_size instances (None: all at once);\n'
                               'return the mean loss of the epoch.'),
    'InputLayer.fit': ("Train `epochs` epochs, shuffling xs and ys together each epoch (without changing\n"
                       "the caller's lists). Return the history {'loss': [...], 'val_loss': [...]}: one\n"
                       "value per epoch ('val_loss' with validation_data=(xs, ys))."),
    'DenseLayer': ('A fully connected layer: hₙₒ = bₒ + Σᵢ wₒᵢ·xₙᵢ, with biases self.bias[o] and\n'
                   'weights self.weights[o][i] (plain lists).'),
    'DenseLayer.__init__': 'Biases start at 0; the weights are created by set_inputs.',
    'DenseLayer.set_inputs': 'Create the weights Xavier-uniform: wₒᵢ ~ U(−√(6 / (nᵢ + nₒ)), +√(6 / (nᵢ + nₒ))).',
    'DenseLayer.__call__': ('Forward: hₙₒ = bₒ + Σᵢ wₒᵢ·xₙᵢ. Backward, with qₙₒ from the next layer:\n'
                            'return gₙᵢ = Σₒ wₒᵢ·qₙₒ and update the parameters (N instances in the batch):\n'
                            'bₒ ← bₒ − (α/N)·Σₙ qₙₒ and wₒᵢ ← wₒᵢ − (α/N)·Σₙ qₙₒ·xₙᵢ.'),
    'ActivationLayer': 'hₙᵢ = φ(xₙᵢ), element by element: as many outputs as inputs.',
    'ActivationLayer.__init__': 'Extra keyword arguments (e.g. beta=1) are passed on to the activation function.',
    'ActivationLayer.__call__': "Forward: hₙᵢ = φ(xₙᵢ). Backward: gₙᵢ = φ'(xₙᵢ)·qₙᵢ.",
    'SoftmaxLayer': 'ŷₙᵢ = e^xₙᵢ / Σₒ e^xₙₒ: scores to probabilities; as many outputs as inputs.',
    'SoftmaxLayer.__call__': ("Forward: subtract each instance's maximum before exp (no overflow).\n"
                              'Backward: gₙᵢ = Σₒ qₙₒ·ŷₙₒ·(δᵢₒ − ŷₙᵢ).'),
    'LossLayer': 'The last layer of a model: the loss of each instance, summed over its outputs.',
    'LossLayer.__init__': 'A loss layer with loss function L(ŷ; y); it has no outputs of its own.',
    'LossLayer.__call__': ("Return yhats = xs; with ys also ls: lₙ = Σᵢ L(ŷₙᵢ; yₙᵢ);\n"
                           "with alpha also gs: gₙᵢ = L'(ŷₙᵢ; yₙᵢ)."),
}


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
        raise KeyError(f'autograder.template.DOCSTRINGS has no entry for {key!r}: the reference gained a '
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
    """The template's README, in Dutch and English, with the assignment's names and numbers."""
    nb, html, zip_name = settings.notebook, settings.html_export, settings.zip_name
    module, data_file = settings.module_file, settings.part_b.data_file
    data_zip = Path(data_file).stem + '.zip'
    part_b, quick, full = settings.part_b, settings.profile('quick'), settings.profile('full')
    instances = f'{quick.data_groups * part_b.classes:,}'
    instances_nl = instances.replace(',', '.')          # Dutch thousands separator
    variables = [part_b.model_variable, part_b.history_variable, *part_b.test_variables]
    injected = list(quick.parameters)
    return f'''# {settings.title}

*English below.*

## Nederlands

Deze map is het startpunt van de eindopdracht:

| bestand | wat |
|---|---|
| `{nb}` | het opdrachtnotebook. Deel A moet ongewijzigd draaien met jouw module. In Deel B vul je zelf de cellen tussen de twee cellen "Verander deze cel niet" in: stap 1 t/m 7 met je eigen model. |
| `{module}` | een skelet van je module: alle functies en klassen die het notebook gebruikt, met de juiste namen en parameters. Vervang elke `raise NotImplementedError` door je eigen code uit de werkcolleges. Alleen de Python Standard Library is toegestaan. |
| `README.md` | dit bestand. |

De module `data.py` en het databestand `{data_file}` (in `{data_zip}`) krijg je van de cursus
via Blackboard; zet ze in deze map naast het notebook. Ze zitten hier bewust niet bij, zodat er
maar één `data.py` is: die van de cursus.

In Deel B leest de autograder je model, je trainingsgeschiedenis en je testdata uit de variabelen
{_names(variables, 'en')}: gebruik die namen. Laat de tag `parameters` op de cel met de
instellingen staan.

### Inleveren

Eén zip-bestand `{zip_name}` met precies deze drie bestanden:

1. `{module}`: je module;
2. `{nb}`: het notebook, **met de uitvoer gewist** (*Cell > All Output > Clear*);
3. `{html}`: hetzelfde notebook als HTML, geëxporteerd ná *Kernel > Restart & Run All*
   (met uitvoer).

### Zelf controleren vóór het inleveren

Met de autograder van de cursus, in deze map:

```sh
autograder check                 # statische controles en tests van je module (Deel A)
autograder check --full          # ook het notebook draaien en Deel B beoordelen
autograder check --full --data pad/naar/{data_file}   # Deel B op het echte databestand
```

`autograder check` is binnen enkele seconden klaar. Het draait het notebook niet, maar
controleert de bestanden, de imports van je module (alleen de standard library), de
vergrendelde cellen en het formaat van het notebook, en test elke functie en klasse van je
module: de tabellen van Deel A, extra punten zoals ±1000 en het overflow-gebied, de gradiënten en
updates van de lagen, het trainen.

`autograder check --full` draait daarna ook het hele notebook, met een verkleinde Deel B
(profiel `quick`): het notebook krijgt {instances_nl} instances uit een meegeleverd vervangend
databestand (of uit het echte bestand met `--data`), en direct na de cel met de tag
`parameters` zet de autograder {_names(injected, 'en')} kleiner. Dat duurt enkele minuten.

De uitvoer is één regel per controle: `✔ pass`, `◐ partial`, `✘ fail`, `! error` of
`· skipped` (niet uitgevoerd zonder `--full`), met de punten, en daaronder wat er verwacht werd en
wat er gevonden is. Onderaan staan het totaal en de harde eisen, zoals
{_names(part_b.required_activations, 'of')} in je model en de tijd en de accuracy van Deel B.
Met een leeg skelet geeft elke controle van Deel A een melding: zo zie je wat er nog ontbreekt.
De echte beoordeling gebruikt het volledige profiel: Deel B binnen {full.time_limit_minutes:g} minuten
en minstens {full.min_accuracy:.0%} accuracy op verborgen testdata.

## English

This folder is the starting point of the final assignment:

| file | what |
|---|---|
| `{nb}` | the assignment notebook. Part A must run unchanged with your module. In Part B you fill in the cells between the two cells "Verander deze cel niet" (do not change this cell) yourself: steps 1-7 with your own model. |
| `{module}` | a skeleton of your module: every function and class the notebook uses, with the right names and parameters. Replace each `raise NotImplementedError` by your own code from the workshops. Only the Python standard library is allowed. |
| `README.md` | this file. |

The course hands out the module `data.py` and the data file `{data_file}` (in `{data_zip}`) on
Blackboard; put them in this folder next to the notebook. They are deliberately not included, so
that there is one `data.py`: the course's.

In Part B the grader reads your model, your training history and your test data from the
variables {_names(variables, 'and')}: use these names. Keep the tag `parameters` on the
cell with the settings.

### Handing in

One zip file `{zip_name}` with exactly these three files:

1. `{module}`: your module;
2. `{nb}`: the notebook **with its outputs cleared** (*Cell > All Output > Clear*);
3. `{html}`: the same notebook exported as HTML after *Kernel > Restart & Run All*
   (with its outputs).

### Checking your work before handing in

With the course's autograder, in this folder:

```sh
autograder check                 # static checks and tests of your module (Part A)
autograder check --full          # also run the notebook and grade Part B
autograder check --full --data path/to/{data_file}   # Part B on the real data file
```

`autograder check` finishes in seconds. It does not run the notebook; it checks the files, your
module's imports (standard library only), the locked cells and the notebook's format, and tests
every function and class of your module: the tables of Part A, extra points such as ±1000 and
the overflow range, the layers' gradients and updates, training.

`autograder check --full` also runs the whole notebook, with a scaled-down Part B (profile
`quick`): the notebook gets {instances} instances from a built-in stand-in data file (or from
the real file with `--data`), and right after the cell tagged `parameters` the grader sets
{_names(injected, 'and')} smaller. That takes a few minutes.

The output is one line per check: `✔ pass`, `◐ partial`, `✘ fail`, `! error` or `· skipped`
(not run without `--full`), with its points, and below it what was expected and what was found.
At the bottom: the total and the hard requirements, such as
{_names(part_b.required_activations, 'or')} in your model and the time and accuracy of Part B.
With an empty skeleton every check of Part A gives a message: that is how you see what is still
missing. Real grading uses the full profile: Part B within {full.time_limit_minutes:g} minutes and
at least {full.min_accuracy:.0%} accuracy on hidden test data.
'''


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

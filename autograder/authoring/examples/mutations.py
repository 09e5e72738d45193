"""Student mistakes, as exact edits of the bundled reference `model.py`.

Each mutation is a list of (old, new) replacements that must each match exactly once (or
(old, new, count): exactly `count` times), so a change in the reference that breaks a
mutation fails loudly instead of silently giving an unflawed "flawed" example. The
mistakes are the ones real submissions make (see the course API's list of known defects).

VARIATIONS are the other kind: correct modules written differently, as real submissions
are (another attribute name, keyword-only alpha, the course's `import data`, ...). Each
must keep every point; each has a twin that adds a real mistake and must lose its check.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ['Mutation', 'MUTATIONS', 'VARIATIONS', 'TWINS', 'apply', 'all_variations', 'find']


@dataclass(frozen=True)
class Mutation:
    name: str
    description: str
    edits: tuple[tuple, ...]          # (old, new) or (old, new, count)
    editions: tuple[str, ...] = ()    # the assignments where a variation keeps every point (() = all)
    in_all: bool = True               # part of all_variations() (False: it excludes another variation)

    def applies_to(self, assignment: str) -> bool:
        return not self.editions or assignment in self.editions

    def __add__(self, other: 'Mutation') -> 'Mutation':
        """Both mutations, one after the other (their edits must not overlap)."""
        editions = tuple(e for e in self.editions if other.applies_to(e)) or other.editions
        return Mutation(f'{self.name}+{other.name}', f'{self.description}; and {other.description}',
                        self.edits + other.edits, editions)


def apply(source: str, mutation: Mutation) -> str:
    for old, new, *count in mutation.edits:
        expected = count[0] if count else 1
        found = source.count(old)
        if found != expected:
            raise ValueError(f'mutation {mutation.name!r}: expected the text {expected} time(s), '
                             f'found it {found} times:\n{old}')
        source = source.replace(old, new)
    return source


_GS_BEFORE = '''        gs = None
        if self.inputs_gradient:
            columns = list(zip(*weights))
            gs = [[dot(column, q) for column in columns] for q in qs]
'''
_UPDATE_END = '''            weights[o] = [w - step * dot(q_column, x_column)
                          for w, x_column in zip(weights[o], x_columns)]
'''

def _hidden(name: str) -> tuple[tuple, ...]:
    """The edits that take function `name` out of the module's public names (it stays, private)."""
    return ((f'def {name}(', f'def _{name}('), (f'@prime_of({name})', f'@prime_of(_{name})'),
            (f"    '{name}',\n", ''))


MUTATIONS = {m.name: m for m in [
    Mutation('numeric-derivatives', "φ' and L' from the course's derivative() with δ = 0.03 (correct, "
             'but inexact): must still pass every check', (
                 ("    prime = getattr(function, 'prime', None)\n    return prime if prime is not None else derivative(function)",
                  '    return derivative(function, delta=0.03)'),)),
    Mutation('alpha-not-over-n', 'DenseLayer updates with α instead of α/N', (
        ('step = alpha / len(xs)', 'step = alpha'),)),
    Mutation('softmax-diagonal', "SoftmaxLayer backpropagates with only the Jacobian's diagonal ŷ(1 − ŷ)", (
        ('gs.append([hi * (qi - mean_q) for hi, qi in zip(h, q)])',
         'gs.append([hi * (1.0 - hi) * qi for hi, qi in zip(h, q)])'),)),
    Mutation('dense-gradient-sign', 'DenseLayer returns gs with the wrong sign', (
        ('gs = [[dot(column, q) for column in columns] for q in qs]',
         'gs = [[-dot(column, q) for column in columns] for q in qs]'),)),
    Mutation('gradient-after-update', 'DenseLayer computes gs with the weights after its own update', (
        (_GS_BEFORE, ''),
        (_UPDATE_END, _UPDATE_END + _GS_BEFORE),)),
    Mutation('tanh-overflow', 'tanh written with exp: OverflowError at ±1000', (
        ('    return math.tanh(a)\n',
         '    return (math.exp(a) - math.exp(-a)) / (math.exp(a) + math.exp(-a))\n'),)),
    Mutation('softplus-710', 'softplus special-cases 1000 but overflows between 710 and 1000', (
        ('    return max(a, 0.0) + math.log1p(math.exp(-abs(a)))',
         '    if a >= 1000:\n        return float(a)\n    return math.log(1.0 + math.exp(a))'),)),
    Mutation('softplus-inf', 'softplus returns inf where exp overflows (not an error: a value JSON cannot hold)', (
        ('    return max(a, 0.0) + math.log1p(math.exp(-abs(a)))',
         "    try:\n        return math.log(1.0 + math.exp(a))\n    except OverflowError:\n        return float('inf')"),)),
    Mutation('sigmoid-catch', 'sigmoid catches the OverflowError wrongly: σ(−1000) = 1, so swish(−1000) = −1000', (
        ('''    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)''', '''    try:
        return 1.0 / (1.0 + math.exp(-a))
    except OverflowError:
        return 1.0'''),)),
    Mutation('elish-minus-one', 'elish returns −1 below −709', (
        ('    return math.expm1(a) * sigmoid(a)\n\n\n@prime_of(elish)',
         '    if a < -709:\n        return -1.0\n    return math.expm1(a) * sigmoid(a)\n\n\n@prime_of(elish)'),)),
    Mutation('hardelish-unbound', 'hardelish raises UnboundLocalError for 0 ≤ x < 1', (
        ('''    if a >= 0.0:
        return a * _hard_sigmoid(a)
    return math.expm1(a) * _hard_sigmoid(a)''', '''    if a >= 1.0:
        h = 1.0
    elif a < 0.0:
        h = _hard_sigmoid(a)
    return (a if a >= 0.0 else math.expm1(a)) * h'''),)),
    Mutation('numpy-import', 'numpy imported in the module, against the rule', (
        ('import math\nfrom operator import mul\n', 'import math\nfrom operator import mul\n\nimport numpy as np\n'),)),
    Mutation('renamed-layers', "layer classes named 'Dense' and 'Activation' instead of the course's names", (
        ('class DenseLayer(Layer):', 'class Dense(Layer):'),
        ('class ActivationLayer(Layer):', 'class Activation(Layer):'),
        ('isinstance(first, DenseLayer)', 'isinstance(first, Dense)'),
        ("__all__ = [\n", "__all__ = [\n    'Dense',\n    'Activation',\n"),
        ("    'DenseLayer',\n", ''), ("    'ActivationLayer',\n", ''))),
    Mutation('output-layer', "the loss layer named 'OutputLayer' instead of 'LossLayer'", (
        ('class LossLayer(Layer):', 'class OutputLayer(Layer):'),
        ("    'LossLayer',\n", "    'OutputLayer',\n"))),
    Mutation('no-categorical-crossentropy', 'the module has no categorical_crossentropy', _hidden('categorical_crossentropy')),
    Mutation('no-softsign', 'the module has no softsign', _hidden('softsign')),
    Mutation('names-none', 'layers left without a default name: name=None unless one is given', (
        ("        if name is None:\n            name = f'{type(self).__name__}_{Layer.classcounter[type(self)]}'\n", ''),)),
    Mutation('bias-per-input', "Neuron.predict adds the bias once per input: φ(Σ (b + wᵢxᵢ)) = φ(b·dim + w·x)", (
        ('return [phi(bias + dot(weights, x)) for x in xs]',
         'return [phi(sum(bias + w * xi for w, xi in zip(weights, x))) for x in xs]'),)),
    Mutation('import-error', 'the module raises on import (a stray line at the end)', (
        ("__all__ = [\n", "raise RuntimeError('work in progress')\n\n__all__ = [\n"),)),
]}


_CALL = 'def __call__(self, xs, ys=None, alpha=None):'
_BATCH_BACKWARD = _GS_BEFORE + '''
        # update: bₒ ← bₒ − (α/N)·Σₙ qₙₒ,  wₒᵢ ← wₒᵢ − (α/N)·Σₙ qₙₒ·xₙᵢ
        step = alpha / len(xs)
        x_columns = list(zip(*xs))
        for o, q_column in enumerate(zip(*qs)):
            bias[o] -= step * sum(q_column)
''' + _UPDATE_END
_PER_INSTANCE_BACKWARD = '''        gs = [] if self.inputs_gradient else None
        step = alpha / len(xs)
        for x, q in zip(xs, qs):          # instance by instance: later gs see the updated weights
            if gs is not None:
                gs.append([dot(column, q) for column in zip(*weights)])
            for o, q_o in enumerate(q):
                bias[o] -= step * q_o
                weights[o] = [w - step * q_o * x_i for w, x_i in zip(weights[o], x)]
'''

VARIATIONS = {m.name: m for m in [
    Mutation('course-data-import', "the module imports the course's data module (`import data`)", (
        ('standard library only.\n"""\n', 'standard library only.\n"""\nimport data  # the course\'s helper module\n'),)),
    Mutation('next-layer-link', "layers link with `next_layer` instead of `next`", (
        ('.next', '.next_layer', 8),)),
    Mutation('keyword-only-alpha', '`__call__(self, xs, ys=None, *, alpha=None)`: alpha keyword-only', (
        (_CALL, 'def __call__(self, xs, ys=None, *, alpha=None):', 6),
        ('return self.next(hs, ys, alpha)', 'return self.next(hs, ys, alpha=alpha)'),
        ('self(xs[start:start + size], ys[start:start + size], alpha)',
         'self(xs[start:start + size], ys[start:start + size], alpha=alpha)'))),
    Mutation('biases', "DenseLayer's bias attribute named `biases`", (
        ('self.bias = [0.0] * outputs', 'self.biases = [0.0] * outputs'),
        ('bias, weights = self.bias, self.weights', 'bias, weights = self.biases, self.weights'))),
    Mutation('validation-loss-key', "fit's history key `validation_loss` instead of `val_loss`", (
        ("history['val_loss']", "history['validation_loss']", 2),)),
    Mutation('numeric-derivatives-fine', "φ' inside the ActivationLayer from derivative() with δ = 0.001", (
        ('phi_prime = exact_derivative(phi)', 'phi_prime = derivative(phi, delta=0.001)'),)),
    Mutation('partial-fit-none', "partial_fit returns None; fit evaluates the epoch's loss itself", (
        ('        return total / n\n', '        return None\n'),
        ('''            history['loss'].append(self.partial_fit(epoch_xs, epoch_ys, alpha=alpha,
                                                    batch_size=batch_size))''',
         '''            self.partial_fit(epoch_xs, epoch_ys, alpha=alpha, batch_size=batch_size)
            history['loss'].append(self.evaluate(xs, ys))'''))),
    Mutation('num-inputs-outputs', 'layer sizes stored as `num_inputs` / `num_outputs`', (
        ('.outputs', '.num_outputs', 11),
        ('self.inputs =', 'self.num_inputs =', 3),
        ('{self.inputs}', '{self.num_inputs}'))),
    Mutation('hard-elish', 'HardELiSH spelled `hard_elish`', (
        ('hardelish', 'hard_elish', 4),)),
    Mutation('extra-keywords', 'extra keyword arguments with defaults (verbose=, shuffle=)', (
        ('def fit(self, xs, ys, *, alpha=0.001, epochs=100, batch_size=None, validation_data=None):',
         'def fit(self, xs, ys, *, alpha=0.001, epochs=100, batch_size=None, validation_data=None, verbose=True):'),
        ('def partial_fit(self, xs, ys, *, alpha=0.001, batch_size=None):',
         'def partial_fit(self, xs, ys, *, alpha=0.001, batch_size=None, shuffle=False):'),
        ('def fit(self, xs, ys, *, epochs=0):', 'def fit(self, xs, ys, *, epochs=0, verbose=False):'))),
    Mutation('perceptron-own-sentence', 'a Perceptron that says in its own words that it has converged', (
        ("print(f'Model has been fully fitted after {epoch} epochs')", "print(f'Converged after {epoch} epochs.')"),)),
    Mutation('perceptron-silent', 'a Perceptron that converges without printing anything', (
        ("                print(f'Model has been fully fitted after {epoch} epochs')\n", ''),), in_all=False),
    Mutation('no-len-iter', 'layers without the optional `__len__` and `__iter__` (the spec: they are optional)', (
        ('    def __iter__(self):\n        layer = self\n', '    def _chain(self):\n        layer = self\n'),
        ('    def __len__(self):\n        return sum(1 for _ in self)\n\n', ''),
        ('layers = list(self)', 'layers = list(self._chain())'),
        ('            for layer in self:\n                if layer.name == index:',
         '            for layer in self._chain():\n                if layer.name == index:'),
        ('layer.name for layer in self)', 'layer.name for layer in self._chain())'),
        ("return ' +\\n    '.join(layer.describe() for layer in self)",
         "return ' +\\n    '.join(layer.describe() for layer in self._chain())"))),
    Mutation('elish-only', 'ELiSH without HardELiSH (v2324.2 asks for one of them; v2324.1 grades them when present)', (
        ("    'hardelish',\n", ''),
        ('def hardelish(a):', 'def _hardelish(a):'),
        ('@prime_of(hardelish)', '@prime_of(_hardelish)')), in_all=False),     # excludes hard-elish
    Mutation('no-beta-pass-through', 'an ActivationLayer without keyword arguments for its activation '
             '(asked for in v2324.1 only)', (
                 ('def __init__(self, outputs, activation=linear, *, name=None, next=None, **kwargs):',
                  'def __init__(self, outputs, activation=linear, *, name=None, next=None):'),
                 ('self.activation_kwargs = kwargs', 'self.activation_kwargs = {}')),
             editions=('eindopdracht-v2324.2',)),
    Mutation('per-instance-updates', 'DenseLayers that update bias and weights instance by instance inside the '
             'backward loop (the course allows the rule per instance)', (
                 (_BATCH_BACKWARD, _PER_INSTANCE_BACKWARD),)),
]}

# Each variation next to a real mistake, which it must not hide: variation + mistake loses
# exactly the checks the mistake loses alone. name → (mistake, a check it loses, a phrase of
# that check's message).
_NO_VALIDATION = Mutation('no-validation-loss', 'fit records no validation loss', (
    ('.append(self.evaluate(*validation_data))', '.clear()'),))
_PARTIAL_FIT_IDLE = Mutation('partial-fit-idle', 'partial_fit ignores alpha and trains with step 0', (
    ('self(xs[start:start + size], ys[start:start + size], alpha)',
     'self(xs[start:start + size], ys[start:start + size], 0.0)'),))
_REQUIRED_KEYWORD = Mutation('required-keyword', 'fit requires an extra keyword argument without default', (
    ('def fit(self, xs, ys, *, alpha=0.001, epochs=100, batch_size=None, validation_data=None',
     'def fit(self, xs, ys, *, alpha=0.001, epochs=100, batch_size=None, validation_data=None, seed'),))
_PERCEPTRON_ONE_EPOCH = Mutation('perceptron-one-epoch', 'fit(epochs=0) stops after one epoch, converged or not', (
    ('            if (self.bias, self.weights) == before:\n', '            if epoch == 1:\n'),))
TWINS = {
    'course-data-import': (MUTATIONS['numpy-import'], 'static.imports', 'numpy'),
    'next-layer-link': (MUTATIONS['dense-gradient-sign'], 'layers.gradients', 'wrong sign'),
    'keyword-only-alpha': (MUTATIONS['alpha-not-over-n'], 'layers.updates', '5× too large'),
    'biases': (MUTATIONS['alpha-not-over-n'], 'layers.updates', '5× too large'),
    'validation-loss-key': (_NO_VALIDATION, 'layers.training', "history['val_loss'] should hold"),
    'numeric-derivatives-fine': (MUTATIONS['softmax-diagonal'], 'layers.gradients', 'SoftmaxLayer'),
    'partial-fit-none': (_PARTIAL_FIT_IDLE, 'layers.training', 'changed no parameter'),
    'extra-keywords': (_REQUIRED_KEYWORD, 'layers.training', 'does not take that call'),
    'perceptron-own-sentence': (_PERCEPTRON_ONE_EPOCH, 'neuron.perceptron', 'still misclassifies'),
    'perceptron-silent': (_PERCEPTRON_ONE_EPOCH, 'neuron.perceptron', 'still misclassifies'),
    'no-len-iter': (MUTATIONS['dense-gradient-sign'], 'layers.gradients', 'wrong sign'),
    'elish-only': (MUTATIONS['elish-minus-one'], 'activations.hidden', 'elish'),
    'no-beta-pass-through': (MUTATIONS['softmax-diagonal'], 'layers.gradients', 'SoftmaxLayer'),
    'per-instance-updates': (MUTATIONS['softmax-diagonal'], 'layers.gradients', 'SoftmaxLayer'),
    'num-inputs-outputs': (MUTATIONS['alpha-not-over-n'], 'layers.updates', '5× too large'),
    'hard-elish': (MUTATIONS['hardelish-unbound'], 'activations.hidden', 'UnboundLocalError'),
}


def all_variations(assignment: str | None = None) -> Mutation:
    """Every variation at once (of those that keep every point in `assignment`): a correct
    module that differs from the course's in every known way."""
    combined = VARIATIONS['keyword-only-alpha']     # first: the others rename what it edits
    for name, variation in VARIATIONS.items():
        if name != 'keyword-only-alpha' and variation.in_all and (assignment is None or variation.applies_to(assignment)):
            combined = combined + variation
    return Mutation('all-variations', 'every known variation at once', combined.edits)


def find(name: str, assignment: str | None = None) -> Mutation:
    """A mistake, a variation, or 'all-variations' (of `assignment`), by name."""
    if name == 'all-variations':
        return all_variations(assignment)
    try:
        return MUTATIONS.get(name) or VARIATIONS[name]
    except KeyError:
        raise KeyError(f'no mutation or variation {name!r} (known: {", ".join([*MUTATIONS, *VARIATIONS])})') from None

"""The similarity report: normalisation, winnowing, template removal, ranking of near-copies
above independent solutions, the regions shown side by side, and the escaped HTML page.

The samples: two independently written partial solutions of the course module (different
styles, same API) and a near-copy maker (renamed identifiers, reordered definitions,
re-rendered layout, new comments), applied to them and to the reference solution."""
from __future__ import annotations

import ast
import io
import json
import keyword
import random
import tokenize
from pathlib import Path

import pytest

from autograder.batch import similarity as S
from autograder.batch.similarity_report import write_similarity

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = (ROOT / 'student_template' / 'eindopdracht-v2324.2' / 'model.py').read_text()


def reference_source() -> str:
    from autograder.authoring.bundle import model_source
    return model_source()


INDEPENDENT_A = '''\
import math
import random


def linear(a):
    return a


def tanh(a):
    if a > 20:
        return 1.0
    if a < -20:
        return -1.0
    e2 = math.exp(2 * a)
    return (e2 - 1) / (e2 + 1)


def softsign(a):
    return a / (1 + abs(a))


def sigmoid(a):
    if a < -700:
        return 0.0
    if a > 700:
        return 1.0
    return 1 / (1 + math.exp(-a))


def softplus(a):
    if a > 30:
        return a
    return math.log(1 + math.exp(a))


def relu(a):
    return a if a > 0 else 0


def swish(a, beta=1):
    return a * sigmoid(beta * a)


def sign(a):
    if a > 0:
        return 1
    elif a < 0:
        return -1
    return 0


def elish(a):
    if a >= 0:
        return a * sigmoid(a)
    return (math.exp(a) - 1) * sigmoid(a)


def hardelish(a):
    h = max(0, min(1, (a + 1) / 2))
    if a >= 0:
        return a * h
    return (math.exp(a) - 1) * h


def nipuna(a, beta=1):
    return max(a * sigmoid(beta * a), a)


def mean_squared_error(yhat, y):
    return (yhat - y) ** 2


def mean_absolute_error(yhat, y):
    return abs(yhat - y)


def pseudo_log(x, eps=0.0001):
    if x < eps:
        return math.log(eps) + (x - eps) / eps
    return math.log(x)


def categorical_crossentropy(yhat, y):
    return -y * pseudo_log(yhat)


def binary_crossentropy(yhat, y):
    return -y * pseudo_log(yhat) - (1 - y) * pseudo_log(1 - yhat)


def hinge(yhat, y):
    return max(1 - yhat * y, 0)


def derivative(function, delta=1e-06):
    def wrapper(x, *args):
        return (function(x + delta, *args) - function(x - delta, *args)) / (2 * delta)
    wrapper.__name__ = function.__name__ + "'"
    return wrapper


class Perceptron:
    def __init__(self, dim):
        self.dim = dim
        self.bias = 0
        self.weights = [0] * dim

    def __repr__(self):
        return f'Perceptron(dim={self.dim})'

    def predict(self, xs):
        result = []
        for x in xs:
            total = self.bias
            for i in range(self.dim):
                total += self.weights[i] * x[i]
            result.append(sign(total))
        return result

    def partial_fit(self, xs, ys):
        for x, y in zip(xs, ys):
            yhat = self.predict([x])[0]
            error = yhat - y
            self.bias -= error
            for i in range(self.dim):
                self.weights[i] -= error * x[i]

    def fit(self, xs, ys, *, epochs=0):
        n = 0
        while True:
            before = (self.bias, list(self.weights))
            self.partial_fit(xs, ys)
            n += 1
            if before == (self.bias, self.weights) or (epochs and n >= epochs):
                break


class LinearRegression:
    def __init__(self, dim):
        self.dim = dim
        self.bias = 0
        self.weights = [0] * dim

    def __repr__(self):
        return f'LinearRegression(dim={self.dim})'

    def predict(self, xs):
        return [self.bias + sum(w * xi for w, xi in zip(self.weights, x)) for x in xs]

    def partial_fit(self, xs, ys, *, alpha=0.01):
        for x, y in zip(xs, ys):
            error = self.predict([x])[0] - y
            self.bias -= alpha * error
            self.weights = [w - alpha * error * xi for w, xi in zip(self.weights, x)]

    def fit(self, xs, ys, *, alpha=0.01, epochs=100):
        for _ in range(epochs):
            self.partial_fit(xs, ys, alpha=alpha)


class Neuron:
    def __init__(self, dim, activation=linear, loss=mean_squared_error):
        self.dim = dim
        self.bias = 0
        self.weights = [0] * dim
        self.activation = activation
        self.loss = loss

    def __repr__(self):
        return (f'Neuron(dim={self.dim}, activation={self.activation.__name__}, '
                f'loss={self.loss.__name__})')

    def predict(self, xs):
        out = []
        for x in xs:
            a = self.bias + sum(w * xi for w, xi in zip(self.weights, x))
            out.append(self.activation(a))
        return out

    def partial_fit(self, xs, ys, *, alpha=0.01):
        dloss = derivative(self.loss)
        dact = derivative(self.activation)
        for x, y in zip(xs, ys):
            a = self.bias + sum(w * xi for w, xi in zip(self.weights, x))
            yhat = self.activation(a)
            grad = dloss(yhat, y) * dact(a)
            self.bias -= alpha * grad
            for i in range(self.dim):
                self.weights[i] -= alpha * grad * x[i]

    def fit(self, xs, ys, *, alpha=0.01, epochs=100):
        for _ in range(epochs):
            self.partial_fit(xs, ys, alpha=alpha)
'''

INDEPENDENT_B = '''\
from math import exp, log, tanh as _tanh
import random as rnd

EPSILON = 1e-9


def linear(a):
    """returns a"""
    return float(a)


def tanh(a):
    return _tanh(a)


def softsign(a):
    return a / (abs(a) + 1.0)


def sigmoid(a):
    # numerically stable version
    if a >= 0:
        z = exp(-a)
        return 1.0 / (1.0 + z)
    z = exp(a)
    return z / (1.0 + z)


def softplus(a):
    return max(a, 0.0) + log(1.0 + exp(-abs(a)))


def relu(a):
    return max(0.0, a)


def swish(a, beta=1):
    return a * sigmoid(beta * a)


def sign(a):
    return (a > 0) - (a < 0)


def elish(a):
    s = sigmoid(a)
    return a * s if a >= 0 else (exp(a) - 1.0) * s


def hardelish(a):
    hard = min(1.0, max(0.0, (a + 1.0) / 2.0))
    return a * hard if a >= 0 else (exp(a) - 1.0) * hard


def nipuna(a, beta=1):
    if a >= 0:
        return a
    return a * sigmoid(beta * a)


def pseudo_log(x):
    eps = 0.001
    return log(x) if x >= eps else log(eps) + (x - eps) / eps


def mean_squared_error(yhat, y):
    d = yhat - y
    return d * d


def mean_absolute_error(yhat, y):
    d = yhat - y
    return d if d > 0 else -d


def categorical_crossentropy(yhat, y):
    return -(y * pseudo_log(yhat))


def binary_crossentropy(yhat, y):
    return -(y * pseudo_log(yhat) + (1 - y) * pseudo_log(1 - yhat))


def hinge(yhat, y):
    m = 1 - yhat * y
    return m if m > 0 else 0.0


def derivative(function, delta=1e-06):
    def f_prime(x, *rest):
        up = function(x + delta, *rest)
        down = function(x - delta, *rest)
        return (up - down) / (delta + delta)
    f_prime.__name__ = f"{function.__name__}'"
    return f_prime


def _dot(u, v):
    total = 0.0
    for a, b in zip(u, v):
        total += a * b
    return total


class Perceptron:
    def __init__(self, dim):
        self.dim = dim
        self.bias, self.weights = 0.0, [0.0 for _ in range(dim)]

    def __repr__(self):
        return 'Perceptron(dim=' + str(self.dim) + ')'

    def predict(self, xs):
        return [sign(self.bias + _dot(self.weights, x)) for x in xs]

    def partial_fit(self, xs, ys):
        changed = False
        for x, y in zip(xs, ys):
            delta = sign(self.bias + _dot(self.weights, x)) - y
            if delta:
                changed = True
                self.bias = self.bias - delta
                self.weights = [w - delta * v for w, v in zip(self.weights, x)]
        return changed

    def fit(self, xs, ys, *, epochs=0):
        epoch = 0
        while self.partial_fit(xs, ys):
            epoch += 1
            if epochs and epoch == epochs:
                return


class Neuron:
    def __init__(self, dim, activation=linear, loss=mean_squared_error):
        self.dim, self.activation, self.loss = dim, activation, loss
        self.bias = 0.0
        self.weights = [0.0] * dim

    def __repr__(self):
        text = 'Neuron(dim={}, activation={}, loss={})'
        return text.format(self.dim, self.activation.__name__, self.loss.__name__)

    def predict(self, xs):
        return [self.activation(self.bias + _dot(self.weights, x)) for x in xs]

    def partial_fit(self, xs, ys, *, alpha=0.01):
        loss_prime, act_prime = derivative(self.loss), derivative(self.activation)
        for x, y in zip(xs, ys):
            pre = self.bias + _dot(self.weights, x)
            factor = alpha * loss_prime(self.activation(pre), y) * act_prime(pre)
            self.bias -= factor
            self.weights = [w - factor * v for w, v in zip(self.weights, x)]

    def fit(self, xs, ys, *, alpha=0.01, epochs=100):
        history = []
        for _ in range(epochs):
            self.partial_fit(xs, ys, alpha=alpha)
            history.append(self.bias)
        return history


class LinearRegression(Neuron):
    def __init__(self, dim):
        super().__init__(dim)

    def __repr__(self):
        return 'LinearRegression(dim=' + str(self.dim) + ')'
'''


def rename_identifiers(source: str, seed: int = 7) -> str:
    """Rename every identifier the module defines or uses (not keywords, builtins or
    attributes of imported modules) consistently, as a student hiding a copy would."""
    import builtins
    rng = random.Random(seed)
    keep = set(dir(builtins)) | {'self', 'cls', 'math', 'random', 'itertools', 'functools', 'operator',
                                 'collections', 'copy', 'tqdm', 'sys', 'os', 'time'}
    for node in ast.walk(ast.parse(source)):      # names imported from the standard library stay
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            keep.update((alias.asname or alias.name).split('.')[0] for alias in node.names)
            keep.update(alias.name for alias in node.names)
    mapping: dict[str, str] = {}
    out = []
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for i, token in enumerate(tokens):
        text = token.string
        if token.type == tokenize.NAME and not keyword.iskeyword(text) and text not in keep:
            previous = tokens[i - 1].string if i else ''
            base = tokens[i - 2].string if i >= 2 else ''
            if not (previous == '.' and base in keep):
                if text not in mapping:
                    mapping[text] = f'{rng.choice("abcdefghkmnpqrstuvwxyz")}{len(mapping)}_{text[::-1][:3]}'
                text = mapping[text]
        out.append(token._replace(string=text))
    return tokenize.untokenize(out)


def reorder_definitions(source: str, seed: int = 3) -> str:
    """Shuffle the module's top-level functions and classes (imports and assignments first),
    and re-render it (ast.unparse: other quotes, parentheses and layout; no comments)."""
    tree = ast.parse(source)
    head = [n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    random.Random(seed).shuffle(defs)
    tree.body = head + defs
    return ast.unparse(tree)


def add_noise_comments(source: str) -> str:
    lines = []
    for number, line in enumerate(source.splitlines()):
        lines.append(line)
        if number % 7 == 3 and line.strip() and not line.rstrip().endswith((':', ',', '(', '\\\\')):
            indent = line[:len(line) - len(line.lstrip())]
            lines.append(f'{indent}# my own note {number}')
    return '\n'.join(lines) + '\n'


def near_copy(source: str, seed: int = 1) -> str:
    return add_noise_comments(rename_identifiers(reorder_definitions(source, seed), seed))


# ----------------------------------------------------------------------------------- tests

def texts(source: str) -> list[str]:
    return [t.text for t in S.normalise(source)]


def test_normalising_drops_comments_docstrings_layout_and_names():
    one = '''"""Module docstring."""
import math


def f(x, y=2):   # a comment
    """Docstring."""
    total = math.exp(-x) + len([1, 2]) + self.w
    return total
'''
    two = '''import math
def g(alpha,beta=7):
    s=(math.exp(-alpha)+len([3,4])+self.other)
    # another comment
    return s
'''
    assert texts(one)[:7] == ['import', 'math', 'def', 'N', '(', 'N', ',']
    assert 'math.exp' in texts(one) and 'len' in texts(one) and 'self' in texts(one)
    assert 'S' not in texts(one)                      # both docstrings are gone
    # the same code, renamed and re-laid out, except for the parentheses of the assignment
    assert [t for t in texts(one) if t not in '()'] == [t for t in texts(two) if t not in '()']


def test_from_imports_and_aliases_are_canonical():
    a = 'from math import exp as e\nimport random as r\ndef f(x):\n    return e(x) + r.random()\n'
    b = 'import math\nimport random\ndef f(x):\n    return math.exp(x) + random.random()\n'
    assert texts(a)[-8:] == texts(b)[-8:]


def test_winnowing_guarantee_and_density():
    tokens = [S.Token(str(i % 97), 1) for i in range(2000)]
    hashes = S.kgram_hashes(tokens)
    chosen = S.winnow(hashes)
    positions = [p for _, p in chosen]
    assert positions == sorted(set(positions))
    # every window of W hashes holds a fingerprint: the guarantee of winnowing
    assert all(b - a <= S.W for a, b in zip(positions, positions[1:]))
    assert 1.5 / (S.W + 1) < len(chosen) / len(hashes) < 2.5 / (S.W + 1)


def test_the_template_alone_has_no_fingerprints():
    module = S.fingerprints(TEMPLATE, S.Template.of(TEMPLATE))
    assert module.size == 0


def test_near_copies_rank_above_independent_solutions():
    reference = reference_source()
    items = [S.SimilarityInput('ref', reference), S.SimilarityInput('ref-copy', near_copy(reference)),
             S.SimilarityInput('A', INDEPENDENT_A), S.SimilarityInput('A-copy', near_copy(INDEPENDENT_A, 5)),
             S.SimilarityInput('B', INDEPENDENT_B), S.SimilarityInput('B-copy', near_copy(INDEPENDENT_B, 9)),
             S.SimilarityInput('template only', TEMPLATE), S.SimilarityInput('nothing', None, 'no module')]
    report = S.compare(items, template=TEMPLATE, reference=reference)
    pairs = {frozenset((p['a'], p['b'])): p for p in report['pairs']}
    copies = [pairs[frozenset(k)]['score'] for k in (('ref', 'ref-copy'), ('A', 'A-copy'), ('B', 'B-copy'))]
    independent = [p['score'] for key, p in pairs.items()
                   if key not in {frozenset(('ref', 'ref-copy')), frozenset(('A', 'A-copy')),
                                  frozenset(('B', 'B-copy'))}]
    print('near-copies', copies, 'independent max', max(independent))
    assert min(copies) >= 0.75
    assert max(independent) <= 0.35
    # the three near-copy pairs are the top three, and the only suspicious ones
    top = [frozenset((p['a'], p['b'])) for p in report['pairs'][:3]]
    assert set(top) == {frozenset(('ref', 'ref-copy')), frozenset(('A', 'A-copy')), frozenset(('B', 'B-copy'))}
    assert report['suspicious'] == 3 and all(p['suspicious'] == (p['score'] >= 0.5) for p in report['pairs'])
    by_name = {s['name']: s for s in report['submissions']}
    assert by_name['nothing']['note'] == 'no module' and by_name['template only']['fingerprints'] == 0
    assert by_name['ref-copy']['reference_score'] > 0.75 > 0.35 > by_name['A']['reference_score']


def test_renaming_or_reformatting_alone_changes_nothing():
    base = S.Template.of(TEMPLATE)
    original = S.fingerprints(INDEPENDENT_A, base)
    for variant in (rename_identifiers(INDEPENDENT_A), add_noise_comments(INDEPENDENT_A)):
        assert S.score(original, S.fingerprints(variant, base))[0] == pytest.approx(1.0)


def test_a_one_line_body_under_a_given_signature_is_no_evidence():
    one = 'def swish(a, beta=1):\n    return a * sigmoid(beta * a)\n\n\ndef relu(a):\n    return max(0.0, a)\n'
    report = S.compare([S.SimilarityInput('x', one), S.SimilarityInput('y', one)], template=TEMPLATE)
    assert report['pairs'] == [] or report['pairs'][0]['score'] < 0.5


def test_regions_show_the_shared_code_of_both_sides():
    reference = reference_source()
    copy = near_copy(reference)
    report = S.compare([S.SimilarityInput('ref', reference), S.SimilarityInput('copy', copy)], template=TEMPLATE)
    regions = report['pairs'][0]['regions']
    assert regions and len(regions) <= 12
    ref_lines, copy_lines = reference.splitlines(), copy.splitlines()
    for region in regions:
        a0, a1 = region['a_lines']
        b0, b1 = region['b_lines']
        assert 1 <= a0 <= a1 <= len(ref_lines) and 1 <= b0 <= b1 <= len(copy_lines)
        assert region['a_text'].splitlines()[0] == ref_lines[a0 - 1]
        assert region['b_text'].splitlines()[0] == copy_lines[b0 - 1]
    assert regions[0]['tokens'] >= 50


def test_code_that_does_not_parse_is_compared_up_to_the_error():
    broken = INDEPENDENT_A + '\ndef unfinished(:\n    pass\n'
    report = S.compare([S.SimilarityInput('a', INDEPENDENT_A), S.SimilarityInput('broken', broken)],
                       template=TEMPLATE)
    assert report['pairs'][0]['score'] > 0.9


def test_the_page_escapes_student_code_and_names(tmp_path):
    evil = INDEPENDENT_A.replace('        for x, y in zip(xs, ys):\n            yhat = self.predict([x])[0]',
                                 '        for x, y in zip(xs, ys):  # </pre><script>alert(1)</script>\n'
                                 '            yhat = self.predict([x])[0]')
    assert evil != INDEPENDENT_A
    report = S.compare([S.SimilarityInput('<b>mallory</b>', evil),
                        S.SimilarityInput('bob', rename_identifiers(evil))], template=TEMPLATE)
    assert report['pairs'][0]['suspicious']
    assert any('<script>' in r['a_text'] for r in report['pairs'][0]['regions'])
    paths = write_similarity(report, tmp_path, title='T & <x>', course='C')
    html = paths['html'].read_text()
    assert '<script>' not in html and '&lt;/pre&gt;&lt;script&gt;' in html
    assert '<b>mallory</b>' not in html and '&lt;b&gt;mallory&lt;/b&gt;' in html
    assert 'Content-Security-Policy' in html and 'href="dashboard.html"' in html
    assert json.loads(paths['json'].read_text())['pairs'][0]['a'] == '<b>mallory</b>'
    assert 'id="pair-1"' in html and 'href="#pair-1"' in html


def test_scale_is_fine_for_a_class():
    import time
    reference = reference_source()
    items = [S.SimilarityInput(f's{i}', near_copy(INDEPENDENT_A if i % 2 else INDEPENDENT_B, i)) for i in range(60)]
    items.append(S.SimilarityInput('ref', reference))
    started = time.perf_counter()
    report = S.compare(items, template=TEMPLATE, reference=reference)
    assert time.perf_counter() - started < 30
    assert report['pairs_total'] == 61 * 60 // 2

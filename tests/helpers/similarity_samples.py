"""Sample modules and disguises for the similarity tests and bench/similarity_disguise.py.

Three independently written solutions of the course API (A and B: functions, neurons; C: the
layers, in another style than the reference), and the ways students disguise a copy: renamed
identifiers (`self` too), reordered definitions and methods, another layout (parentheses,
trailing commas, one argument per line), small edits (statements added, constants changed),
and a partial copy (another module's classes pasted into one's own). Every disguise returns
code that parses; each takes a seed.
"""
from __future__ import annotations

import ast
import io
import keyword
import random
import tokenize

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


INDEPENDENT_C = '''\
import math
import random


def _matvec(rows, vector):
    return [sum(r * v for r, v in zip(row, vector)) for row in rows]


class Layer:
    counters = {}

    def __init__(self, outputs, *, name=None, next=None):
        kind = self.__class__.__name__
        Layer.counters[kind] = Layer.counters.get(kind, 0) + 1
        self.outputs = outputs
        self.inputs = None
        self.name = name if name else kind + '_' + str(Layer.counters[kind])
        self.next = next

    def __repr__(self):
        text = self.__class__.__name__ + '(num_outputs=' + str(self.outputs) + ', name=' + repr(self.name) + ')'
        if self.next is not None:
            text += ' + ' + repr(self.next)
        return text

    def add(self, next):
        if self.next is None:
            self.next = next
            next.set_inputs(self.outputs)
        else:
            self.next.add(next)

    def __add__(self, next):
        import copy
        first = copy.deepcopy(self)
        first.add(copy.deepcopy(next))
        return first

    def __getitem__(self, index):
        layer, position = self, 0
        while layer is not None:
            if position == index or layer.name == index:
                return layer
            layer, position = layer.next, position + 1
        raise IndexError(index)

    def set_inputs(self, inputs):
        self.inputs = inputs

    def __call__(self, xs, ys=None, alpha=None):
        raise NotImplementedError


class InputLayer(Layer):
    def set_inputs(self, inputs):
        raise TypeError('an input layer has no layer before it')

    def __call__(self, xs, ys=None, alpha=None):
        result = self.next(xs, ys, alpha)
        return result[0], result[1], None

    def predict(self, xs):
        yhats, _, _ = self(xs)
        return yhats

    def evaluate(self, xs, ys):
        _, losses, _ = self(xs, ys)
        return sum(losses) / len(losses)

    def partial_fit(self, xs, ys, *, alpha=0.001, batch_size=None):
        size = batch_size or len(xs)
        losses = []
        for begin in range(0, len(xs), size):
            _, batch_losses, _ = self(xs[begin:begin + size], ys[begin:begin + size], alpha)
            losses.extend(batch_losses)
        return sum(losses) / len(losses)

    def fit(self, xs, ys, *, alpha=0.001, epochs=100, batch_size=None, validation_data=None):
        history = {'loss': []}
        if validation_data:
            history['val_loss'] = []
        order = list(range(len(xs)))
        for _ in range(epochs):
            random.shuffle(order)
            shuffled_x = [xs[i] for i in order]
            shuffled_y = [ys[i] for i in order]
            history['loss'].append(self.partial_fit(shuffled_x, shuffled_y, alpha=alpha, batch_size=batch_size))
            if validation_data:
                history['val_loss'].append(self.evaluate(validation_data[0], validation_data[1]))
        return history


class DenseLayer(Layer):
    def __init__(self, outputs, *, name=None, next=None):
        super().__init__(outputs, name=name, next=next)
        self.bias = [0.0 for _ in range(outputs)]
        self.weights = None

    def set_inputs(self, inputs):
        self.inputs = inputs
        limit = math.sqrt(6 / (inputs + self.outputs))
        self.weights = [[random.uniform(-limit, limit) for _ in range(inputs)] for _ in range(self.outputs)]

    def __call__(self, xs, ys=None, alpha=None):
        hs = [[b + a for b, a in zip(self.bias, _matvec(self.weights, x))] for x in xs]
        yhats, losses, qs = self.next(hs, ys, alpha)
        if alpha is None:
            return yhats, losses, None
        gs = [[sum(self.weights[o][i] * q[o] for o in range(self.outputs)) for i in range(self.inputs)]
              for q in qs]
        factor = alpha / len(xs)
        for o in range(self.outputs):
            self.bias[o] -= factor * sum(q[o] for q in qs)
            for i in range(self.inputs):
                self.weights[o][i] -= factor * sum(q[o] * x[i] for q, x in zip(qs, xs))
        return yhats, losses, gs


class ActivationLayer(Layer):
    def __init__(self, outputs, activation=None, *, name=None, next=None):
        super().__init__(outputs, name=name, next=next)
        self.activation = activation or (lambda a: a)

    def __call__(self, xs, ys=None, alpha=None):
        hs = [[self.activation(v) for v in x] for x in xs]
        yhats, losses, qs = self.next(hs, ys, alpha)
        if alpha is None:
            return yhats, losses, None
        eps = 1e-6
        slope = [[(self.activation(v + eps) - self.activation(v - eps)) / (2 * eps) for v in x] for x in xs]
        return yhats, losses, [[d * q for d, q in zip(row, qrow)] for row, qrow in zip(slope, qs)]


class SoftmaxLayer(Layer):
    def __call__(self, xs, ys=None, alpha=None):
        hs = []
        for x in xs:
            top = max(x)
            exps = [math.exp(v - top) for v in x]
            total = sum(exps)
            hs.append([e / total for e in exps])
        yhats, losses, qs = self.next(hs, ys, alpha)
        if alpha is None:
            return yhats, losses, None
        gs = []
        for h, q in zip(hs, qs):
            inner = sum(a * b for a, b in zip(h, q))
            gs.append([a * (b - inner) for a, b in zip(h, q)])
        return yhats, losses, gs


class LossLayer(Layer):
    def __init__(self, loss=None, *, name=None):
        super().__init__(None, name=name)
        self.loss = loss or (lambda yhat, y: (yhat - y) ** 2)

    def add(self, next):
        raise TypeError('nothing can follow a loss layer')

    def __call__(self, xs, ys=None, alpha=None):
        if ys is None:
            return xs, None, None
        losses = [sum(self.loss(a, b) for a, b in zip(x, y)) for x, y in zip(xs, ys)]
        if alpha is None:
            return xs, losses, None
        eps = 1e-6
        gs = [[(self.loss(a + eps, b) - self.loss(a - eps, b)) / (2 * eps) for a, b in zip(x, y)]
              for x, y in zip(xs, ys)]
        return xs, losses, gs
'''


def rename_identifiers(source: str, seed: int = 7, *, rename_self: bool = False) -> str:
    """Rename every identifier the module defines or uses (not keywords, builtins or
    attributes of imported modules) consistently, as a student hiding a copy would;
    `rename_self`: `self` and `cls` too (to `this`, `klass`, …)."""
    import builtins
    rng = random.Random(seed)
    keep = set(dir(builtins)) | {'math', 'random', 'itertools', 'functools', 'operator',
                                 'collections', 'copy', 'tqdm', 'sys', 'os', 'time'}
    if not rename_self:
        keep |= {'self', 'cls'}
    for node in ast.walk(ast.parse(source)):      # names imported from the standard library stay
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            keep.update((alias.asname or alias.name).split('.')[0] for alias in node.names)
            keep.update(alias.name for alias in node.names)
            if isinstance(node, ast.ImportFrom) and node.module:
                keep.add(node.module.split('.')[0])
    mapping: dict[str, str] = {'self': 'this', 'cls': 'klass'} if rename_self else {}
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


def reorder_definitions(source: str, seed: int = 3, *, methods: bool = False) -> str:
    """Shuffle the module's top-level functions and classes (imports and assignments first),
    with `methods` the methods of each class too, and re-render it (ast.unparse: other
    quotes, parentheses and layout; no comments)."""
    rng = random.Random(seed)
    tree = ast.parse(source)

    def shuffled(body: list[ast.stmt], kinds: tuple[type, ...]) -> list[ast.stmt]:
        head = [n for n in body if not isinstance(n, kinds)]
        defs = [n for n in body if isinstance(n, kinds)]
        rng.shuffle(defs)
        return head + defs

    tree.body = shuffled(tree.body, (ast.FunctionDef, ast.ClassDef))
    if methods:
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                node.body = shuffled(node.body, (ast.FunctionDef,))
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


def reformat(source: str) -> str:
    """The same code laid out otherwise: returned and assigned values in parentheses, a
    trailing comma in every one-line call and list."""
    tree = ast.parse(source)
    lines = source.encode('utf-8').splitlines(keepends=True)
    edits: list[tuple[int, int, bytes]] = []          # (line, byte column, inserted)
    for node in ast.walk(tree):
        one_line = getattr(node, 'lineno', 0) and node.lineno == node.end_lineno
        if isinstance(node, (ast.Return, ast.Assign)) and node.value is not None \
                and node.value.lineno == node.value.end_lineno:
            edits += [(node.value.lineno, node.value.col_offset, b'('),
                      (node.value.lineno, node.value.end_col_offset, b')')]
        elif isinstance(node, ast.Call) and one_line and (node.args or node.keywords) \
                and not (len(node.args) == 1 and not node.keywords and isinstance(node.args[0], ast.GeneratorExp)) \
                and not any(isinstance(a, ast.Starred) for a in node.args):
            edits.append((node.lineno, node.end_col_offset - 1, b','))
        elif isinstance(node, ast.List) and one_line and node.elts:
            edits.append((node.lineno, node.end_col_offset - 1, b','))
    for line, column, text in sorted(edits, key=lambda e: (e[0], -e[1], e[2] != b',')):
        lines[line - 1] = lines[line - 1][:column] + text + lines[line - 1][column:]
    result = b''.join(lines).decode('utf-8')
    assert ast.dump(ast.parse(result)) == ast.dump(ast.parse(source)), 'reformatting changed the code'
    return result


class _SmallEdits(ast.NodeTransformer):
    """A student's touch on copied code: `x += y` written out, operands of + and * swapped,
    a debugging print left in some functions."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.target, ast.Name) and self.rng.random() < 0.5:
            load = ast.Name(node.target.id, ast.Load())
            return ast.Assign([node.target], ast.BinOp(load, node.op, node.value), lineno=node.lineno)
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, (ast.Add, ast.Mult)) and self.rng.random() < 0.3:
            node.left, node.right = node.right, node.left
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        self.generic_visit(node)
        if len(node.body) >= 3 and self.rng.random() < 0.4:
            debug = ast.parse(f"print('debug', {node.name!r})").body[0]
            node.body.insert(self.rng.randrange(1, len(node.body)), debug)
        return node


def small_edits(source: str, seed: int = 5) -> str:
    tree = ast.fix_missing_locations(_SmallEdits(seed).visit(ast.parse(source)))
    return ast.unparse(tree)


def partial_copy(original: str, host: str, seed: int = 11) -> str:
    """The original's classes (the layers), renamed and slightly edited, pasted into `host`
    in place of the host's own classes."""
    pasted = ast.parse(rename_identifiers(small_edits(original, seed), seed))
    kept = [n for n in ast.parse(host).body if not isinstance(n, ast.ClassDef)]
    classes = [n for n in pasted.body if isinstance(n, ast.ClassDef)]
    return ast.unparse(ast.Module(kept, [])) + '\n\n\n' + ast.unparse(ast.Module(classes, [])) + '\n'


def disguise(source: str, how: str, seed: int = 1, *, host: str | None = None) -> str:
    """A disguised copy of `source`: `how` is one of DISGUISES."""
    if how == 'renamed':
        return rename_identifiers(source, seed)
    if how == 'renamed-self':
        return rename_identifiers(source, seed, rename_self=True)
    if how == 'reordered':
        return reorder_definitions(source, seed, methods=True)
    if how == 'reformatted':
        return reformat(source)
    if how == 'small-edits':
        return rename_identifiers(small_edits(source, seed), seed)
    if how == 'partial':
        return partial_copy(source, host or '', seed)
    if how == 'everything':
        renamed = rename_identifiers(small_edits(reorder_definitions(source, seed, methods=True), seed), seed,
                                     rename_self=True)
        return add_noise_comments(reformat(renamed))
    raise ValueError(how)


DISGUISES = ('renamed', 'renamed-self', 'reordered', 'reformatted', 'small-edits', 'partial', 'everything')

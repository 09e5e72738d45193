"""Similarity of the modules handed in: which pairs of students share code beyond the template.

Method (the one of MOSS: Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for
document fingerprinting", SIGMOD 2003):

1. **Normalise.** The module is parsed (`ast`) and its syntax tree written out in pre-order,
   one token per node: its kind (`Assign`, `Call`, `BinOp`, `Add`, `def`, …), every
   identifier `N` (a method's first parameter, `self` or `this`, too), every number `0`,
   every string `S`; docstrings and bare strings dropped. Kept: builtins the module does
   not bind itself (`range`, `len`; a module that defines its own `sum` has a name `sum`),
   and names from imported modules, canonical (`math.exp`; `from math import exp as e`
   makes `e` `math.exp`). So renaming, comments, layout, parentheses, trailing commas and
   the order of functions and methods change nothing that is compared. Code with a syntax
   error is compared up to the top-level statement that holds it and from the next one on.
   Bounded on hostile input: the first MAX_CHARS characters (cut at a line break), at most
   MAX_TOKENS tokens and MAX_ERRORS syntax errors; the walk is iterative.
2. **k-grams.** Every run of K = 12 consecutive tokens is hashed (blake2b, 64 bits, so the
   hashes are the same in every process). A statement is 4-15 such tokens: a k-gram spans
   one or two statements, so common one-liners cannot match on their own; no k-gram spans
   the start of a top-level statement, `def` or `class`.
3. **Template removal.** The k-grams of the student template's `model.py` (what every
   student was given: signatures, imports, the docstrings are gone already) are never
   fingerprints. The reference solution is *not* removed: students do not have it, so
   sharing its code is exactly what this report must show (each submission's similarity
   to the reference is listed separately). A k-gram touching a header the template gives
   (`def swish(a, beta=1):`) is not a fingerprint either.
4. **Winnowing.** In every window of W = 8 consecutive k-gram hashes the smallest (the
   rightmost on a tie) is a fingerprint. This guarantees that any shared run of at least
   W + K - 1 = 19 tokens (two or three lines) yields a shared fingerprint, while keeping
   about 2/(W+1) ≈ 22 % of the hashes.
5. **Common code.** A fingerprint held by more than COMMON_SHARE (half) of the class's
   modules, and by at least COMMON_MIN (4), is code most of the class writes alike (the same
   layer methods of the same API): like the template's, it is no evidence and is removed
   from every module before scoring. Modules that score FAMILY_SCORE (0.8) or more before
   this step are copies of one source and count as one, so a source that many copied stays
   evidence; a pair or a ring of three copies is never discounted.
6. **Score.** For modules A and B with fingerprint sets F(A), F(B):
   `score = |F(A) ∩ F(B)| / max(min(|F(A)|, |F(B)|), 25)` — the share of the smaller module
   found in the other (a copied module that was extended still scores high), with a floor
   so that two nearly empty modules do not score 1.0 on a handful of fingerprints; and the
   Jaccard index `|F(A) ∩ F(B)| / |F(A) ∪ F(B)|`. Pairs are ranked by score; pairs at or
   above `threshold` (0.5) are listed as suspicious, with the matching regions.
7. **Regions.** Shared fingerprints are chained (in A's order, also close in B) into
   regions, mapped back to line ranges of both modules and shown side by side.

A high score is a reason to look, not a verdict: the instructor compares the regions.
"""
from __future__ import annotations

import ast
import builtins
import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..sandbox.syntax_tree import IN_PROCESS_BYTES

__all__ = ['K', 'W', 'Module', 'normalise', 'fingerprints', 'compare', 'SimilarityInput']

K = 12           # tokens per k-gram (noise threshold)
W = 8            # window of the winnowing (guarantee threshold K + W - 1 = 19 tokens)
MIN_FINGERPRINTS = 25
THRESHOLD = 0.5
BUILTINS = frozenset(dir(builtins))
MAX_CHARS = IN_PROCESS_BYTES  # compared per module (the reference is 23 kB): what the grader parses itself
                            # (sandbox/syntax_tree.py: 64 KB of the densest code ~0.2 s CPU, ~30 MB)
MAX_TOKENS = 50_000       # the reference has 2,800
MAX_ERRORS = 8             # syntax errors skipped per module, each costing a parse of the rest
COMMON_SHARE = 0.5         # a fingerprint more than this share of the class holds is common code ...
COMMON_MIN = 4             # ... when at least this many modules hold it
FAMILY_SCORE = 0.8         # modules this similar before the discount are one family (copies): counted once


@dataclass(frozen=True)
class Token:
    text: str        # the normalised token
    line: int        # its line in the source
    starts: bool = False     # starts a top-level statement, a `def` or `class`: no k-gram spans it
    head: bool = False       # part of a `def`'s or `class`'s header (decorators, parameters, bases)


@dataclass
class SimilarityInput:
    name: str                        # who: the student (shown)
    source: str | None               # the module's text; None when there is none
    note: str = ''                   # why there is no module, when there is none
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Module:
    name: str
    source: str
    tokens: list[Token]
    prints: dict[int, list[int]]     # fingerprint hash → token positions where it starts

    @property
    def size(self) -> int:
        return len(self.prints)


def normalise(source: str) -> list[Token]:
    """The module's syntax as a stream of normalised tokens (see the module's docstring)."""
    source = _capped(source)
    out: list[Token] = []
    for tree, offset in _parsed_pieces(source):
        out += _Emitter(tree, offset).tokens
        if len(out) >= MAX_TOKENS:
            return out[:MAX_TOKENS]
    return out


def _capped(source: str) -> str:
    """The first MAX_CHARS characters, cut at a line break (a course module is 15-40 kB)."""
    if len(source) <= MAX_CHARS:
        return source
    cut = source.rfind('\n', 0, MAX_CHARS)
    return source[:cut + 1] if cut > 0 else ''


def _top_level(line: str) -> bool:
    return bool(line.strip()) and line[0] not in ' \t#'


def _parsed_pieces(source: str) -> list[tuple[ast.Module, int]]:
    """(tree, line offset) of the parts of `source` that parse. Code with a syntax error is
    compared up to the top-level statement holding the error, and again from the next one
    (at most MAX_ERRORS errors: each costs a parse of the rest)."""
    lines = source.splitlines(keepends=True)
    pieces: list[tuple[ast.Module, int]] = []
    start = 0
    for _ in range(MAX_ERRORS):
        try:
            pieces.append((ast.parse(''.join(lines[start:])), start))
            return pieces
        except SyntaxError as error:
            wrong = min(max(start, start + (error.lineno or 1) - 1), len(lines) - 1)
        except (RecursionError, MemoryError, ValueError):
            return pieces                 # nesting beyond the parser's limits: not compared
        cut = wrong
        while cut > start and not _top_level(lines[cut]):
            cut -= 1
        if cut > start:
            try:
                pieces.append((ast.parse(''.join(lines[start:cut])), start))
            except (SyntaxError, RecursionError, MemoryError, ValueError):
                pass
        start = wrong + 1
        while start < len(lines) and not _top_level(lines[start]):
            start += 1
        if start >= len(lines):
            break
    return pieces


def _names(tree: ast.AST) -> tuple[dict[str, str], set[str]]:
    """The imported names (see `_imported_names_of`) and every name the module binds itself
    (assigned, defined, a parameter, caught): a builtin it rebinds is an ordinary name."""
    bound: set[str] = set()
    imports = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
    return _imported_names_of(imports), bound


_SHORT = {'FunctionDef': 'def', 'AsyncFunctionDef': 'def', 'ClassDef': 'class'}
_HIDDEN = (ast.expr_context, ast.alias)


class _Emitter:
    """The pre-order token stream of a tree: one token per node (its kind: `Assign`, `Call`,
    `Add`, …), identifiers as `N`, numbers `0`, strings `S`; builtins the module does not bind
    and imported names canonical (`math.exp`). A function's or class's header (decorators,
    parameters, bases) is marked, and a top-level statement, `def` or `class` starts a
    segment no k-gram spans. Iterative, so deep nesting cannot exhaust the stack."""

    def __init__(self, tree: ast.Module, offset: int):
        self.modules, bound = _names(tree)
        self.kept = BUILTINS - bound
        self.tokens: list[Token] = []
        self.offset = offset
        self._walk(tree)

    def _name(self, name: str) -> str:
        if name in self.modules:
            return self.modules[name]
        return name if name in self.kept else 'N'

    def _dotted(self, node: ast.expr) -> str | None:
        """`math.exp`, `os.path.join`: an attribute of an imported module, else None."""
        if isinstance(node, ast.Name):
            return self.modules.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self._dotted(node.value)
            return f'{base}.{node.attr}' if base else None
        return None

    def _walk(self, tree: ast.Module) -> None:
        stack: list[tuple[Any, bool, bool]] = [(node, True, False) for node in reversed(tree.body)]
        line = 1
        while stack and len(self.tokens) < MAX_TOKENS:
            node, top, head = stack.pop()
            if node is None:                            # the end of a header
                continue
            line = getattr(node, 'lineno', line)
            text, children = self._token(node)
            if text is None and not children:
                continue
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if isinstance(node, ast.ClassDef):
                    header = [*node.decorator_list, *node.bases, *node.keywords]
                else:
                    header = [*node.decorator_list, node.args, *([node.returns] if node.returns else [])]
                self.tokens.append(Token(text, line + self.offset, True, True))
                stack += [(child, False, False) for child in reversed(node.body)]
                stack += [(child, False, True) for child in reversed(header)]
                continue
            if text is not None:
                self.tokens.append(Token(text, line + self.offset, top, head))
            stack += [(child, False, head) for child in reversed(children)]

    def _token(self, node: Any) -> tuple[str | None, list[Any]]:
        """The node's token (None: none of its own) and the children to emit after it."""
        if isinstance(node, _HIDDEN):
            return None, []
        if isinstance(node, ast.Name):
            return self._name(node.id), []
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, (str, bytes)):
                return 'S', []
            if isinstance(value, (int, float, complex)) and not isinstance(value, bool):
                return '0', []
            return repr(value), []
        if isinstance(node, ast.JoinedStr):
            return 'S', []
        if isinstance(node, ast.Attribute):
            dotted = self._dotted(node)
            return (dotted, []) if dotted else ('.', [node.value])
        if isinstance(node, ast.arg):
            return 'N', [node.annotation] if node.annotation else []
        if isinstance(node, ast.keyword):
            return ('N=' if node.arg else '**'), [node.value]
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return None, []                             # a docstring or a bare string
        if isinstance(node, ast.Import):
            return 'import', []
        if isinstance(node, ast.ImportFrom):
            return f'from {node.module or ""}', []
        kind = type(node).__name__
        return _SHORT.get(kind, kind), list(ast.iter_child_nodes(node))


def _imported_names_of(nodes) -> dict[str, str]:
    """Local name → canonical name of imported modules and of names imported from them:
    `import math` → {math: math}; `import numpy as np` → {np: numpy};
    `from math import exp as e` → {e: math.exp}."""
    names: dict[str, str] = {}
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split('.')[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != '*':
                    names[alias.asname or alias.name] = f'{node.module}.{alias.name}'
    return names


def _hash(tokens: list[Token]) -> int:
    joined = '\x1f'.join(t.text for t in tokens).encode('utf-8', 'surrogateescape')
    return int.from_bytes(hashlib.blake2b(joined, digest_size=8).digest(), 'big')


def headers(tokens: list[Token]) -> list[tuple[int, int]]:
    """(start, end) token ranges of the `def` and `class` headers."""
    found = []
    for i, token in enumerate(tokens):
        if token.starts and token.head and token.text in ('def', 'class'):
            j = i + 1
            while j < len(tokens) and tokens[j].head and not tokens[j].starts:
                j += 1
            found.append((i, j))
    return found


def template_headers(source: str | None) -> frozenset[tuple[str, ...]]:
    """The normalised headers of the template's functions and classes."""
    if not source:
        return frozenset()
    tokens = normalise(source)
    return frozenset(tuple(t.text for t in tokens[a:b]) for a, b in headers(tokens))


def kgram_hashes(tokens: list[Token], k: int = K, given: frozenset[tuple[str, ...]] = frozenset()
                 ) -> list[int | None]:
    """The hash of the k-gram starting at each token; None where it would span the start of
    a function, class or decorator (so that reordering definitions changes no k-gram) or
    touch a header the template gives (`given`): a one-line body under a given signature
    is no evidence of copying."""
    blocked = [False] * len(tokens)
    for a, b in headers(tokens) if given else ():
        if tuple(t.text for t in tokens[a:b]) in given:
            blocked[a:b] = [True] * (b - a)
    blocked_after = [len(tokens)] * (len(tokens) + 1)
    next_blocked = len(tokens)
    for i in range(len(tokens) - 1, -1, -1):
        if blocked[i]:
            next_blocked = i
        blocked_after[i] = next_blocked
    hashes: list[int | None] = []
    next_start = len(tokens)
    starts_after = [len(tokens)] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].starts:
            next_start = i
        starts_after[i] = next_start
    for i in range(len(tokens) - k + 1):
        clear = starts_after[i + 1] >= i + k and blocked_after[i] >= i + k
        hashes.append(_hash(tokens[i:i + k]) if clear else None)
    return hashes


def winnow(hashes: list[int | None], w: int = W) -> list[tuple[int, int]]:
    """(hash, position) of the fingerprints: the minimum of every window of `w` hashes
    (rightmost on a tie), each position once; None hashes (template code) are never chosen."""
    chosen: list[tuple[int, int]] = []
    last = -1
    if not hashes:
        return chosen
    for start in range(max(1, len(hashes) - w + 1)):
        best = None
        for position in range(start, min(start + w, len(hashes))):
            value = hashes[position]
            if value is not None and (best is None or value <= hashes[best]):
                best = position
        if best is not None and best != last:
            chosen.append((hashes[best], best))
            last = best
    return chosen


@dataclass(frozen=True)
class Template:
    kgrams: frozenset[int] = frozenset()
    headers: frozenset[tuple[str, ...]] = frozenset()

    @classmethod
    def of(cls, source: str | None) -> 'Template':
        return cls(template_hashes(source), template_headers(source))


def fingerprints(source: str, template: Template = Template(), *, name: str = '') -> Module:
    tokens = normalise(source)
    hashes = [None if h in template.kgrams else h for h in kgram_hashes(tokens, given=template.headers)]
    prints: dict[int, list[int]] = defaultdict(list)
    for value, position in winnow(hashes):
        prints[value].append(position)
    return Module(name, source, tokens, dict(prints))


def template_hashes(source: str | None) -> frozenset[int]:
    return frozenset(h for h in kgram_hashes(normalise(source)) if h is not None) if source else frozenset()


# ------------------------------------------------------------------------------- comparing

def score(a: Module, b: Module) -> tuple[float, float, int]:
    """(score, jaccard, shared fingerprints)."""
    shared = len(a.prints.keys() & b.prints.keys())
    union = len(a.prints.keys() | b.prints.keys())
    denominator = max(min(a.size, b.size), MIN_FINGERPRINTS)
    return shared / denominator, (shared / union if union else 0.0), shared


def regions(a: Module, b: Module, *, limit: int = 12) -> list[dict[str, Any]]:
    """The shared code as line ranges of both modules, largest first."""
    matches = sorted((pa, pb) for h in a.prints.keys() & b.prints.keys()
                     for pa in a.prints[h][:1] for pb in b.prints[h][:1])
    blocks: list[list[tuple[int, int]]] = []
    gap = W + K
    for pa, pb in matches:
        for block in reversed(blocks[-6:]):
            la, lb = block[-1]
            if 0 < pa - la <= gap and 0 < pb - lb <= gap + K:
                block.append((pa, pb))
                break
        else:
            blocks.append([(pa, pb)])
    found = []
    for block in blocks:
        a_start, a_end = block[0][0], block[-1][0] + K - 1
        b_start = min(pb for _, pb in block)
        b_end = max(pb for _, pb in block) + K - 1
        a_lines = (a.tokens[a_start].line, a.tokens[min(a_end, len(a.tokens) - 1)].line)
        b_lines = (b.tokens[b_start].line, b.tokens[min(b_end, len(b.tokens) - 1)].line)
        found.append({'fingerprints': len(block), 'tokens': a_end - a_start + 1,
                      'a_lines': list(a_lines), 'b_lines': list(b_lines)})
    found.sort(key=lambda r: (-r['tokens'], r['a_lines']))
    found = found[:limit]
    a_text, b_text = a.source.splitlines(), b.source.splitlines()
    for region in found:
        region['a_text'] = _excerpt(a_text, *region['a_lines'])
        region['b_text'] = _excerpt(b_text, *region['b_lines'])
    return found


def _excerpt(lines: list[str], first: int, last: int, most: int = 60) -> str:
    chosen = lines[first - 1:min(last, first - 1 + most)]
    more = last - first + 1 - len(chosen)
    return '\n'.join(chosen) + (f'\n… ({more} more lines)' if more > 0 else '')


def common_limit(modules: int, share: float = COMMON_SHARE) -> int:
    """How many modules must hold a fingerprint for it to be common code: more than `share`
    of the class, and at least COMMON_MIN (so a pair or a ring of three copies in a small
    class is never discounted)."""
    return max(COMMON_MIN, math.floor(share * modules) + 1)


def _shared_counts(index: dict[int, list[int]]) -> dict[tuple[int, int], int]:
    """(x, y) → how many fingerprints modules x and y share, for every pair sharing one."""
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for holders in index.values():
        for x in range(len(holders)):
            for y in range(x + 1, len(holders)):
                shared[(holders[x], holders[y])] += 1
    return shared


def _common(modules: list[Module], index: dict[int, list[int]], share: float) -> tuple[set[int], int]:
    """The common fingerprints and the number of families. Near-identical modules (scoring
    FAMILY_SCORE or more before the discount: copies of one source) count once, so a
    source that many copied is not common code: a fingerprint is common when more than
    `share` of the families, and at least COMMON_MIN of them, hold it."""
    family = list(range(len(modules)))

    def root(x: int) -> int:
        while family[x] != x:
            family[x] = family[family[x]]
            x = family[x]
        return x

    for (x, y), count in _shared_counts(index).items():
        if count / max(min(modules[x].size, modules[y].size), MIN_FINGERPRINTS) >= FAMILY_SCORE:
            family[root(x)] = root(y)
    families = len({root(x) for x in range(len(modules))})
    limit = common_limit(families, share)
    common = {value for value, holders in index.items()
              if len(holders) >= limit and len({root(h) for h in holders}) >= limit}
    return common, families


def compare(items: list[SimilarityInput], *, template: str | None = None, reference: str | None = None,
            threshold: float = THRESHOLD, keep: int = 200, common_share: float = COMMON_SHARE) -> dict[str, Any]:
    """The similarity report of a batch as a JSON-ready dict (see the module's docstring)."""
    base = Template.of(template)
    modules: list[Module] = []
    submissions = []
    entries: list[dict[str, Any]] = []
    ref = fingerprints(reference, base, name='(reference solution)') if reference else None
    for item in items:
        entry: dict[str, Any] = {'name': item.name, **item.meta}
        if item.source is None:
            entry.update(fingerprints=0, tokens=0, note=item.note or 'no module')
        else:
            module = fingerprints(item.source, base, name=item.name)
            modules.append(module)
            entries.append(entry)
            entry.update(tokens=len(module.tokens), note=item.note)
            if ref is not None:
                entry['reference_score'] = round(score(module, ref)[0], 4)
        submissions.append(entry)

    index: dict[int, list[int]] = defaultdict(list)
    for number, module in enumerate(modules):
        for value in module.prints:
            index[value].append(number)
    common_prints, families = _common(modules, index, common_share)
    limit = common_limit(families, common_share)
    for module, entry in zip(modules, entries):
        entry['common_fingerprints'] = len(module.prints.keys() & common_prints)
        module.prints = {value: where for value, where in module.prints.items() if value not in common_prints}
        entry['fingerprints'] = module.size
        entry['damped'] = module.size < MIN_FINGERPRINTS    # little code beyond the template and the common code
    for value in common_prints:
        del index[value]
    shared = _shared_counts(index)
    pairs = []
    for (x, y), _count in shared.items():
        a, b = modules[x], modules[y]
        value, jaccard, common = score(a, b)
        pairs.append({'a': a.name, 'b': b.name, 'score': round(value, 4), 'jaccard': round(jaccard, 4),
                      'shared': common, 'a_fingerprints': a.size, 'b_fingerprints': b.size,
                      'suspicious': value >= threshold, '_x': x, '_y': y})
    pairs.sort(key=lambda p: (-p['score'], -p['jaccard'], p['a'], p['b']))
    kept = [p for p in pairs if p['suspicious']] or []
    kept += [p for p in pairs if not p['suspicious']][:max(0, keep - len(kept))]
    for pair in kept:
        x, y = pair.pop('_x'), pair.pop('_y')
        pair['regions'] = regions(modules[x], modules[y]) if pair['suspicious'] else []
    return {
        'method': 'winnowing (Schleimer et al. 2003) over the normalised syntax tree of the Python code',
        'parameters': {'k': K, 'window': W, 'guarantee_tokens': K + W - 1, 'threshold': threshold,
                       'min_fingerprints': MIN_FINGERPRINTS, 'template_kgrams': len(base.kgrams),
                       'template_headers': len(base.headers),
                       'score': 'shared / max(min(|A|, |B|), min_fingerprints)',
                       'common_share': common_share, 'common_limit': limit, 'families': families, 'common_fingerprints': len(common_prints)},
        'submissions': submissions,
        'pairs': kept,
        'pairs_total': len(modules) * (len(modules) - 1) // 2,
        'pairs_sharing': len(pairs),
        'suspicious': sum(p['suspicious'] for p in pairs),
    }

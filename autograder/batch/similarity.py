"""Similarity of the modules handed in: which pairs of students share code beyond the template.

Method (the one of MOSS: Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for
document fingerprinting", SIGMOD 2003):

1. **Normalise.** The module is split into tokens with the standard library's `tokenize`.
   Comments, docstrings (and other statements made of a bare string), line breaks and
   indentation are dropped; every identifier becomes `N`, every number `0`, every string
   `S`. Kept as they are: keywords, operators and punctuation, builtins (`range`, `len`),
   `self`/`cls`, and names from imported standard-library modules (`math.exp` stays
   `math.exp`; `from math import exp as e` makes `e` `math.exp`). So renaming variables,
   reformatting, re-commenting and reordering functions change nothing that is compared.
2. **k-grams.** Every run of K = 12 consecutive tokens is hashed (blake2b, 64 bits, so the
   hashes are the same in every process). A Python line is 6-12 such tokens: a k-gram
   spans one or two statements, so common one-liners (`for N in range ( len ( N ) ) :`,
   11 tokens) cannot match on their own.
3. **Template removal.** The k-grams of the student template's `model.py` (what every
   student was given: signatures, imports, the docstrings are gone already) are never
   fingerprints. The reference solution is *not* removed: students do not have it, so
   sharing its code is exactly what this report must show (each submission's similarity
   to the reference is listed separately).
4. **Winnowing.** In every window of W = 8 consecutive k-gram hashes the smallest (the
   rightmost on a tie) is a fingerprint. This guarantees that any shared run of at least
   W + K - 1 = 19 tokens (two or three lines) yields a shared fingerprint, while keeping
   about 2/(W+1) ≈ 22 % of the hashes.
5. **Score.** For modules A and B with fingerprint sets F(A), F(B):
   `score = |F(A) ∩ F(B)| / max(min(|F(A)|, |F(B)|), 25)` — the share of the smaller module
   found in the other (a copied module that was extended still scores high), with a floor
   so that two nearly empty modules do not score 1.0 on a handful of fingerprints; and the
   Jaccard index `|F(A) ∩ F(B)| / |F(A) ∪ F(B)|`. Pairs are ranked by score; pairs at or
   above `threshold` (0.5) are listed as suspicious, with the matching regions.
6. **Regions.** Shared fingerprints are chained (in A's order, also close in B) into
   regions, mapped back to line ranges of both modules and shown side by side.

A high score is a reason to look, not a verdict: the instructor compares the regions.
"""
from __future__ import annotations

import ast
import builtins
import hashlib
import io
import keyword
import tokenize
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..sandbox.syntax_tree import parse

__all__ = ['K', 'W', 'Module', 'normalise', 'fingerprints', 'compare', 'SimilarityInput']

K = 12           # tokens per k-gram (noise threshold)
W = 8            # window of the winnowing (guarantee threshold K + W - 1 = 19 tokens)
MIN_FINGERPRINTS = 25
THRESHOLD = 0.5
BUILTINS = frozenset(dir(builtins))
KEPT_NAMES = frozenset({'self', 'cls'})
_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
         tokenize.ENCODING, tokenize.ENDMARKER}
_FSTRING = {getattr(tokenize, name) for name in ('FSTRING_START', 'FSTRING_MIDDLE', 'FSTRING_END')
            if hasattr(tokenize, name)}


@dataclass(frozen=True)
class Token:
    text: str        # the normalised token
    line: int        # its (first) line in the source
    starts: bool = False     # starts a top-level statement, a `def`, `class` or decorator: no k-gram spans it


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


def _raw_tokens(source: str) -> list[tokenize.TokenInfo]:
    """The tokens of `source`; up to the first error for code that does not tokenise."""
    tokens = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            tokens.append(token)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return tokens


def normalise(source: str) -> list[Token]:
    """The module's tokens with names, literals, comments, docstrings and layout normalised."""
    raw = _raw_tokens(source)
    modules = _imported_names(source)
    significant = [t for t in raw if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING)]
    out: list[Token] = []
    for i, token in enumerate(significant):
        if token.type in _SKIP:
            continue
        if token.type == tokenize.STRING and _bare_string_statement(significant, i):
            continue
        if token.type in _FSTRING:
            if token.type == getattr(tokenize, 'FSTRING_START', None):
                out.append(Token('S', token.start[0]))
            continue
        text = token.string
        if token.type == tokenize.NAME:
            previous = significant[i - 1].string if i else ''
            base = significant[i - 2].string if i >= 2 else ''
            if keyword.iskeyword(text):
                pass
            elif previous == '.' and base in modules and len(out) >= 2:
                out.pop()                                   # `math . exp` → `math.exp`
                out[-1] = Token(f'{out[-1].text}.{text}', out[-1].line)
                continue
            elif previous == '.':
                text = 'N'
            elif text in modules:
                text = modules[text]
            elif text not in BUILTINS and text not in KEPT_NAMES:
                text = 'N'
        elif token.type == tokenize.NUMBER:
            text = '0'
        elif token.type == tokenize.STRING:
            text = 'S'
            if out and out[-1].text == 'S' and significant[i - 1].type == tokenize.STRING:
                continue                                    # 'a' 'b' is one string
        statement = i == 0 or significant[i - 1].type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
        starts = statement and (token.start[1] == 0 or text in ('def', 'class', '@', 'async'))
        out.append(Token(text, token.start[0], starts))
    return out


def _bare_string_statement(tokens: list[tokenize.TokenInfo], i: int) -> bool:
    """A string that is a whole statement (a docstring): after a statement boundary, and
    followed (after more strings) by the end of the statement."""
    before = tokens[i - 1].type if i else tokenize.NEWLINE
    if before not in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT) and i:
        if tokens[i - 1].type != tokenize.STRING:
            return False
        return _bare_string_statement(tokens, i - 1)
    j = i
    while j < len(tokens) and tokens[j].type == tokenize.STRING:
        j += 1
    return j >= len(tokens) or tokens[j].type in (tokenize.NEWLINE, tokenize.ENDMARKER, tokenize.DEDENT)


def _imported_names(source: str) -> dict[str, str]:
    """Local name → canonical name of imported modules and of names imported from them:
    `import math` → {math: math}; `import numpy as np` → {np: numpy};
    `from math import exp as e` → {e: math.exp}. For code that does not parse: its import lines."""
    tree = parse(source).tree               # bounded: sandbox/syntax_tree.py
    nodes = list(ast.walk(tree)) if tree is not None else []
    if tree is None:                    # the import lines one by one
        for line in source.splitlines():
            if line.lstrip().startswith(('import ', 'from ')):
                try:
                    nodes += ast.parse(line.strip()).body
                except (SyntaxError, ValueError):
                    pass
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
    """(start, end) token ranges of the `def …:` and `class …:` headers."""
    found = []
    for i, token in enumerate(tokens):
        if token.starts and token.text in ('def', 'class'):
            depth = 0
            for j in range(i + 1, len(tokens)):
                text = tokens[j].text
                if text in ('(', '[', '{'):
                    depth += 1
                elif text in (')', ']', '}'):
                    depth -= 1
                elif text == ':' and depth <= 0:
                    found.append((i, j + 1))
                    break
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


def compare(items: list[SimilarityInput], *, template: str | None = None, reference: str | None = None,
            threshold: float = THRESHOLD, keep: int = 200) -> dict[str, Any]:
    """The similarity report of a batch as a JSON-ready dict (see the module's docstring)."""
    base = Template.of(template)
    modules: list[Module] = []
    submissions = []
    ref = fingerprints(reference, base, name='(reference solution)') if reference else None
    for item in items:
        entry: dict[str, Any] = {'name': item.name, **item.meta}
        if item.source is None:
            entry.update(fingerprints=0, tokens=0, note=item.note or 'no module')
        else:
            module = fingerprints(item.source, base, name=item.name)
            modules.append(module)
            entry.update(fingerprints=module.size, tokens=len(module.tokens), note=item.note)
            if ref is not None:
                entry['reference_score'] = round(score(module, ref)[0], 4)
            if module.size < MIN_FINGERPRINTS:
                entry['note'] = (entry['note'] + ' ' if entry['note'] else '') + \
                    'little code beyond the template: scores against it are damped'
        submissions.append(entry)

    index: dict[int, list[int]] = defaultdict(list)
    for number, module in enumerate(modules):
        for value in module.prints:
            index[value].append(number)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for holders in index.values():
        for x in range(len(holders)):
            for y in range(x + 1, len(holders)):
                shared[(holders[x], holders[y])] += 1
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
        'method': 'winnowing (Schleimer et al. 2003) over normalised Python tokens',
        'parameters': {'k': K, 'window': W, 'guarantee_tokens': K + W - 1, 'threshold': threshold,
                       'min_fingerprints': MIN_FINGERPRINTS, 'template_kgrams': len(base.kgrams),
                       'template_headers': len(base.headers),
                       'score': 'shared / max(min(|A|, |B|), min_fingerprints)'},
        'submissions': submissions,
        'pairs': kept,
        'pairs_total': len(modules) * (len(modules) - 1) // 2,
        'pairs_sharing': len(pairs),
        'suspicious': sum(p['suspicious'] for p in pairs),
    }

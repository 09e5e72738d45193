"""Similarity that survives disguise: disguised copies against independent modules.

Originals: the reference module, three example variants (`autograder.authoring.examples`:
the same module written differently), and two independent solutions (tests/helpers/
similarity_samples.py: A with functions and neurons, C with the layers in its own style).
Independent modules: A, B, C, and the layered code of a real hand-in among the course's
seeds (/work/shared/seeds/002_*, when present). Every class is one reference-family
module, the independent modules, and one disguised copy of an original (a partial copy
replaces its host, B). Pairs other than (original, copy) are independent.

Prints JSON: per disguise the copies' scores, the lowest copy score, the highest
independent score, how many copies reach the threshold and how many independent pairs do.

    .venv/bin/python bench/similarity_disguise.py
"""
from __future__ import annotations

import ast
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / 'tests'))

from autograder.authoring.bundle import model_source  # noqa: E402
from autograder.authoring.examples.mutations import apply, find  # noqa: E402
from autograder.batch import similarity as S  # noqa: E402
from helpers.similarity_samples import DISGUISES, INDEPENDENT_A, INDEPENDENT_B, INDEPENDENT_C, disguise  # noqa: E402

TEMPLATE = (ROOT / 'student_template' / 'eindopdracht-v2324.2' / 'model.py').read_text()
VARIANTS = ('all-variations', 'keyword-only-alpha', 'partial-fit-none')


def seed_module() -> str | None:
    """The code of the seed hand-in with layers (a computational graph of Node classes)."""
    found = sorted(Path('/work/shared/seeds').glob('002_*.txt'))
    if not found:
        return None
    lines = found[0].read_text(encoding='utf-8').splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith('from abc import'))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith('class OutputLayer'))
    end = next(i for i in range(end + 1, len(lines)) if lines[i] and not lines[i][0].isspace())
    code = '\n'.join(line for line in lines[start:end] if not line.startswith('```')) + '\n'
    try:
        ast.parse(code)
    except SyntaxError:
        return None
    return code


def main() -> None:
    reference = model_source()
    family = {'reference': reference, **{f'variant-{v}': apply(reference, find(v)) for v in VARIANTS}}
    independent = {'A': INDEPENDENT_A, 'B': INDEPENDENT_B, 'C': INDEPENDENT_C}
    seed = seed_module()
    if seed:
        independent['seed-002'] = seed
    originals = {**family, 'A': INDEPENDENT_A, 'C': INDEPENDENT_C}
    started = time.perf_counter()
    results = {}
    for how in DISGUISES:
        copies, worst_independent, flagged, classes = {}, (0.0, None), [], 0
        for number, (name, source) in enumerate(originals.items()):
            members = dict(independent)
            members[name if name in family else 'reference'] = source if name in family else reference
            host = None
            if how == 'partial':
                host = members.pop('B')
            copy = disguise(source, how, seed=number + 1, host=host)
            members[f'{name}~{how}'] = copy
            items = [S.SimilarityInput(n, text) for n, text in members.items()]
            report = S.compare(items, template=TEMPLATE, keep=10_000)
            classes += 1
            scores = {frozenset((p['a'], p['b'])): p['score'] for p in report['pairs']}
            copies[name] = scores.get(frozenset((name, f'{name}~{how}')), 0.0)
            for pair, value in scores.items():
                if pair == frozenset((name, f'{name}~{how}')):
                    continue
                if value > worst_independent[0]:
                    worst_independent = (value, sorted(pair))
                if value >= S.THRESHOLD:
                    flagged.append({'pair': sorted(pair), 'score': value})
        results[how] = {
            'copy_scores': copies,
            'min_copy': min(copies.values()),
            'max_independent': worst_independent[0],
            'max_independent_pair': worst_independent[1],
            'copies_detected': sum(v >= S.THRESHOLD for v in copies.values()),
            'copies': len(copies),
            'independent_flagged': len(flagged),
            'flagged': flagged,
            'separated': min(copies.values()) > worst_independent[0],
        }
    print(json.dumps({
        'threshold': S.THRESHOLD,
        'classes_per_disguise': len(originals),
        'independent_modules': sorted(independent),
        'disguises': results,
        'all_separated': all(r['separated'] for r in results.values()),
        'no_independent_flagged': not any(r['independent_flagged'] for r in results.values()),
        'seconds': round(time.perf_counter() - started, 1),
    }, indent=2))


if __name__ == '__main__':
    main()

"""The similarity report: normalisation, winnowing, template removal, common code, ranking of
disguised copies above independent solutions, the regions shown side by side, and the escaped
HTML page.

The samples (tests/helpers/similarity_samples.py): independently written solutions of the
course module (different styles, same API) and the disguises students use, applied to them
and to the reference solution. bench/similarity_disguise.py measures every disguise."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.similarity_samples import (INDEPENDENT_A, INDEPENDENT_B, INDEPENDENT_C, add_noise_comments, disguise,
                                        near_copy, rename_identifiers, reformat)

from autograder.batch import similarity as S
from autograder.batch.similarity_report import write_similarity

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = (ROOT / 'student_template' / 'eindopdracht-v2324.2' / 'model.py').read_text()


def reference_source() -> str:
    from autograder.authoring.bundle import model_source
    return model_source()


# ----------------------------------------------------------------------------------- tests

def texts(source: str) -> list[str]:
    return [t.text for t in S.normalise(source)]


def test_normalising_keeps_the_syntax_not_names_layout_or_brackets():
    one = '''"""Module docstring."""
import math


def f(x, y=2):   # a comment
    """Docstring."""
    total = math.exp(-x) + len([1, 2]) + self.w
    return total
'''
    two = '''import math
def g(alpha,beta=7):
    s=(math.exp(-alpha)+len([3,4,],)+self.other)
    # another comment
    return (s)
'''
    assert texts(one) == texts(two)
    assert texts(one)[:6] == ['import', 'def', 'arguments', 'N', 'N', '0']
    assert 'math.exp' in texts(one) and 'len' in texts(one)
    assert 'S' not in texts(one)                      # both docstrings are gone
    assert 'self' not in texts(one)                   # `self` is a name like any other
    assert texts('x = a + b\n') != texts('x = a * b\n') != texts('x = a(b)\n')


def test_self_and_rebound_builtins_are_ordinary_names():
    method = 'class K:\n    def f(self, xs):\n        return [self.g(x) for x in xs]\n'
    assert texts(method) == texts(method.replace('self', 'this'))
    # a builtin the module binds itself is a name: `sum` here is the student's own function
    own = 'def sum(xs):\n    return xs\n\n\ndef f(xs):\n    return sum(xs) + max(xs)\n'
    assert texts(own) == texts(own.replace('sum', 'total'))
    assert texts(own) != texts(own.replace('max', 'biggest'))   # a builtin it does not bind stays


def test_from_imports_and_aliases_are_canonical():
    a = 'from math import exp as e\nimport random as r\ndef f(x):\n    return e(x) + r.random()\n'
    b = 'import math\nimport random\ndef f(x):\n    return math.exp(x) + random.random()\n'
    assert texts(a)[2:] == texts(b)[2:]
    assert 'math.exp' in texts(a) and 'random.random' in texts(a)


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
    print('near-copies', copies, 'independent max', max(independent, default=0.0))
    assert min(copies) >= 0.75
    assert max(independent, default=0.0) <= 0.35
    # the three near-copy pairs are the top three, and the only suspicious ones
    top = [frozenset((p['a'], p['b'])) for p in report['pairs'][:3]]
    assert set(top) == {frozenset(('ref', 'ref-copy')), frozenset(('A', 'A-copy')), frozenset(('B', 'B-copy'))}
    assert report['suspicious'] == 3 and all(p['suspicious'] == (p['score'] >= 0.5) for p in report['pairs'])
    by_name = {s['name']: s for s in report['submissions']}
    assert by_name['nothing']['note'] == 'no module' and by_name['template only']['fingerprints'] == 0
    assert by_name['ref-copy']['reference_score'] > 0.75 > 0.35 > by_name['A']['reference_score']


def test_renaming_or_reformatting_alone_changes_nothing():
    base = S.Template.of(TEMPLATE)
    for source in (INDEPENDENT_A, INDEPENDENT_C, reference_source()):
        original = S.fingerprints(source, base)
        for variant in (rename_identifiers(source), rename_identifiers(source, rename_self=True),
                        add_noise_comments(source), reformat(source), disguise(source, 'reordered')):
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


def test_code_most_of_the_class_shares_is_not_evidence():
    """The same block (here a helper class nobody was given) in every module of a class of four
    independent solutions: with the discount the pairs score as without the block; counted,
    the block alone would flag them."""
    block = '''

class Trainer:
    def __init__(self, model, alpha=0.01, epochs=10):
        self.model, self.alpha, self.epochs = model, alpha, epochs
        self.history = {'loss': [], 'val_loss': []}

    def run(self, xs, ys, validation=None):
        for epoch in range(self.epochs):
            loss = self.model.partial_fit(xs, ys, alpha=self.alpha)
            self.history['loss'].append(loss)
            if validation is not None:
                self.history['val_loss'].append(self.model.evaluate(*validation))
            if epoch and abs(self.history['loss'][-2] - loss) < 1e-9:
                break
        return self.history
'''
    sources = {'A': INDEPENDENT_A, 'B': INDEPENDENT_B, 'C': INDEPENDENT_C, 'ref': reference_source()}

    def scores(extra: str, share: float) -> dict[frozenset, float]:
        items = [S.SimilarityInput(name, text + extra) for name, text in sources.items()]
        report = S.compare(items, template=TEMPLATE, common_share=share)
        return report, {frozenset((p['a'], p['b'])): p['score'] for p in report['pairs']}

    plain_report, plain = scores('', S.COMMON_SHARE)
    report, discounted = scores(block, S.COMMON_SHARE)
    _, counted = scores(block, 1.0)                   # limit 5 > 4 modules: nothing is common
    assert S.common_limit(4) == 4 and S.common_limit(10) == 6 and S.common_limit(200) == 101
    assert report['parameters']['common_limit'] == 4 and report['parameters']['common_fingerprints'] >= 10
    assert all(s['common_fingerprints'] >= 10 for s in report['submissions'])
    assert max(discounted.values()) < S.THRESHOLD and report['suspicious'] == 0
    for pair, value in discounted.items():
        assert value <= plain.get(pair, 0.0) + 0.05
    assert max(counted.values()) > max(discounted.values()) + 0.1


def test_disguised_and_partial_copies_outrank_independent_pairs():
    reference = reference_source()
    for how in ('renamed-self', 'reformatted', 'everything', 'partial'):
        members = {'ref': reference, 'A': INDEPENDENT_A, 'C': INDEPENDENT_C}
        host = INDEPENDENT_B if how == 'partial' else None
        if host is None:
            members['B'] = INDEPENDENT_B
        members['copy'] = disguise(reference, how, seed=4, host=host)
        report = S.compare([S.SimilarityInput(n, t) for n, t in members.items()], template=TEMPLATE)
        pairs = {frozenset((p['a'], p['b'])): p for p in report['pairs']}
        copy = pairs.pop(frozenset(('ref', 'copy')))
        assert copy['suspicious'] and copy['score'] > max((p['score'] for p in pairs.values()), default=0.0) + 0.2, how
        assert not any(p['suspicious'] for p in pairs.values()), how


def test_hostile_modules_are_cut_not_choked_on():
    huge_line = 'x = ' + '1 + ' * 2_000_000 + '1\n'               # 8 MB on one line
    assert S.normalise(huge_line) == []
    # a module is compared up to MAX_CHARS, cut at a line break: the code before the monster counts
    module = S.fingerprints(INDEPENDENT_A + huge_line, S.Template.of(TEMPLATE))
    assert S.score(module, S.fingerprints(INDEPENDENT_A, S.Template.of(TEMPLATE)))[0] == pytest.approx(1.0)
    deep = 'x = ' + '(' * 100_000 + '1' + ')' * 100_000 + '\n'    # beyond the parser's nesting limit
    assert S.normalise(INDEPENDENT_A + deep) == S.normalise(INDEPENDENT_A)
    many = 'x = 1\n' * 100_000
    assert len(S.normalise(many)) <= S.MAX_TOKENS
    errors = 'def f(:\n    pass\n' * 1000 + INDEPENDENT_A          # the error budget runs out
    assert S.normalise(errors) == []


def test_a_source_many_copied_stays_evidence():
    """Six copies of the reference in a class of nine hold its code in most modules, but they
    are one family (scoring 0.8 or more before the discount): the copies are still flagged."""
    reference = reference_source()
    items = [S.SimilarityInput(f'copy{i}', near_copy(reference, i)) for i in range(6)]
    items += [S.SimilarityInput(n, t) for n, t in (('A', INDEPENDENT_A), ('B', INDEPENDENT_B), ('C', INDEPENDENT_C))]
    report = S.compare(items, template=TEMPLATE)
    assert report['parameters']['families'] == 4
    flagged = {frozenset((p['a'], p['b'])) for p in report['pairs'] if p['suspicious']}
    assert flagged == {frozenset((f'copy{i}', f'copy{j}')) for i in range(6) for j in range(i + 1, 6)}


def test_the_page_speaks_the_course_language(tmp_path):
    report = S.compare([S.SimilarityInput('amy', INDEPENDENT_A), S.SimilarityInput('bo', near_copy(INDEPENDENT_A)),
                        S.SimilarityInput('cas', None, 'no module')], template=TEMPLATE)
    html = write_similarity(report, tmp_path, title='Eindopdracht', course='VL', lang='nl')['html'].read_text()
    assert '<html lang="nl">' in html and 'Gelijkenis van de modules: Eindopdracht' in html
    assert 'Meest gelijkende paren' in html and 'amy en bo: score 1,00' in html and 'geen module' in html
    assert 'regels' in html and 'Zo lees je dit' in html
    for english in ('Most similar pairs', 'How to read this', 'lines ', 'no module', 'shared fingerprints'):
        assert english not in html
    english_html = write_similarity(report, tmp_path, title='T')['html'].read_text()
    assert 'Most similar pairs' in english_html and 'amy and bo: score 1.00' in english_html

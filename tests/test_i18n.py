"""The grader's languages: every message id in the code has its Dutch translation, each
translation keeps the placeholders of its id, the language is chosen as documented, and no
module shadows the `_` it translates with."""
from __future__ import annotations

import ast
import re
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from autograder import i18n
from autograder.i18n import _, language, resolve

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / 'autograder' / 'i18n' / 'nl.po'
KEYWORDS = {'_': None, 'N_': None, 'ngettext': (1, 2)}


@cache
def extracted() -> dict[str, list[str]]:
    """Every message id the code and templates mark, with where it is marked (as `make
    catalogue` extracts them)."""
    with open(ROOT / 'autograder' / 'i18n' / 'babel.cfg') as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS):
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                found.setdefault(msgid, []).append(f'{filename}:{lineno}')
    return found


@cache
def catalogue():
    with open(CATALOGUE, 'rb') as handle:
        return read_po(handle, locale='nl')


def fields(text: str) -> tuple[set[str], set[str]]:
    """The named fields of a text: {name} (str.format) and %(name)s (the templates')."""
    braces = set()
    try:
        braces = {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name}
    except ValueError:
        pass
    return braces, set(re.findall(r'%\((\w+)\)s', text))


def test_the_code_marks_the_messages_the_catalogue_is_made_from():
    found = extracted()
    assert len(found) > 500
    # a few from each part of the grader: checks, reports, templates, intake, the runner's texts
    for msgid in ('Not as expected — {problems}.', 'Where to fix', 'All checks at a glance',
                  "the module has no '{name}'", "Skipped {files}: not regular files."):
        assert msgid in found, msgid


def test_every_message_has_its_dutch_translation():
    entries = catalogue()
    missing = [f'{msgid!r} ({where[0]})' for msgid, where in extracted().items()
               if msgid not in entries or not entries[msgid].string or entries[msgid].fuzzy]
    assert not missing, f'{len(missing)} messages lack a Dutch translation (run `make catalogue`, then ' \
                        f'translate autograder/i18n/nl.po):\n' + '\n'.join(missing[:40])


def test_every_translation_keeps_the_placeholders_of_its_message():
    wrong = []
    for message in catalogue():
        if not message.id or not message.string:
            continue
        for msgid, msgstr in ([(message.id, message.string)] if isinstance(message.id, str) else
                              zip(message.id, message.string)):
            if fields(msgid) != fields(msgstr):
                wrong.append(f'{msgid!r} → {msgstr!r}')
    assert not wrong, '\n'.join(wrong[:20])


def test_the_translations_are_used():
    with language('nl'):
        assert _('All checks at a glance') == catalogue()['All checks at a glance'].string
        assert _('no such message, left as it is') == 'no such message, left as it is'
    with language('en'):
        assert _('All checks at a glance') == 'All checks at a glance'


def test_the_language_is_the_request_then_the_environment_then_the_assignment(monkeypatch):
    class Settings:
        language = 'nl'
    monkeypatch.delenv(i18n.ENVIRONMENT, raising=False)
    assert resolve(None, Settings()) == 'nl'
    assert resolve(None, None) == 'en'
    monkeypatch.setenv(i18n.ENVIRONMENT, 'en_GB.UTF-8')
    assert resolve(None, Settings()) == 'en'
    assert resolve('NL', Settings()) == 'nl'
    assert resolve('fr', Settings()) == 'en'           # no catalogue: English


def test_locale_aware_numbers_and_lists():
    with language('nl'):
        assert i18n.percent(0.925) == '92,5%' and i18n.number(2600) == '2.600'
        assert i18n.join_or(['ELiSH', 'HardELiSH']) == 'ELiSH of HardELiSH'
    with language('en'):
        assert i18n.percent(0.925) == '92.5%' and i18n.join_and(['a', 'b', 'c']) == 'a, b, and c'


def test_a_missing_field_of_a_runner_text_stays_visible_instead_of_raising():
    assert i18n.fill("the module has no '{name}'", {}) == "the module has no '{name}'"
    with language('nl'):
        assert 'tanh' in i18n.fill("the module has no '{name}'", {'name': 'tanh'})


def _shadowing(path: Path) -> list[str]:
    """Functions that bind `_` (a loop or an assignment) in a module that translates with `_`:
    the first `_()` call there would raise UnboundLocalError."""
    tree = ast.parse(path.read_text(encoding='utf-8'))
    imports_it = any(isinstance(node, ast.ImportFrom) and node.module and node.module.endswith('i18n')
                     and any(a.name == '_' for a in node.names) for node in ast.walk(tree))
    if not imports_it:
        return []
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            targets = (node.targets if isinstance(node, ast.Assign) else [node.target]
                       if isinstance(node, (ast.For, ast.AugAssign, ast.AnnAssign)) else
                       [i.optional_vars for i in node.items if i.optional_vars] if isinstance(node, ast.With) else [])
            if any(isinstance(n, ast.Name) and n.id == '_' for t in targets for n in ast.walk(t)):
                found.append(f'{path.relative_to(ROOT)}:{node.lineno} in {function.name}')
    return found


def test_no_function_shadows_the_translation_function():
    shadowed = [hit for path in sorted((ROOT / 'autograder').rglob('*.py')) for hit in _shadowing(path)]
    assert not shadowed, shadowed


@pytest.mark.parametrize('template', sorted((ROOT / 'autograder' / 'report' / 'templates').glob('*.j2')))
def test_templates_show_no_unmarked_english_sentences(template):
    """Text between tags in a template is either marked for translation or not words at all."""
    source = template.read_text(encoding='utf-8')
    source = re.sub(r'<script>.*?</script>|<style>.*?</style>|\{#.*?#\}', '', source, flags=re.S)
    source = re.sub(r'\{\{.*?\}\}|\{%.*?%\}', ' ', source, flags=re.S)
    loose = [t.strip() for t in re.findall(r'>([^<>]+)<', source)
             if re.search(r'[A-Za-z]{3,}', t) and t.strip() not in ('N',)]
    assert not loose, loose


# --- the reports in both languages ---------------------------------------------------------------
def english_fragments(minimum: int = 14) -> set[str]:
    """The English pieces of the catalogue that a Dutch page must not show: each translated
    message id cut at its placeholders and tags, the pieces of two words or more that its
    translation (or any translation) does not itself contain, such as quoted code."""
    entries = [m for m in catalogue() if m.id and m.string and isinstance(m.id, str) and m.id != m.string]
    translations = ' '.join(m.string for m in entries)
    pieces = set()
    for message in entries:
        for piece in re.split(r'\{[^}]*\}|%\(\w+\)s|<[^>]+>', message.id):
            piece = piece.strip(' .,;:()—-')
            if len(piece) >= minimum and ' ' in piece and piece not in translations:
                pieces.add(piece)
    return pieces


def visible_text(html: str) -> str:
    from helpers.html import soup
    page = soup(html)
    for hidden in page(['script', 'style']):
        hidden.decompose()
    return ' '.join(page.get_text(' ').split())


@pytest.fixture(scope='module')
def overflow_checked(tmp_path_factory):
    """flawed-overflow (tanh overflows at ±1000) checked (static checks and probes) in each language."""
    from autograder.authoring.examples.build import build_examples
    from autograder.grade import GradeOptions, grade
    from autograder.sandbox.isolation import Isolation
    from autograder.settings import load_settings
    settings = load_settings('eindopdracht-v2324.2')
    tmp = tmp_path_factory.mktemp('languages')
    [zipped] = build_examples(settings, tmp / 'zips', ['flawed-overflow'])
    isolation = Isolation()
    return {lang: grade(zipped, settings, tmp / lang, GradeOptions(mode='check', progress=False, isolation=isolation,
                                                                    language=lang))
            for lang in ('en', 'nl')}


def test_the_same_failure_reads_in_english_and_in_dutch(overflow_checked):
    from autograder.report import render_student
    from helpers.html import article, text
    assert overflow_checked['en']['language'] == 'en' and overflow_checked['nl']['language'] == 'nl'
    pages = {lang: render_student(document) for lang, document in overflow_checked.items()}
    english, dutch = (text(article(pages[lang], 'activations.hidden')) for lang in ('en', 'nl'))
    with language('nl'):
        dutch_lead = _('Some functions fail at points outside the table — {problems}.').split('{')[0].strip()
        dutch_where = _('{message} Where to fix: {fixes}.').split('{fixes}')[0].split('}')[-1].strip()
    assert 'Some functions fail at points outside the table' in english and 'Where to fix' in english
    assert dutch_lead in dutch and dutch_where in dutch and 'Some functions fail' not in dutch
    for page in (english, dutch):                # the same failure, the same place
        assert 'tanh' in page and 'OverflowError' in page and 'model.py' in page
    assert '<html lang="nl">' in pages['nl'] and '<html lang="en">' in pages['en']
    # the check's status and points do not depend on the language
    for en, nl in zip(overflow_checked['en']['checks'], overflow_checked['nl']['checks']):
        assert (en['id'], en['status'], en['points']) == (nl['id'], nl['status'], nl['points'])


def test_the_dutch_check_report_shows_no_english_of_the_catalogue(overflow_checked):
    from autograder.report import render_student
    page = visible_text(render_student(overflow_checked['nl']))
    left = sorted(piece for piece in english_fragments() if piece in page)
    assert not left, left


@pytest.mark.slow
def test_the_dutch_report_and_dashboard_of_a_graded_run_show_no_english(tmp_path):
    """A whole quick-profile grading in Dutch (notebook, Deel B and all): the student report and
    the class dashboard hold none of the catalogue's English."""
    from autograder.authoring.examples.build import build_examples
    from autograder.grade import GradeOptions, grade
    from autograder.report import render_dashboard, render_student
    from autograder.sandbox.isolation import Isolation
    from autograder.settings import load_settings
    settings = load_settings('eindopdracht-v2324.2')
    [zipped] = build_examples(settings, tmp_path / 'zips', ['flawed-no-elish'])
    document = grade(zipped, settings, tmp_path / 'out', GradeOptions(progress=False, isolation=Isolation(),
                                                                      language='nl'))
    assert document['language'] == 'nl'
    fragments = english_fragments()
    for page in (render_student(document), render_dashboard([document])):
        text = visible_text(page)
        left = sorted(piece for piece in fragments if piece in text)
        assert not left, left

"""The languages of what students and instructors read: English (the message ids) and Dutch.

Every student-facing text is written in English in the code, marked `_('…')` (or `N_('…')`
where it is only declared, like the registry's titles, and translated with `_()` where it is
used), with named placeholders filled in by `.format(...)` *after* translation, so that each
sentence is translated as a whole. Templates use jinja2's i18n extension (`{% trans %}`,
`_()`), whose placeholders are `%(name)s`. The catalogue `nl.po` (gettext's format, read and
compiled in memory with Babel) holds the Dutch; `make catalogue` re-extracts the message ids
(`messages.pot`) and merges them into it; `tests/test_i18n.py` fails when a message lacks
its translation or a translation drops a placeholder.

Which language: `--lang`, else the environment variable AUTOGRADER_LANG, else the
assignment's `assignment.language`, else English. Grading runs inside `language(...)`; the
results document records the language of its messages, and the reports render in it.
"""
from __future__ import annotations

import functools
import gettext as _gettext
import io
import os
import string
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

__all__ = ['_', 'N_', 'ngettext', 'language', 'current', 'resolve', 'translations', 'fill', 'join_or', 'join_and',
           'percent', 'number',
           'LANGUAGES', 'DEFAULT', 'ENVIRONMENT', 'CATALOGUES', 'NAMES']

LANGUAGES = ('en', 'nl')
NAMES = {'en': 'English', 'nl': 'Nederlands'}
DEFAULT = 'en'
CATALOGUES = Path(__file__).resolve().parent            # <language>.po and messages.pot
ENVIRONMENT = 'AUTOGRADER_LANG'
_current: ContextVar[str] = ContextVar('autograder_language', default=DEFAULT)


def normalise(code: str | None) -> str | None:
    """'nl_NL.UTF-8', 'NL', 'nl-BE' → 'nl'; None for an empty code."""
    if not code or not code.strip():
        return None
    return code.strip().lower().replace('_', '-').split('.')[0].split('-')[0]


def resolve(requested: str | None = None, settings: Any = None) -> str:
    """The language to use: the request (--lang), else $AUTOGRADER_LANG, else the assignment's
    `assignment.language`, else English. A language without a catalogue is English."""
    for candidate in (requested, os.environ.get(ENVIRONMENT), getattr(settings, 'language', None)):
        code = normalise(candidate)
        if code:
            return code if code in LANGUAGES else DEFAULT
    return DEFAULT


@functools.cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalogue of `lang` compiled in memory from its .po file (none for English).
    Fuzzy entries are left out: an unchecked translation shows the English text instead.
    The student kit ships it compiled (<lang>.mo, written by its build): read in milliseconds
    instead of half a second."""
    if lang == DEFAULT or lang not in LANGUAGES:
        return _gettext.NullTranslations()
    if (CATALOGUES / f'{lang}.mo').is_file():
        with open(CATALOGUES / f'{lang}.mo', 'rb') as handle:
            return _gettext.GNUTranslations(handle)
    from babel.messages.pofile import read_po
    with open(CATALOGUES / f'{lang}.po', 'rb') as handle:
        catalogue = read_po(handle, locale=lang)
    return _gettext.GNUTranslations(io.BytesIO(compiled_catalogue(catalogue)))


def compiled_catalogue(catalogue: Any) -> bytes:
    """A Babel catalogue as gettext's .mo bytes, fuzzy entries left out."""
    from babel.messages.mofile import write_mo
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    return compiled.getvalue()


def current() -> str:
    return _current.get()


@contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Speak `lang` (a code from LANGUAGES; anything else is English) inside the block."""
    token = _current.set(normalise(lang) if normalise(lang) in LANGUAGES else DEFAULT)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """The message in the current language."""
    return translations(_current.get()).gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for the catalogue where it is declared; translate it with _() where used."""
    return message


class _Lenient(string.Formatter):
    """Leaves a field it has no value for as it is, instead of raising."""

    def get_value(self, key, args, kwargs):
        if isinstance(key, str) and key not in kwargs:
            return '{' + key + '}'
        return super().get_value(key, args, kwargs)


def fill(template: str, params: Mapping[str, Any]) -> str:
    """`_(template).format(**params)` for values that come from elsewhere (the probe runner's
    codes and fields): a field it lacks stays visible rather than raising."""
    try:
        return _Lenient().format(_(template), **{str(k): v for k, v in params.items()})
    except (ValueError, IndexError, AttributeError):
        return template


def _join(items: list[str], style: str) -> str:
    items = [str(i) for i in items]
    if len(items) < 2:
        return items[0] if items else ''
    from babel.lists import format_list
    return format_list(items, style=style, locale=current())


def join_or(items: list[str]) -> str:
    """'a, b or c' in the current language (CLDR's list patterns, through Babel)."""
    return _join(items, 'or')


def join_and(items: list[str]) -> str:
    """'a, b and c' in the current language."""
    return _join(items, 'standard')


def percent(value: float, digits: int = 1) -> str:
    """A share as the current language writes it: 92.5% / 92,5%."""
    from babel.numbers import format_percent
    pattern = '#,##0' + ('.' + '0' * digits if digits else '') + '%'
    return format_percent(value, format=pattern, locale=current())


def number(value: int) -> str:
    """A count with the current language's grouping: 2,600 / 2.600."""
    from babel.numbers import format_decimal
    return format_decimal(value, locale=current())

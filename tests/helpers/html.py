"""Reading the HTML reports the way a person sees them."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

__all__ = ['soup', 'text', 'article']


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, 'html.parser')


def text(node) -> str:
    """The visible text, whitespace normalised (no space before punctuation)."""
    return re.sub(r' ([:;,.)])', r'\1', ' '.join(node.get_text(' ').split()))


def article(html: str, check_id: str):
    """The report's article of one check."""
    found = soup(html).find('article', attrs={'data-check': check_id})
    assert found is not None, check_id
    return found

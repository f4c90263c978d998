"""HTML articles dropped into the corpus, read with trafilatura (the same extractor as ``wayhome add``).

Takes: the page's text and its path in the corpus. Gives: a ``Source`` with the title, publisher, url, date and
author the page itself declares (unknown fields empty, never guessed) and the article body, one paragraph per
block separated by blank lines (the headline first, as the page shows it), without navigation, cookie banners,
share bars, bylines, related links or captions. A page with no article text — only navigation, only scripts,
or markup too deeply nested to parse — is an ``ArticleError`` naming the file.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.errors import ArticleError
from bot.ingest.extract import extract_html
from bot.ingest.fields import clean_field, normalise_date
from bot.models import Source

_HTML_TAG = re.compile(r"<html[\s>]", re.IGNORECASE)


def parse_html(text: str, path: Path) -> tuple[Source, str]:
    """Parse an HTML file into (Source, clean body text)."""
    if _HTML_TAG.search(text) is None:  # a bare fragment: trafilatura expects a whole document
        text = f"<html><body>{text}</body></html>"
    try:
        article = extract_html(text, None, fallback=False, keep_headline=True)
    except RecursionError:
        raise ArticleError(path, "HTML is nested too deeply to parse") from None
    if article is None:
        raise ArticleError(path, "article body is empty (no article text found in the page)")
    try:
        published = normalise_date(article.published, path)
    except ArticleError:
        published = ""
    source = Source(title=clean_field(article.title), publisher=clean_field(article.publisher),
                    url=clean_field(article.url), published=published, author=clean_field(article.author),
                    path=str(path))
    return source, article.body

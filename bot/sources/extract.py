"""Pull the article out of a news page fetched for ``wayhome add``: its body paragraphs and the metadata the
page states.

Takes: HTML text (and the page's URL if known). Gives: an ``ExtractedArticle`` (see ``bot.ingest.extract``: the
same trafilatura reader the corpus uses for ``.html`` files) with the title, author, date, publisher and URL the
page itself declares (unknown fields are ``""``, never guessed) and the body paragraphs. Raises
``SourceError(url, "no article text found")`` when there is too little text.
"""

from __future__ import annotations

from bot.ingest.extract import ExtractedArticle, extract_html

from .fetch import SourceError

MIN_BODY_CHARS = 200

__all__ = ["MIN_BODY_CHARS", "ExtractedArticle", "extract_article"]


def extract_article(html: str, url: str | None = None) -> ExtractedArticle:
    """Extract the article from ``html``; fewer than ``MIN_BODY_CHARS`` characters of body is "no article text
    found" (a menu, a consent wall, a teaser)."""
    article = extract_html(html, url)
    if article is None or sum(len(p) for p in article.paragraphs) < MIN_BODY_CHARS:
        raise SourceError(url or "page", "no article text found")
    return article

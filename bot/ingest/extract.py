"""Read a news page with trafilatura: the article's body paragraphs and the metadata the page itself states.

Takes: HTML text (and the page's URL if known). Gives: an ``ExtractedArticle`` with the title, author, date,
publisher and URL the page declares (unknown fields are ``""``, never guessed) and the body paragraphs as
trafilatura extracted them, or None when it finds no article text. Shared by the corpus reader for ``.html``
files (``html_page``) and by ``wayhome add`` (``bot.sources.add.extract_article``). trafilatura is imported on
first use.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# How trafilatura names a site when the page does not: the host of the URL (trafilatura.metadata.META_URL).
_HOST_AS_SITENAME = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")
# Markers of a publication date stated in the page's markup (meta tags, microdata, JSON-LD, <time>).
_DATE_MARKUP = re.compile(
    r"published_time|datepublished|datecreated|datemodified|pubdate|dc\.date|dcterms\.(?:created|date|issued)"
    r"|itemprop=[\"']?date|<time[^>]+datetime\s*=|name=[\"']?(?:date|publish[a-z_-]*)[\"'\s/>]",
    re.IGNORECASE)
_SITE_NAME_META = re.compile(r"<meta[^>]+(?:og:site_name|application-name)[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class ExtractedArticle:
    """An article's metadata and body paragraphs; ``published`` is ``YYYY-MM-DD`` or empty."""

    title: str
    author: str
    published: str
    publisher: str
    url: str
    paragraphs: tuple[str, ...]

    @property
    def body(self) -> str:
        """The paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)


def extract_html(html: str, url: str | None = None, *, fallback: bool = True,
                 keep_headline: bool = False) -> ExtractedArticle | None:
    """The article in ``html`` by trafilatura (precision mode, no comments, no tables), or None when it finds
    no text. ``fallback=False`` turns off trafilatura's second opinion (readability/jusText) for pages where its
    own extractor finds little: a page that is only navigation then has no article text. A first paragraph
    repeating the title (the page's <h1>) is dropped unless ``keep_headline``."""
    data = _run_trafilatura(html, url, fallback)
    if data is None:
        return None
    title = _one_line(data.get("title"))
    paragraphs = _paragraphs(data.get("text"), "" if keep_headline else title)
    if not paragraphs:
        return None
    page_url = _one_line(data.get("url")) or (url or "")
    return ExtractedArticle(
        title=title,
        author=_one_line(data.get("author")),
        published=_published(data.get("date"), html),
        publisher=_publisher(_one_line(data.get("sitename")), page_url, html),
        url=page_url,
        paragraphs=paragraphs,
    )


def _run_trafilatura(html: str, url: str | None, fallback: bool = True) -> dict[str, Any] | None:
    import trafilatura

    # extensive_search=False: htmldate otherwise falls back to dates found anywhere in the text, or to
    # January 1 of a "© 2023" footer year. max_date=today: no date in the future.
    date_params = {"extensive_search": False, "original_date": True, "max_date": dt.date.today().isoformat()}
    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True, fast=not fallback, date_extraction_params=date_params)
    except ValueError as exc:  # trafilatura raises it for pages it cannot parse
        log.info("trafilatura could not read %s: %s", url or "page", exc)
        return None
    if document is None:
        return None
    return document if isinstance(document, dict) else document.as_dict()


def _one_line(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _paragraphs(text: object, title: str) -> tuple[str, ...]:
    """Body lines trimmed, empty ones dropped; a first line repeating the title (the page's <h1>) is dropped."""
    lines = [line.strip() for line in text.splitlines()] if isinstance(text, str) else []
    paragraphs = [line for line in lines if line]
    if paragraphs and title and " ".join(paragraphs[0].split()).casefold() == title.casefold():
        paragraphs.pop(0)
    return tuple(paragraphs)


def _published(value: object, html: str) -> str:
    """The page's date as YYYY-MM-DD, or "" when it is malformed or is today's date with no date in the markup
    (a guard against any fallback to the current date)."""
    date = value.strip()[:10] if isinstance(value, str) else ""
    if not _ISO_DATE.match(date):
        return ""
    if date == dt.date.today().isoformat() and not _DATE_MARKUP.search(html):
        log.info("dropping date %s: today's date with no date in the page markup", date)
        return ""
    return date


def _publisher(sitename: str, page_url: str, html: str) -> str:
    """The site name the page states; "" when trafilatura only derived it from the URL's host name."""
    if not sitename:
        return ""
    host = _HOST_AS_SITENAME.match(page_url)
    if host and host.group(1).casefold() == sitename.casefold():
        declared = any(sitename.casefold() in tag.casefold() for tag in _SITE_NAME_META.findall(html))
        return sitename if declared else ""
    return sitename

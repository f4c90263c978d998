"""HTML articles: metadata from <title>/Open Graph/canonical/article:published_time, body from the article."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from .errors import ArticleError
from .ingest_markdown import normalise_date
from .models import Source

REMOVE = ["nav", "header", "footer", "aside", "script", "style", "noscript", "figure", "figcaption",
          "form", "iframe", "svg", "button", "template", "select", "menu"]
BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "th"]
_SPACE = re.compile(r"\s+")


def _meta(soup: BeautifulSoup, *keys: str) -> str:
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            tag = soup.find("meta", attrs={attr: key})
            if isinstance(tag, Tag) and tag.get("content"):
                return str(tag.get("content")).strip()
    return ""


def _canonical(soup: BeautifulSoup) -> str:
    link = soup.find("link", rel="canonical")
    if isinstance(link, Tag) and link.get("href"):
        return str(link.get("href")).strip()
    return _meta(soup, "og:url")


def _published(soup: BeautifulSoup, path: Path) -> str:
    raw = _meta(soup, "article:published_time", "datePublished", "date", "pubdate", "dc.date")
    if not raw:
        time = soup.find("time", attrs={"datetime": True})
        raw = str(time.get("datetime")) if isinstance(time, Tag) else ""
    if not raw:
        return ""
    try:
        return normalise_date(raw, path)
    except ArticleError:
        return ""


def _body_text(soup: BeautifulSoup) -> str:
    for name in REMOVE:
        for tag in soup.find_all(name):
            tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    paragraphs: list[str] = []
    for tag in root.find_all(BLOCKS):
        if tag.find(BLOCKS):
            continue
        text = _SPACE.sub(" ", tag.get_text(" ")).strip()
        if text:
            paragraphs.append(text)
    if not paragraphs:
        text = root.get_text("\n")
        paragraphs = [_SPACE.sub(" ", p).strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n\n".join(paragraphs)


def parse_html(text: str, path: Path) -> tuple[Source, str]:
    """Parse an HTML file into (Source, clean body text)."""
    try:
        soup = BeautifulSoup(text, "lxml")
        title_tag = soup.find("title")
        title = _meta(soup, "og:title") or (title_tag.get_text(" ").strip() if title_tag else "")
        source = Source(
            title=_SPACE.sub(" ", title),
            publisher=_meta(soup, "og:site_name", "publisher", "application-name"),
            url=_canonical(soup),
            published=_published(soup, path),
            author=_meta(soup, "author", "article:author", "byl"),
            path=str(path),
        )
        body = _body_text(soup)
    except RecursionError:
        raise ArticleError(path, "HTML is nested too deeply to parse") from None
    return source, body

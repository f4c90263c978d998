"""HTML articles: metadata from <title>/Open Graph/canonical/article:published_time, body from the article."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from bot.errors import ArticleError
from bot.ingest.fields import clean_field, normalise_date
from bot.models import Source

REMOVE = ["head", "nav", "header", "footer", "aside", "script", "style", "noscript", "figure", "figcaption",
          "form", "iframe", "svg", "button", "template", "select", "menu", "dialog", "object", "embed"]
# Elements that start a new paragraph of text; text directly inside a <div> counts as its own paragraph.
BLOCKS = ["address", "article", "blockquote", "br", "dd", "details", "div", "dl", "dt", "fieldset", "h1", "h2",
          "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table", "td", "th",
          "tr", "ul"]
_BLOCK_SET = frozenset(BLOCKS)
# Class or id words of page furniture inside an article: tag lists, share bars, bylines, related links.
_FURNITURE = re.compile(r"(?:^|[-_\s])(?:tags?|tag-list|share|sharing|social|related|read-more|newsletter|cookie|"
                        r"breadcrumbs?|byline|promo|advert|ads?|comments?|subscribe|signup|sign-up|author-bio|"
                        r"caption|credit|meta|reading-time|read-time|timestamp|dateline|pubdate|published)"
                        r"(?:$|[-_\s])", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_PARAGRAPH = re.compile(r"\n\s*\n")


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


def _root(soup: BeautifulSoup) -> Tag:
    """The element holding the article: the longest <article>, else <main>, else <body>."""
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda tag: len(tag.get_text()))
    found = soup.find("main") or soup.body
    return found if isinstance(found, Tag) else soup


def _paragraphs(root: Tag) -> list[str]:
    """Text of ``root`` split into paragraphs: consecutive strings with the same nearest block element form
    one paragraph; a ``<br>`` or a different block starts the next. One pass, no tree edits (linear even for
    markup nested 10,000 levels deep)."""
    block_of: dict[int, object] = {id(root): root}

    def nearest_block(tag: Tag) -> object:
        chain: list[Tag] = []
        node: Tag | None = tag
        while node is not None and id(node) not in block_of:
            if node.name in _BLOCK_SET:
                block_of[id(node)] = node
                break
            chain.append(node)
            node = node.parent
        found = block_of[id(node)] if node is not None else root
        block_of.update((id(n), found) for n in chain)
        return found

    in_links = {id(text) for link in root.find_all("a") for text in link.find_all(string=True)}
    paragraphs: list[list[str]] = []
    linked: list[bool] = []  # is every word of the paragraph link text (a tag list, a menu)?
    current: object = None
    for node in root.descendants:
        if isinstance(node, Tag):
            current = object() if node.name == "br" else current
        elif type(node) is NavigableString and node.parent is not None:
            block = nearest_block(node.parent)
            if block is not current:
                paragraphs.append([])
                linked.append(True)
                current = block
            paragraphs[-1].append(str(node))
            if str(node).strip() and id(node) not in in_links:
                linked[-1] = False
    texts = [(_SPACE.sub(" ", "".join(parts)).strip(), links) for parts, links in zip(paragraphs, linked, strict=True)]
    return [text for text, links in texts if text and not links]


def is_furniture(tag: Tag) -> bool:
    """An element whose class or id names page furniture (tags, share bar, byline, related links)."""
    if tag.name in ("html", "body", "article", "main") or tag.attrs is None:
        return False
    classes = tag.get("class")
    names = " ".join([*(classes if isinstance(classes, list) else [str(classes or "")]), str(tag.get("id") or "")])
    return bool(names.strip()) and bool(_FURNITURE.search(names))


def _body_text(soup: BeautifulSoup) -> str:
    """Clean text of the article: boilerplate removed, one paragraph per block element."""
    for tag in soup.find_all(REMOVE):
        if not tag.decomposed:
            tag.decompose()
    for tag in soup.find_all(is_furniture):
        if not tag.decomposed:
            tag.decompose()
    return "\n\n".join(_paragraphs(_root(soup)))


def parse_html(text: str, path: Path) -> tuple[Source, str]:
    """Parse an HTML file into (Source, clean body text)."""
    try:
        soup = BeautifulSoup(text, "lxml")
        title_tag = soup.find("title")
        title = _meta(soup, "og:title") or (title_tag.get_text(" ").strip() if title_tag else "")
        source = Source(
            title=clean_field(title),
            publisher=clean_field(_meta(soup, "og:site_name", "publisher", "application-name")),
            url=clean_field(_canonical(soup)),
            published=_published(soup, path),
            author=clean_field(_meta(soup, "author", "article:author", "byl")),
            path=str(path),
        )
        body = _body_text(soup)
    except RecursionError:
        raise ArticleError(path, "HTML is nested too deeply to parse") from None
    return source, body

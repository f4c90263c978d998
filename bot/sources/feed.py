"""Read the items of an RSS or Atom feed.

Takes: the feed's bytes and the URL they came from. Gives: a list of ``FeedItem`` (absolute article URL, title,
date as YYYY-MM-DD or ""), in feed order, without items that have no http(s) link or repeat one.
Raises ``SourceError(url, "not an RSS or Atom feed")`` for anything feedparser cannot read as a feed.
feedparser is imported only when a feed is read.
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from .fetch import SourceError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed."""

    url: str
    title: str
    published: str


def read_feed(data: bytes, url: str) -> list[FeedItem]:
    """Parse ``data`` (RSS 0.9x/1.0/2.0 or Atom) fetched from ``url``."""
    import feedparser

    # A file object, never the bytes themselves: feedparser tries a bytes/str argument as a file name first.
    # No response_headers: without a content type in them feedparser flags every feed as bozo. Relative links
    # are resolved against ``url`` below.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    entries: list[Any] = list(parsed.get("entries") or [])
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        log.info("not a feed: %s (%s)", url, parsed.get("bozo_exception"))
        raise SourceError(url, "not an RSS or Atom feed")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in entries:
        item = _item(entry, url)
        if item is not None and item.url not in seen:
            seen.add(item.url)
            items.append(item)
    return items


def _item(entry: Any, feed_url: str) -> FeedItem | None:
    link = str(entry.get("link") or "").strip()
    if not link:
        link = next((str(alt.get("href", "")) for alt in entry.get("links") or [] if alt.get("href")), "")
    link = urljoin(feed_url, link) if link else ""
    if urlsplit(link).scheme not in ("http", "https"):
        return None
    title = " ".join(str(entry.get("title") or "").split())
    return FeedItem(url=link, title=title, published=_date(entry))


def _date(entry: Any) -> str:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return time.strftime("%Y-%m-%d", value)
    return ""

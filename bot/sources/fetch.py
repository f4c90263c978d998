"""Fetch one web page or feed over HTTP(S), within bounds.

Takes: a URL and limits (timeout, size, redirects, User-Agent). Gives: a ``FetchedPage`` (the HTML decoded to
text) or a ``FetchedFeed`` (the raw bytes, left for the feed parser to decode). Every failure raises
``SourceError(url, reason)`` with a reason a user can act on ("HTTP 404", "timed out after 15 s", ...).
httpx is imported only when something is fetched.
"""

from __future__ import annotations

import codecs
import logging
import re
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..errors import WayhomeError

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "wayhome/0.1 (+https://github.com/wayhome; article fetcher)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                        "application/xml", "text/xml"})
_HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
_FEED_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


class SourceError(WayhomeError):
    """A page or feed that cannot be fetched or read; ``str()`` is ``"<url>: <reason>"``."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


@dataclass(frozen=True)
class FetchedPage:
    """An HTML page: the URL asked for, the URL after redirects, the HTTP status, the media type and the text."""

    url: str
    final_url: str
    status: int
    content_type: str
    text: str


@dataclass(frozen=True)
class FetchedFeed:
    """An RSS/Atom document as bytes (feedparser reads the XML encoding declaration itself)."""

    url: str
    final_url: str
    status: int
    content_type: str
    data: bytes


@dataclass(frozen=True)
class _Limits:
    timeout: float
    max_bytes: int
    max_redirects: int
    user_agent: str


@dataclass(frozen=True)
class _Body:
    final_url: str
    status: int
    content_type: str
    charset: str
    data: bytes


def fetch_page(url: str, *, timeout: float = 15.0, max_bytes: int = 5_000_000, max_redirects: int = 5,
               user_agent: str = DEFAULT_USER_AGENT) -> FetchedPage:
    """GET an HTML page and decode it (charset from the header, else the page's own declaration, else detected)."""
    limits = _Limits(timeout, max_bytes, max_redirects, user_agent)
    body = _fetch(url, HTML_TYPES, "not HTML", _HTML_ACCEPT, limits)
    return FetchedPage(url, body.final_url, body.status, body.content_type, decode_html(body.data, body.charset))


def fetch_feed(url: str, *, timeout: float = 15.0, max_bytes: int = 5_000_000, max_redirects: int = 5,
               user_agent: str = DEFAULT_USER_AGENT) -> FetchedFeed:
    """GET an RSS or Atom feed as bytes; the content type must be one of ``FEED_TYPES``."""
    limits = _Limits(timeout, max_bytes, max_redirects, user_agent)
    body = _fetch(url, FEED_TYPES, "not an RSS or Atom feed", _FEED_ACCEPT, limits)
    return FetchedFeed(url, body.final_url, body.status, body.content_type, body.data)


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:
        raise SourceError(url, "not a http(s) URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise SourceError(url, "not a http(s) URL")


def _fetch(url: str, accepted: Collection[str], refusal: str, accept: str, limits: _Limits) -> _Body:
    """One GET with redirects, the status and content type checked and the body read up to the size bound."""
    _check_url(url)
    import httpx

    headers = {"User-Agent": limits.user_agent, "Accept": accept}
    deadline = time.monotonic() + limits.timeout
    try:
        with httpx.Client(follow_redirects=True, max_redirects=limits.max_redirects, timeout=limits.timeout,
                          headers=headers) as client, client.stream("GET", url) as response:
            _check_response(url, response, accepted, refusal, limits)
            data = _read_bounded(url, response, limits, deadline)
            media = _media_type(response.headers.get("Content-Type"))
            return _Body(str(response.url), response.status_code, media, response.charset_encoding or "", data)
    except httpx.TooManyRedirects:
        raise SourceError(url, "too many redirects") from None
    except httpx.TimeoutException:
        raise SourceError(url, f"timed out after {limits.timeout:g} s") from None
    except httpx.ConnectError as exc:
        raise SourceError(url, f"cannot connect: {exc or type(exc).__name__}") from None
    except httpx.UnsupportedProtocol:
        raise SourceError(url, "redirected to a URL that is not http(s)") from None
    except httpx.InvalidURL:
        raise SourceError(url, "not a http(s) URL") from None
    except httpx.HTTPError as exc:
        raise SourceError(url, f"cannot read the response: {exc or type(exc).__name__}") from None


def _check_response(url: str, response: httpx.Response, accepted: Collection[str], refusal: str,
                    limits: _Limits) -> None:
    if not 200 <= response.status_code < 300:
        raise SourceError(url, f"HTTP {response.status_code}")
    media = _media_type(response.headers.get("Content-Type"))
    if media not in accepted:
        raise SourceError(url, f"{refusal} (content type {media or 'missing'})")
    declared = response.headers.get("Content-Length", "").strip()
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise SourceError(url, f"too large (over {_size(limits.max_bytes)})")


def _read_bounded(url: str, response: httpx.Response, limits: _Limits, deadline: float) -> bytes:
    """The (decompressed) body, stopping as soon as it passes ``max_bytes`` or the overall deadline."""
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > limits.max_bytes:
            log.info("stopped reading %s after %d bytes (limit %d)", url, total, limits.max_bytes)
            raise SourceError(url, f"too large (over {_size(limits.max_bytes)})")
        if time.monotonic() > deadline:
            raise SourceError(url, f"timed out after {limits.timeout:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def _size(limit: int) -> str:
    if limit >= 1_000_000:
        return f"{limit / 1_000_000:g} MB"
    if limit >= 1_000:
        return f"{limit / 1_000:g} kB"
    return f"{limit} bytes"


def _codec(name: str | bytes | None) -> str | None:
    """A Python codec for a declared charset, or None when unknown. Latin-1/ASCII labels mean windows-1252
    on the web (as browsers read them)."""
    if not name:
        return None
    label = name.decode("ascii", "ignore") if isinstance(name, bytes) else name
    try:
        codec = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _declared_in_page(data: bytes) -> str | None:
    """The charset a page declares about itself: ``<?xml encoding>``, ``<meta charset>`` or http-equiv."""
    head = data[:_SNIFF_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    codec = _codec(match.group(1)) if match else None
    # A page cannot declare UTF-16 in ASCII-compatible bytes; browsers read such a declaration as UTF-8.
    return "utf-8" if codec and codec.startswith("utf-16") else codec


def decode_html(data: bytes, header_charset: str = "") -> str:
    """Decode HTML bytes: a BOM, then the Content-Type charset, then the page's declaration, then UTF-8 if it
    is valid, then charset detection."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    declared = _codec(header_charset) or _declared_in_page(data)
    if declared:
        return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _detect(data)


def _detect(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer is a declared dependency
        return data.decode("cp1252", errors="replace")
    best = from_bytes(data).best()
    if best is None:
        return data.decode("utf-8", errors="replace")
    log.debug("detected charset %s", best.encoding)
    return str(best)

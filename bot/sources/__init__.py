"""Adding articles from the web: fetch a page or feed, extract the article, write it as a corpus file.

Takes: URLs (or HTML / feed bytes already at hand). Gives: ``FetchedPage``/``FetchedFeed``, ``ExtractedArticle``
(``bot.ingest.extract``'s), ``FeedItem`` lists and Markdown files with front matter. Failures raise ``SourceError``
(a ``WayhomeError``). Importing this package is cheap: httpx, trafilatura and feedparser load on first use.
``bot.sources.add`` (``wayhome add``, the bot's ``/add``) extracts each page's article, puts pages, feed items and
files into the corpus and refreshes the index; ``bot.sources.known`` tells what the corpus already holds.
"""

from __future__ import annotations

from bot.ingest.extract import ExtractedArticle

from .feed import FeedItem, read_feed
from .fetch import DEFAULT_USER_AGENT, FetchedFeed, FetchedPage, SourceError, decode_html, fetch_feed, fetch_page
from .writer import article_filename, body_fingerprint, to_markdown, write_new_file

__all__ = [
    "DEFAULT_USER_AGENT",
    "ExtractedArticle",
    "FeedItem",
    "FetchedFeed",
    "FetchedPage",
    "SourceError",
    "article_filename",
    "body_fingerprint",
    "decode_html",
    "fetch_feed",
    "fetch_page",
    "read_feed",
    "to_markdown",
    "write_new_file",
]

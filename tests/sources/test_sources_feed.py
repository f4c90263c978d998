"""read_feed on RSS and Atom served from 127.0.0.1, and on things that are not feeds."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from bot.sources import FeedItem, SourceError, fetch_feed, read_feed

RSS = """<?xml version="1.0" encoding="windows-1251"?>
<rss version="2.0"><channel><title>Example Post</title><link>https://post.example/</link>
<description>News</description>
<item><title>Жёны мобилизованных у стен Кремля</title><link>https://post.example/2024/02/05/carnations</link>
<pubDate>Mon, 05 Feb 2024 09:30:00 +0000</pubDate></item>
<item><title>No date, relative link</title><link>/2024/02/06/pickets</link></item>
<item><title>Duplicate</title><link>https://post.example/2024/02/05/carnations</link></item>
<item><title>No link at all</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Baltic Ledger</title><id>urn:ledger</id>
<updated>2024-02-19T06:00:00Z</updated>
<entry><title>A Kurgan mother's sixteen months of letters</title><id>urn:1</id>
<link rel="alternate" href="https://ledger.example/features/kurgan-mother"/>
<published>2024-02-19T06:00:00+02:00</published><updated>2024-02-20T06:00:00Z</updated></entry>
<entry><title>Updated only</title><id>urn:2</id><link href="https://ledger.example/b"/>
<updated>2024-02-21T10:00:00Z</updated></entry>
</feed>"""


def test_rss_feed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/rss.xml").respond_with_data(RSS.encode("cp1251"), content_type="application/rss+xml")
    feed = fetch_feed(httpserver.url_for("/rss.xml"))
    items = read_feed(feed.data, feed.final_url)
    assert items == [
        FeedItem("https://post.example/2024/02/05/carnations", "Жёны мобилизованных у стен Кремля", "2024-02-05"),
        FeedItem(httpserver.url_for("/2024/02/06/pickets"), "No date, relative link", ""),
    ]


def test_atom_feed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/atom").respond_with_data(ATOM, content_type="application/atom+xml")
    feed = fetch_feed(httpserver.url_for("/atom"))
    assert read_feed(feed.data, feed.final_url) == [
        FeedItem("https://ledger.example/features/kurgan-mother", "A Kurgan mother's sixteen months of letters",
                 "2024-02-19"),
        FeedItem("https://ledger.example/b", "Updated only", "2024-02-21"),
    ]


def test_empty_but_valid_feed_has_no_items() -> None:
    assert read_feed(b'<rss version="2.0"><channel><title>t</title></channel></rss>', "https://x.example/f") == []


@pytest.mark.parametrize("data", [b"<html><body><p>Not a feed</p></body></html>", b"", b"{\"json\": true}",
                                  b"/etc/hostname"])
def test_not_a_feed(data: bytes) -> None:
    with pytest.raises(SourceError, match=r"^https://x\.example/f: not an RSS or Atom feed$"):
        read_feed(data, "https://x.example/f")

"""fetch_page / fetch_feed against a local HTTP server (127.0.0.1 only): statuses, bounds, content types, charsets."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from bot.sources import DEFAULT_USER_AGENT, SourceError, decode_html, fetch_feed, fetch_page

RUSSIAN = "Жёны мобилизованных снова пришли к стенам Кремля с красными гвоздиками."
MB = 1_000_000


def test_fetches_html_and_sends_an_honest_user_agent(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a", headers={"User-Agent": DEFAULT_USER_AGENT}).respond_with_data(
        "<html><body><p>Hello — world</p></body></html>", content_type="text/html; charset=utf-8")
    page = fetch_page(httpserver.url_for("/a"))
    assert page.status == 200
    assert page.content_type == "text/html"
    assert "Hello — world" in page.text
    assert page.url == page.final_url == httpserver.url_for("/a")


def test_follows_a_redirect_and_reports_the_final_url(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_response(Response(status=301, headers={"Location": "/new"}))
    httpserver.expect_request("/new").respond_with_data("<p>moved</p>", content_type="application/xhtml+xml")
    page = fetch_page(httpserver.url_for("/old"))
    assert page.final_url == httpserver.url_for("/new")
    assert page.url == httpserver.url_for("/old")


def test_http_404(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/missing").respond_with_data("gone", status=404, content_type="text/html")
    url = httpserver.url_for("/missing")
    with pytest.raises(SourceError) as caught:
        fetch_page(url)
    assert str(caught.value) == f"{url}: HTTP 404"
    assert caught.value.reason == "HTTP 404"


def test_slow_page_times_out(httpserver: HTTPServer) -> None:
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(5)
        return Response("<p>late</p>", content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    try:
        with pytest.raises(SourceError, match=r"timed out after 0\.5 s$"):
            fetch_page(httpserver.url_for("/slow"), timeout=0.5)
    finally:
        release.set()
    assert time.monotonic() - started < 3


def test_a_page_that_trickles_in_is_cut_at_the_overall_timeout(httpserver: HTTPServer) -> None:
    stop = threading.Event()

    def trickle() -> Iterator[bytes]:
        for _ in range(40):  # one small chunk every 0.1 s: no single read waits long enough to time out
            if stop.wait(0.1):
                return
            yield b"<p>drip</p>\n"

    httpserver.expect_request("/drip").respond_with_handler(
        lambda request: Response(trickle(), content_type="text/html"))
    started = time.monotonic()
    try:
        with pytest.raises(SourceError, match=r"timed out after 0\.5 s$"):
            fetch_page(httpserver.url_for("/drip"), timeout=0.5)
    finally:
        stop.set()
    assert time.monotonic() - started < 2


class _Counter:
    """Serves ``total`` bytes of HTML in 64 kB chunks and counts how many were handed to the server."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.sent = 0
        self.done = threading.Event()

    def body(self) -> Iterator[bytes]:
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        try:
            while self.sent < self.total:
                self.sent += len(chunk)
                yield chunk
        finally:
            self.done.set()


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_20_mb_page_is_too_large_and_not_downloaded(httpserver: HTTPServer, declared: bool) -> None:
    counter = _Counter(20 * MB)
    headers = {"Content-Length": str(counter.total)} if declared else {}
    httpserver.expect_request("/big").respond_with_handler(
        lambda request: Response(counter.body(), content_type="text/html", headers=headers))
    with pytest.raises(SourceError, match=r"too large \(over 5 MB\)$"):
        fetch_page(httpserver.url_for("/big"))
    counter.done.wait(5)
    # The server never got to the end of the 20 MB: the client hung up after 5 MB (what the server handed over
    # beyond that sat in socket buffers; locally about 4 MB with Content-Length, 8 MB without).
    assert counter.sent < counter.total


def test_redirect_loop(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/loop").respond_with_response(Response(status=302, headers={"Location": "/loop"}))
    with pytest.raises(SourceError, match="too many redirects$"):
        fetch_page(httpserver.url_for("/loop"), max_redirects=3)


def test_redirect_to_another_scheme(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ftp").respond_with_response(
        Response(status=302, headers={"Location": "ftp://example.org/file.html"}))
    with pytest.raises(SourceError, match=r"redirected to a URL that is not http\(s\)$"):
        fetch_page(httpserver.url_for("/ftp"))


def test_pdf_is_not_html(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/doc.pdf").respond_with_data(b"%PDF-1.7\n", content_type="application/pdf")
    with pytest.raises(SourceError, match=r"not HTML \(content type application/pdf\)$"):
        fetch_page(httpserver.url_for("/doc.pdf"))


def test_windows_1251_page_with_charset_only_in_meta(httpserver: HTTPServer) -> None:
    html = f'<html><head><meta charset="windows-1251"><title>Т</title></head><body><p>{RUSSIAN}</p></body></html>'
    httpserver.expect_request("/ru").respond_with_data(html.encode("cp1251"), content_type="text/html")
    page = fetch_page(httpserver.url_for("/ru"))
    assert RUSSIAN in page.text


def test_http_equiv_charset_and_header_charset() -> None:
    html = f'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>{RUSSIAN}</p>'
    assert RUSSIAN in decode_html(html.encode("cp1251"))
    # The Content-Type header wins over the page's own declaration.
    assert RUSSIAN in decode_html(f'<meta charset="utf-8"><p>{RUSSIAN}</p>'.encode("koi8-r"), "koi8-r")
    assert decode_html("\ufeff<p>é</p>".encode()) == "<p>é</p>"


def test_undeclared_charset_is_detected() -> None:
    text = " ".join([RUSSIAN, "Они требуют вернуть мужей домой после года службы.",
                     "Власти пока не ответили на их письма и обращения."] * 3)
    assert "гвоздиками" in decode_html(f"<html><body><p>{text}</p></body></html>".encode("cp1251"))


def test_fetch_feed_accepts_feed_types_only(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/rss").respond_with_data(b"<rss version='2.0'/>", content_type="application/rss+xml")
    httpserver.expect_request("/page").respond_with_data(b"<p>page</p>", content_type="text/html")
    feed = fetch_feed(httpserver.url_for("/rss"))
    assert feed.data == b"<rss version='2.0'/>" and feed.content_type == "application/rss+xml"
    with pytest.raises(SourceError, match=r"not an RSS or Atom feed \(content type text/html\)$"):
        fetch_feed(httpserver.url_for("/page"))


@pytest.mark.parametrize("url", ["ftp://example.org/file", "file:///etc/passwd", "example.org/page", "http://"])
def test_not_a_http_url(url: str) -> None:
    with pytest.raises(SourceError, match=r"not a http\(s\) URL$"):
        fetch_page(url)


def test_cannot_connect() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SourceError, match="cannot connect: "):
        fetch_page(f"http://127.0.0.1:{port}/", timeout=2)

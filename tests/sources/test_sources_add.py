"""``add_articles`` against a local HTTP server: pages and feeds added, duplicates refused, failures that leave
corpus and index untouched, local files copied (fake encoder: fast)."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from bot.engine import Engine
from bot.errors import WayhomeError
from bot.index import store as index_store
from bot.index.build import build_index
from bot.ingest.corpus import read_article
from bot.render.labels import added_line
from bot.settings import Settings
from bot.sources.add import AddReport, add_articles
from bot.sources.known import SAME_TEXT, SAME_URL, canonical_url

IRKUTSK = ("In Irkutsk, a knitting circle of soldiers' wives that calls itself Warm Hands has sent more than four "
           "hundred scarves to the front since January, and every parcel carries a letter asking for the men to be "
           "rotated home.",
           "The circle meets on Tuesdays in a library reading room. Its founder, Galina Petrenko, says the women "
           "started knitting to keep busy and began writing letters when nobody in the regional administration "
           "would meet them.",
           "\u201cWe knit because our hands need work, and we write because our husbands need to come back,\u201d "
           "Petrenko said. The group has collected 1,200 signatures for a petition to the governor.")
OMSK = ("In Omsk, eleven mothers of mobilised men stood in silence for an hour outside the regional duma on "
        "Thursday, holding photographs of their sons and a banner that read \u201cEighteen months is enough\u201d.",
        "The vigil was organised through a local chat of about three hundred relatives. Police officers watched "
        "from a van but did not intervene, and a deputy came out after forty minutes to collect their letter.")
FURNITURE = ("Accept all", "We use cookies", "Subscribe", "By signing up", "Baikal ice festival", "Related",
             "All rights reserved", "Regions", "4 min read")


def news_page(title: str, paragraphs: tuple[str, ...], canonical: str = "", date: str = "2024-04-11",
              site: str = "Siberian Courier", charset: str = "utf-8") -> str:
    """A news page with navigation, cookie banner, byline, newsletter box, related links and footer."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs[:2])
    rest = "".join(f"<p>{p}</p>" for p in paragraphs[2:])
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}"><title>{title} | {site}</title>'
            f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">'
            f'<meta property="article:published_time" content="{date}T09:00:00+08:00">'
            f'<meta name="author" content="Daria Sokolova">{link}</head><body>'
            '<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>'
            '<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/regions">Regions</a></nav></header>'
            f'<main><article><h1>{title}</h1><p class="byline">By Daria Sokolova · 4 min read</p>{body}'
            '<div class="newsletter-box"><h3>Get our newsletter</h3><p>By signing up you agree to our terms.</p>'
            f'<form><input type="email"><button>Subscribe</button></form></div>{rest}</article>'
            '<aside class="related"><h3>Related</h3><ul><li><a href="/a">Baikal ice festival opens</a></li>'
            '<li><a href="/b">Bus fares rise in Angarsk</a></li></ul></aside></main>'
            '<footer>© 2024 Siberian Courier. All rights reserved. <a href="/privacy">Privacy</a></footer>'
            '</body></html>')


def feed(*items: tuple[str, str]) -> str:
    entries = "".join(f"<item><title>{title}</title><link>{link}</link>"
                      "<pubDate>Thu, 11 Apr 2024 09:00:00 +0800</pubDate></item>" for title, link in items)
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Siberian Courier</title>'
            f"<link>http://127.0.0.1/</link><description>News</description>{entries}</channel></rss>")


@pytest.fixture
def settings(fake_settings: Settings) -> Settings:
    """The bundled corpus (copied) indexed with the fake encoder."""
    build_index(fake_settings)
    return fake_settings


def snapshot(settings: Settings) -> tuple[dict[str, str], Path | None]:
    """Every corpus file's hash (hidden ones too) and the live index folder."""
    files = {str(p.relative_to(settings.corpus_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(settings.corpus_dir.rglob("*")) if p.is_file()}
    return files, index_store.current_dir(settings.index_dir)


def serve_page(httpserver: HTTPServer, path: str, html: str | bytes, content_type: str = "text/html") -> str:
    httpserver.expect_request(path).respond_with_data(html, content_type=content_type)
    return httpserver.url_for(path)


def test_a_news_page_is_added_without_its_furniture_and_the_index_refreshed(settings: Settings,
                                                                            httpserver: HTTPServer) -> None:
    url = serve_page(httpserver, "/irkutsk", news_page("Irkutsk wives knit scarves", IRKUTSK,
                                                        "https://courier.example/2024/04/11/irkutsk"))
    assert not Engine.open(settings).ask("Who is Galina Petrenko?").answered
    report = add_articles(settings, [url])
    assert report.ok and not report.duplicates and len(report.added) == 1
    added = report.added[0]
    assert added.file == settings.corpus_dir / "2024-04-11-irkutsk-wives-knit-scarves.md" and added.file.is_file()
    assert added_line(added) == f"{added.file}: Irkutsk wives knit scarves | Siberian Courier | 2024-04-11"
    article, _ = read_article(added.file, settings.corpus_dir)
    assert article.source.model_dump(exclude={"path"}) == {
        "title": "Irkutsk wives knit scarves", "publisher": "Siberian Courier", "published": "2024-04-11",
        "url": "https://courier.example/2024/04/11/irkutsk", "author": "Daria Sokolova", "forwarded_from": ""}
    assert article.body == "\n\n".join(IRKUTSK)
    assert not any(furniture in added.file.read_text() for furniture in FURNITURE)
    assert report.index is not None and report.index.articles == 3 and report.index.embedded == 1
    answer = Engine.open(settings).ask("Who is Galina Petrenko?")
    assert answer.answered and answer.results[0].source.path == added.file.name


def test_the_same_url_or_the_same_text_is_not_added_twice(settings: Settings, httpserver: HTTPServer) -> None:
    page = news_page("Irkutsk wives knit scarves", IRKUTSK, "https://www.courier.example/2024/04/11/irkutsk/")
    first = add_articles(settings, [serve_page(httpserver, "/a", page)])
    before = snapshot(settings)
    again = add_articles(settings, [serve_page(httpserver, "/b", page)])  # another URL, same canonical one
    assert again.ok and not again.added and again.index is None
    assert [(d.existing, d.why) for d in again.duplicates] == [(first.added[0].file, SAME_URL)]
    assert again.duplicates[0].line().startswith(f"already in the corpus: {first.added[0].file}")
    copied = serve_page(httpserver, "/c", news_page("A reprint", IRKUTSK))  # no canonical link, same text
    assert [(d.existing, d.why) for d in add_articles(settings, [copied]).duplicates] == [
        (first.added[0].file, SAME_TEXT)]
    dw = settings.corpus_dir / "dw-2023-12-09-russian-soldiers-wives-bring-them-home.md"
    known = add_articles(settings, ["https://p.dw.com/p/4ZxFJ/?utm_source=telegram#top"])  # not even fetched
    assert [(d.existing, d.why) for d in known.duplicates] == [(dw, SAME_URL)]
    assert snapshot(settings) == before


def test_canonical_urls_ignore_what_does_not_name_another_page() -> None:
    same = ["https://www.example.org/a/b/", "http://example.org/a/b", "https://example.org:443/a/b#x",
            "https://EXAMPLE.org/a/b?utm_source=x&fbclid=y"]
    assert len({canonical_url(u) for u in same}) == 1
    assert canonical_url("https://example.org/a/b?id=2") != canonical_url("https://example.org/a/b?id=3")
    assert canonical_url("ftp://example.org/a") == canonical_url("not a url") == ""


def _slow(request: Request) -> Response:
    time.sleep(2)
    return Response(news_page("Late", IRKUTSK), content_type="text/html")


FAILURES = {
    "404": (lambda s: s.expect_request("/gone").respond_with_data("no", status=404), "/gone", "HTTP 404"),
    "timeout": (lambda s: s.expect_request("/slow").respond_with_handler(_slow), "/slow", "timed out after 1 s"),
    "too large": (lambda s: s.expect_request("/big").respond_with_data(b"<p>" + b"x" * 20_000_000,
                                                                        content_type="text/html"),
                  "/big", "too large (over 5 MB)"),
    "redirect loop": (lambda s: s.expect_request("/loop").respond_with_response(
        Response(status=302, headers={"Location": "/loop"})), "/loop", "too many redirects"),
    "not html": (lambda s: s.expect_request("/doc.pdf").respond_with_data(b"%PDF-1.4", content_type="application/pdf"),
                 "/doc.pdf", "not HTML (content type application/pdf)"),
    "no article": (lambda s: s.expect_request("/menu").respond_with_data(
        "<html><body><nav><a href='/'>Home</a></nav><p>Short.</p></body></html>", content_type="text/html"),
        "/menu", "no article text found"),
}


@pytest.mark.parametrize("kind", list(FAILURES))
def test_a_failure_names_the_url_and_reason_and_leaves_corpus_and_index_untouched(
        settings: Settings, httpserver: HTTPServer, kind: str) -> None:
    setup, path, reason = FAILURES[kind]
    setup(httpserver)
    if kind == "timeout":  # (the test server answers one request at a time: others keep the default)
        settings = settings.model_copy(update={"fetch_timeout_s": 1.0})
    good = serve_page(httpserver, "/good", news_page("Irkutsk wives knit scarves", IRKUTSK))
    before = snapshot(settings)
    report = add_articles(settings, [good, httpserver.url_for(path)])  # all or nothing
    assert not report.ok and not report.added and report.index is None
    assert [(f.origin, f.reason) for f in report.failures] == [(httpserver.url_for(path), reason)]
    assert snapshot(settings) == before


def test_a_page_in_a_legacy_encoding_is_decoded_and_stored_as_utf8(settings: Settings,
                                                                   httpserver: HTTPServer) -> None:
    paragraphs = ("Жёны мобилизованных из Иркутска связали четыреста шарфов и отправили их на фронт вместе с "
                  "письмами о ротации.", "Основательница кружка Галина Петренко говорит, что женщины собрали "
                  "1200 подписей под обращением к губернатору.")
    html = news_page("Жёны из Иркутска вяжут шарфы", paragraphs, charset="windows-1251").encode("cp1251")
    url = serve_page(httpserver, "/ru", html, content_type="text/html")  # charset only in the page itself
    report = add_articles(settings, [url])
    assert report.ok and report.added[0].source.title == "Жёны из Иркутска вяжут шарфы"
    text = report.added[0].file.read_bytes().decode("utf-8")
    assert "Галина Петренко" in text and "\n\n".join(paragraphs) in text


def test_a_feed_dry_run_lists_the_new_items_then_the_real_run_adds_them(settings: Settings,
                                                                        httpserver: HTTPServer) -> None:
    irkutsk = serve_page(httpserver, "/irkutsk", news_page("Irkutsk wives knit scarves", IRKUTSK))
    add_articles(settings, [irkutsk])
    serve_page(httpserver, "/omsk", news_page("Omsk mothers hold a silent vigil", OMSK, date="2024-04-18"))
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    feed_url = serve_page(httpserver, "/feed.xml", feed(("Irkutsk", irkutsk), ("Omsk", "/omsk"), ("Gone", "/gone")),
                          content_type="application/rss+xml")
    before = snapshot(settings)
    dry = add_articles(settings, [], feed=feed_url, dry_run=True)
    assert dry.ok and dry.dry_run and dry.index is None and snapshot(settings) == before
    assert [a.file.name for a in dry.added] == ["2024-04-18-omsk-mothers-hold-a-silent-vigil.md"]
    assert [d.origin for d in dry.duplicates] == [irkutsk]
    assert [(f.origin, f.reason) for f in dry.skipped] == [(httpserver.url_for("/gone"), "HTTP 404")]
    real = add_articles(settings, [], feed=feed_url)
    assert real.ok and [a.file for a in real.added] == [a.file for a in dry.added] and real.added[0].file.is_file()
    assert real.index is not None and real.index.articles == 4
    assert Engine.open(settings).ask("Where did the mothers stand in silence holding photographs?").answered
    broken = serve_page(httpserver, "/broken.xml", "<html>not a feed</html>", content_type="application/xml")
    assert [(f.origin, f.reason) for f in add_articles(settings, [], feed=broken).failures] == [
        (broken, "not an RSS or Atom feed")]


def test_local_files_are_copied(settings: Settings, tmp_path: Path) -> None:
    md = tmp_path / "in" / "irkutsk.md"
    md.parent.mkdir()
    md.write_bytes(("---\ntitle: Irkutsk wives knit scarves\npublisher: Siberian Courier\n---\n\n"
                    + "\n\n".join(IRKUTSK) + "\n").encode())
    page = tmp_path / "in" / "omsk.html"
    page.write_text(news_page("Omsk mothers hold a silent vigil", OMSK, date="2024-04-18"))
    report = add_articles(settings, [str(md), str(page)])
    assert report.ok and [a.file.name for a in report.added] == ["irkutsk.md",
                                                                 "2024-04-18-omsk-mothers-hold-a-silent-vigil.md"]
    assert (settings.corpus_dir / "irkutsk.md").read_bytes() == md.read_bytes()  # verbatim
    assert "Accept all" not in report.added[1].file.read_text()
    assert [d.why for d in add_articles(settings, [str(md)]).duplicates] == [SAME_TEXT]


@pytest.mark.parametrize("name,content,reason", [
    ("bad.md", b"---\ntitle: [unclosed\n---\nBody.", "malformed YAML front matter"),
    ("latin.txt", "Caf\u00e9 text".encode("latin-1"), "is not valid UTF-8"),
    ("empty.md", b"---\ntitle: Empty\n---\n\n", "article body is empty"),
    ("notes.pdf", b"%PDF", "not an article file (.html, .md or .txt)"),
    ("missing.md", None, "no such file"),
])
def test_bad_local_files_are_refused_naming_the_path(settings: Settings, tmp_path: Path, name: str,
                                                     content: bytes | None, reason: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = snapshot(settings)
    report = add_articles(settings, [str(path)])
    assert [f.origin for f in report.failures] == [str(path)] and reason in report.failures[0].reason
    assert snapshot(settings) == before


def test_when_the_index_cannot_be_refreshed_the_new_file_is_removed_again(settings: Settings,
                                                                         tmp_path: Path) -> None:
    (settings.corpus_dir / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody.")  # makes builds fail
    before = snapshot(settings)
    md = tmp_path / "irkutsk.md"
    md.write_text("\n\n".join(IRKUTSK))
    with pytest.raises(WayhomeError, match="cannot refresh the index, so nothing was added: broken.md"):
        add_articles(settings, [str(md)])
    assert snapshot(settings) == before


def test_an_empty_report_is_ok() -> None:
    assert AddReport().ok and not AddReport().added

"""``wayhome add``'s extract_article: the body kept verbatim, page furniture dropped, metadata only when the page states it."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_httpserver import HTTPServer

from bot.sources import SourceError, fetch_page
from bot.sources.add import extract_article

PARAGRAPHS = (
    "Every Saturday a small group of women walks through the Alexander Garden in Moscow to lay red carnations "
    "at the Tomb of the Unknown Soldier.",
    "They are wives and mothers of men mobilised in the autumn of 2022, and most of them belong to the movement "
    "known in English as The Way Home.",
    "\u201cA white scarf is not a slogan, so nobody can call it a protest,\u201d said Natalia Kuznetsova, a "
    "coordinator of the Moscow group.",
    "On February 3, police detained at least 27 journalists who had come to film the flower-laying ceremony.",
)
FURNITURE = ("COOKIE-BANNER", "NAV-LINK", "NEWSLETTER-BOX", "RELATED-LINK", "FOOTER-TEXT", "SHARE-BUTTON")

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Soldiers' wives bring carnations to the Kremlin wall | Example Post</title>
<meta property="og:title" content="Soldiers' wives bring carnations to the Kremlin wall">
<meta property="og:site_name" content="Example Post">
<meta property="article:published_time" content="2024-02-05T09:30:00+00:00">
<meta name="author" content="Anna Petrova">
<link rel="canonical" href="https://post.example/2024/02/05/carnations">
<script>var tracker = "SCRIPT-TEXT";</script>
</head><body>
<div id="cookie-banner" class="cookie-banner" role="dialog"><p>COOKIE-BANNER We use cookies to personalise
 content and ads and to analyse our traffic.</p><button>Accept all</button></div>
<header><a href="/">Example Post</a><nav><ul><li><a href="/world">NAV-LINK World</a></li>
<li><a href="/russia">NAV-LINK Russia</a></li><li><a href="/login">NAV-LINK Sign in</a></li></ul></nav></header>
<main><article>
<h1>Soldiers' wives bring carnations to the Kremlin wall</h1>
<p class="byline">By <a href="/authors/anna-petrova">Anna Petrova</a></p>
<div class="share"><a href="/share?to=x">SHARE-BUTTON X</a> <a href="/share?to=tg">SHARE-BUTTON Telegram</a></div>
<p>{}</p>
<p>{}</p>
<figure><img src="a.jpg" alt=""><figcaption>Women at the wall. Photo: Example Post</figcaption></figure>
<p>{}</p>
<p>{}</p>
<aside class="related"><h3>Related</h3><ul><li><a href="/r1">RELATED-LINK Winter sales start in Moscow</a></li>
<li><a href="/r2">RELATED-LINK Rouble slips again as oil revenues fall</a></li></ul></aside>
</article>
<section class="newsletter-signup"><h3>The Eastern Brief</h3><p>NEWSLETTER-BOX Our correspondents' best reporting
 from Russia, in your inbox every Thursday.</p><form><input type="email" name="email"><button>Sign up</button></form>
</section></main>
<footer><nav><a href="/about">About us</a> <a href="/privacy">Privacy</a></nav>
<p>FOOTER-TEXT \u00a9 2024 Example Post. All rights reserved.</p></footer>
</body></html>""".format(*PARAGRAPHS)

BODY = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)


def _page(head: str = "", footer: str = "", body: str = BODY) -> str:
    return f"<html><head><title>A plain page</title>{head}</head><body><article>{body}</article>{footer}</body></html>"


def test_news_page_served_over_http(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/news").respond_with_data(NEWS_PAGE, content_type="text/html; charset=utf-8")
    page = fetch_page(httpserver.url_for("/news"))
    article = extract_article(page.text, page.final_url)
    assert article.paragraphs == PARAGRAPHS
    for marker in (*FURNITURE, "SCRIPT-TEXT"):
        assert marker not in article.body
    assert article.title == "Soldiers' wives bring carnations to the Kremlin wall"
    assert article.author == "Anna Petrova"
    assert article.published == "2024-02-05"
    assert article.publisher == "Example Post"
    assert article.url == "https://post.example/2024/02/05/carnations"


def test_unknown_fields_stay_empty_and_nothing_is_guessed() -> None:
    # A footer year and dates in the text are not a publication date; the host is not a site name.
    text = "<p>On January 13, 2024 the women met again at the wall and stood there for an hour in the cold.</p>"
    html = _page(footer="<footer>\u00a9 2023 Somebody Media</footer>", body=BODY + text)
    article = extract_article(html, "https://news.example.org/some/story")
    assert article.published == ""
    assert article.publisher == ""
    assert article.author == ""
    assert article.url == "https://news.example.org/some/story"
    assert article.paragraphs[:4] == PARAGRAPHS
    assert extract_article(html).url == ""


def test_site_name_equal_to_the_host_is_kept_when_the_page_declares_it() -> None:
    html = _page(head='<meta property="og:site_name" content="news.example.org">')
    assert extract_article(html, "https://news.example.org/a").publisher == "news.example.org"


def test_todays_date_without_date_markup_is_dropped() -> None:
    today = dt.date.today().isoformat()
    loose = _page(body=BODY + f"<p>Posted {today} by the desk.</p>")
    assert extract_article(loose, "https://x.example/a").published == ""
    stated = _page(head=f'<meta property="article:published_time" content="{today}T08:00:00+00:00">')
    assert extract_article(stated, "https://x.example/a").published == today


def test_a_future_date_is_not_taken() -> None:
    html = _page(head='<meta property="article:published_time" content="2999-01-01T00:00:00+00:00">')
    assert extract_article(html).published == ""


def test_too_little_text_is_refused() -> None:
    with pytest.raises(SourceError, match=r"^https://x\.example/a: no article text found$"):
        extract_article(_page(body="<p>Just a line.</p>"), "https://x.example/a")
    with pytest.raises(SourceError, match=r"^page: no article text found$"):
        extract_article("")

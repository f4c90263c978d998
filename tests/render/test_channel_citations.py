"""Citations of Telegram channel posts: channel (Telegram), date in the reader's language, link; a forwarded
post says whose words they are — in the terminal and in Telegram HTML."""

from __future__ import annotations

import pytest
from telegram_html_validator import problems, visible_text

from bot.models import Source
from bot.render import telegram_html, terminal
from bot.render.labels import is_channel_post

POST = Source(title="Акция 7 ноября", publisher="Путь домой", published="2023-12-05",
              url="https://t.me/putdomoy_demo/77", path="telegram/putdomoy_demo/77.md")


@pytest.mark.parametrize(("lang", "expected"), [
    ("ru", "[1] Путь домой (Telegram), 5 декабря 2023 г. — https://t.me/putdomoy_demo/77"),
    ("en", "[1] Путь домой (Telegram), 2023-12-05 — https://t.me/putdomoy_demo/77"),
])
def test_a_post_is_cited_by_channel_date_and_link(lang: str, expected: str) -> None:
    assert terminal.citation(1, POST, lang).replace("\u202f", " ") == expected
    html = telegram_html.citation(1, POST, lang)
    assert not problems(html)
    assert visible_text(html).replace("\u202f", " ") == expected
    assert '<a href="https://t.me/putdomoy_demo/77">' in html


def test_a_forwarded_post_names_whose_words_they_are() -> None:
    forwarded = POST.model_copy(update={"forwarded_from": "Совет <матерей> & жён"})
    assert terminal.citation(2, forwarded, "en") == ("[2] Путь домой (Telegram), 2023-12-05, forwarded from "
                                                     "Совет <матерей> & жён — https://t.me/putdomoy_demo/77")
    html = telegram_html.citation(2, forwarded, "ru")
    assert not problems(html) and "переслано от: Совет &lt;матерей&gt; &amp; жён" in html


@pytest.mark.parametrize("url", ["https://t.me/s/putdomoy_demo", "https://t.me/putdomoy_demo",
                                 "https://example.org/putdomoy_demo/77", "https://t.me/c/123/4x"])
def test_other_links_are_cited_as_articles(url: str) -> None:
    article = POST.model_copy(update={"url": url})
    assert not is_channel_post(article)
    assert terminal.citation(1, article, "en").startswith("[1] Акция 7 ноября — Путь домой, 2023-12-05")

"""Sharing and links, offline: deep-link payloads (Russian questions fit), inline mode's own limit and its hint,
the "open in the bot" button under inline results, the "Share this answer" button, authors in citations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from telegram_harness import inline_session, offline_engine

from bot import messages
from bot.engine import Engine
from bot.models import Source
from bot.render.telegram_html import citation
from bot.telegram.deeplinks import ask_link, group_link, payload_question, question_payload
from bot.telegram.keyboards import answer_keyboard

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
RU = messages.get("ru")
PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@pytest.mark.parametrize("question", ["Who is Maria Andreyeva?", "Кто такая Мария Андреева?",
                                      "Как власти отреагировали на протесты?", "«Путь домой» — что это?",
                                      "Kto takaya Mariya Andreeva", "What about 😀 and ё?"])
def test_questions_travel_in_deep_links_and_come_back_unchanged(question: str) -> None:
    payload = question_payload(question)
    assert payload is not None and PAYLOAD.match(payload), payload
    assert payload_question(payload) == question
    link = ask_link("WayhomeBot", question)
    assert link == f"https://t.me/WayhomeBot?start={payload}"


def test_a_russian_question_of_46_letters_fits_and_older_links_still_work() -> None:
    assert question_payload("Что требуют жёны мобилизованных от Минобороны?") is not None  # 46 characters
    assert question_payload("Что требуют жёны мобилизованных от Министерства обороны и президента?") is None
    assert ask_link("WayhomeBot", "x" * 100) is None
    assert payload_question("Who_is_Maria_Andreyeva") == "Who is Maria Andreyeva"
    assert payload_question("q-!!!") == "q-!!!"  # not base64: taken as it is
    assert group_link("WayhomeBot") == "https://t.me/WayhomeBot?startgroup=group"


def test_citations_name_the_author_when_the_article_does() -> None:
    dw = Source(title="Wives", publisher="DW", url="https://p.dw.com/p/1", published="2023-12-09",
                author="Alexey Strelnikov")
    assert citation(1, dw).endswith("</a> — Alexey Strelnikov, DW, 2023-12-09")
    assert citation(2, dw, "ru").endswith("</a> — Alexey Strelnikov, DW, 9 декабря 2023\u202fг.")
    assert citation(3, Source(title="Wives", publisher="DW")).endswith("Wives — DW, date unknown")
    assert citation(4, Source(author="A <b>")) == "[4] Untitled article, A &lt;b&gt;, publisher unknown, date unknown"


@pytest.mark.parametrize(("lang", "label"), [("en", messages.SHARE_BUTTON), ("ru", RU.SHARE_BUTTON)])
def test_the_share_button_opens_inline_mode_on_the_question_in_a_chosen_chat(lang: str, label: str) -> None:
    markup = answer_keyboard("abc", more=False, votes=True, lang=lang, share="Кто такая Мария Андреева?")
    assert markup is not None
    share = markup.inline_keyboard[-1][0]
    assert share.text == label and share.switch_inline_query_chosen_chat is not None
    chosen = share.switch_inline_query_chosen_chat
    assert chosen.query == "Кто такая Мария Андреева?"
    assert chosen.allow_user_chats and chosen.allow_group_chats and chosen.allow_channel_chats
    assert answer_keyboard("abc", more=True, votes=False, lang=lang, share="q") is not None
    no_votes = answer_keyboard("abc", more=True, votes=False, lang=lang, share="q")
    assert no_votes is not None and len(no_votes.inline_keyboard) == 1  # only on the answer's first message


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return offline_engine(tmp_path_factory.mktemp("tg-share"), inline_rate_limit=3)


@pytest.mark.parametrize(("code", "words"), [(None, messages.get("en")), ("ru", RU)])
def test_inline_mode_has_its_own_limit_and_says_when_to_go_on(engine: Engine, tmp_path: Path, code: str | None,
                                                              words: messages.Texts) -> None:
    typed = ["Ma", "Mari", "Maria", "Maria A", "Maria Andreyeva"]  # keystrokes: 3 allowed per 30 s here
    answered, svc = inline_session(engine, tmp_path / "s.sqlite3", typed, code, questions_per_minute=2)
    assert len(answered) == len(typed)
    for allowed in answered[:3]:  # within the limit: searched (no "wait" button)
        assert allowed["button"] is None or not re.search(r"\d", allowed["button"].text)
    for over in answered[3:]:
        assert over["results"] == [] and over["cache_time"] == 0
        text = over["button"].text
        seconds = int(re.findall(r"\d+", text)[0])
        assert text == words.inline_wait(seconds) and 1 <= seconds <= 30 and len(text) <= 64
    assert svc.limiter.check(42).allowed, "inline queries spent the questions' budget"
    results = [r for a in answered[:3] for r in a["results"]]
    assert results, "precondition: the first queries found passages"
    for result in results:
        button = result.reply_markup.inline_keyboard[0][0]
        assert button.text == words.OPEN_IN_BOT
        payload = button.url.split("?start=")[1]
        assert payload_question(payload) in typed[:3]

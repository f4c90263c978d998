"""End-to-end in Russian: the real ``wayhome bot`` against the emulator, for users whose Telegram client is in
Russian (``from.language_code`` "ru") or who simply ask in Russian.

The bot process uses the fake encoder, so the Russian question names someone in the bundled articles
(«Кто такая Olga Tsukanova?»): the keyword side finds her, and the quoted English passage comes with Russian
citation labels. Every reply must be valid Telegram HTML.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram_harness import fake_world, inline_buttons, wait_for
from telegram_html_validator import problems, visible_text

from bot import messages
from bot.render.telegram_html import render_reply

ROOT = Path(__file__).resolve().parents[2]
RU = messages.get("ru")
RUSSIAN = {"language_code": "ru"}
NAME_QUESTION = "Кто такая Olga Tsukanova?"
OFF_TOPIC = "Как испечь пирог?"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Emulator + one running bot + an in-process twin of its conversation core."""
    with fake_world(tmp_path_factory.mktemp("tgru"), ROOT / "corpus") as world:
        yield world


def assert_valid(message: dict[str, Any]) -> None:
    assert message["parse_mode"] == "HTML"
    assert problems(message["text"]) == [], message["text"]


buttons = inline_buttons


def test_start_help_and_sources_in_russian_with_russian_example_buttons(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    start = emulator.ask(token, 3001, "/start", **RUSSIAN)
    assert_valid(start)
    shown = visible_text(start["text"])
    stats = world["twin"].engine.stats()
    assert shown == "\n".join([RU.START_INTRO, RU.corpus_line(stats.articles, stats.first_date, stats.last_date),
                               RU.START_TAP])
    assert [b["text"] for b in buttons(start)][:-1] == list(RU.EXAMPLES)
    assert "Сколько подписчиков у канала «Путь домой»?" in RU.EXAMPLES
    help_reply = emulator.ask(token, 3001, "/help", **RUSSIAN)
    assert_valid(help_reply)
    assert visible_text(help_reply["text"]) == "\n\n".join(RU.HELP_LINES)
    from_inline_hint = emulator.ask(token, 3001, "/start help", **RUSSIAN)  # the inline hint button's deep link
    assert visible_text(from_inline_hint["text"]) == "\n\n".join(RU.HELP_LINES)
    sources = emulator.ask(token, 3001, "/sources", **RUSSIAN)
    assert_valid(sources)
    assert "Статья без названия, The News God, дата не указана" in visible_text(sources["text"])
    assert "DW, 9 декабря 2023\u202fг." in visible_text(sources["text"])


def test_an_example_button_asks_the_russian_example(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    start = emulator.ask(token, 3002, "/start", **RUSSIAN)
    emulator.press(token, 3002, start["message_id"], buttons(start)[1]["callback_data"], language_code="ru")
    reply = emulator.wait_reply(token, 3002, start["message_id"])
    assert_valid(reply)
    assert reply["text"] == render_reply(world["twin"].ask("twin-example", RU.EXAMPLES[1], "ru"), 1000)[0]


def test_a_russian_question_gets_quoted_passages_with_russian_labels(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    reply = emulator.ask(token, 3003, NAME_QUESTION, **RUSSIAN)
    assert_valid(reply)
    shown = visible_text(reply["text"])
    assert "<blockquote" in reply["text"] and "Olga Tsukanova" in shown
    assert "[1] Russian soldiers' wives: 'Bring them home' — Alexey Strelnikov, DW, 9 декабря 2023\u202fг." in shown
    assert reply["text"] == render_reply(world["twin"].ask("twin-name", NAME_QUESTION, "ru"), 1000)[0]
    labels = [b["text"] for b in buttons(reply)]
    assert "👍" in labels and "👎" in labels and "More passages" not in labels


def test_an_off_topic_russian_question_gets_the_russian_refusal(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    for chat, fields in ((3004, RUSSIAN), (3005, {})):  # a Russian client, and a client that does not say
        reply = emulator.ask(token, chat, OFF_TOPIC, **fields)
        assert_valid(reply)
        assert visible_text(reply["text"]) == RU.NOT_FOUND
        assert [b["text"] for b in buttons(reply)] == list(RU.EXAMPLES)  # the refusal offers the examples


def test_russian_client_gets_russian_notices_even_for_english_text(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    assert visible_text(emulator.ask(token, 3006, "/frobnicate", **RUSSIAN)["text"]) == RU.UNKNOWN_COMMAND
    assert visible_text(emulator.ask(token, 3006, "/more", **RUSSIAN)["text"]) == RU.NO_MORE
    refusal = emulator.ask(token, 3006, "How do I bake a pie?", **RUSSIAN)
    assert visible_text(refusal["text"]) == RU.NOT_FOUND
    sent = emulator.send(token, 3006, None, kind="sticker", **RUSSIAN)
    assert visible_text(emulator.wait_reply(token, 3006, sent["message_id"])["text"]) == RU.NOT_TEXT


def test_more_button_and_votes_in_russian(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    question = "Что требуют жёны и матери? wives mothers mobilized soldiers demand"
    assert world["twin"].engine.ask(question).more, "precondition: the corpus has more passages for this"
    reply = emulator.ask(token, 3007, question, **RUSSIAN)
    more = next(b for b in buttons(reply) if b["text"].startswith(RU.MORE_BUTTON))
    up = next(b for b in buttons(reply) if b["text"] == "👍")
    emulator.press(token, 3007, reply["message_id"], up["callback_data"], language_code="ru")
    wait_for(lambda: any(a.get("text") == RU.THANKS for a in emulator.listed("callback_answers", token)), 10,
             "the vote to be acknowledged in Russian")
    emulator.press(token, 3007, reply["message_id"], more["callback_data"], language_code="ru")
    page = emulator.wait_reply(token, 3007, reply["message_id"])
    assert_valid(page)
    assert "<blockquote" in page["text"]


def test_inline_results_for_a_russian_client_have_russian_labels(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    query_id = emulator.inline(token, 3008, "Olga Tsukanova", language_code="ru")
    answers = wait_for(lambda: [a for a in emulator.listed("inline_answers", token)
                                if a["inline_query_id"] == query_id], 15, "the inline answer")
    results = answers[0]["results"]
    assert results
    for result in results:
        html = result["input_message_content"]["message_text"]
        assert problems(html) == []
        assert "9 декабря 2023" in result["description"] or "The News God" in result["description"]


def test_descriptions_and_command_menus_are_registered_per_scope_in_english_and_russian(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    calls = wait_for(lambda: len(emulator.calls(token, "setMyCommands")) >= 4 and emulator.calls(token, "setMyCommands"),
                     10, "the command menus")
    menus = {(c["params"]["scope"]["type"], c["params"].get("language_code")): c["params"]["commands"] for c in calls}
    assert set(menus) == {(scope, lang) for scope in ("all_private_chats", "all_group_chats") for lang in (None, "ru")}
    assert [c["description"] for c in menus[("all_private_chats", "ru")]] == [d for _, d in RU.COMMANDS]
    assert [c["description"] for c in menus[("all_private_chats", None)]] == [d for _, d in messages.COMMANDS]
    assert [c["description"] for c in menus[("all_group_chats", "ru")]] == [d for _, d in RU.GROUP_COMMANDS]
    for method, field, name in (("setMyDescription", "description", "DESCRIPTION"),
                                ("setMyShortDescription", "short_description", "SHORT_DESCRIPTION")):
        said = {c["params"].get("language_code"): c["params"][field] for c in emulator.calls(token, method)}
        assert said == {None: getattr(messages, name), "ru": getattr(RU, name)}
    assert "Put' Domoi" not in RU.DESCRIPTION and len(RU.SHORT_DESCRIPTION) <= 120 >= len(messages.SHORT_DESCRIPTION)


def test_language_choice_is_remembered_per_user_and_wins_over_the_app_language(world: dict[str, Any]) -> None:
    emulator, token, bot = world["emulator"], world["token"], world["bot"]
    chat = 3101  # an English app
    prompt = emulator.ask(token, chat, "/language")
    assert visible_text(prompt["text"]) == messages.LANGUAGE_PROMPT
    assert [b["text"] for b in buttons(prompt)] == ["English", "Русский", messages.LANGUAGE_AUTO + " ✓"]
    emulator.press(token, chat, prompt["message_id"], buttons(prompt)[1]["callback_data"])
    wait_for(lambda: visible_text(emulator.history(token, chat)[0]["text"]) == RU.LANGUAGE_SET, 10, "the edit")
    assert any(a.get("text") == RU.LANGUAGE_SET for a in emulator.listed("callback_answers", token))
    assert visible_text(emulator.ask(token, chat, "/help")["text"]) == "\n\n".join(RU.HELP_LINES)
    question = "Who is Olga Tsukanova?"
    assert emulator.ask(token, chat, question)["text"] == render_reply(world["twin"].ask("t", question, "ru"), 1000)[0]
    state = bot.data_dir / "wayhome.sqlite3"
    with contextlib.closing(sqlite3.connect(state)) as conn:
        rows = conn.execute("SELECT user_hash, lang FROM user_languages").fetchall()
    assert [lang for _, lang in rows] == ["ru"] and str(chat) not in rows[0][0]  # a keyed hash, never the id
    again = emulator.ask(token, chat, "/language")
    assert visible_text(again["text"]) == RU.LANGUAGE_PROMPT
    assert [b["text"] for b in buttons(again)] == ["English", "Русский ✓", RU.LANGUAGE_AUTO]
    emulator.press(token, chat, again["message_id"], buttons(again)[2]["callback_data"])  # back to the app's
    wait_for(lambda: any(visible_text(m["text"]) == messages.LANGUAGE_AUTO_SET for m in emulator.history(token, chat)),
             10, "the edit")
    assert visible_text(emulator.ask(token, chat, "/help")["text"]) == "\n\n".join(messages.HELP_LINES)
    russian_app = 3102  # and the other way round
    prompt = emulator.ask(token, russian_app, "/language", **RUSSIAN)
    emulator.press(token, russian_app, prompt["message_id"], buttons(prompt)[0]["callback_data"], language_code="ru")
    wait_for(lambda: any(visible_text(m["text"]) == messages.LANGUAGE_SET
                         for m in emulator.history(token, russian_app)), 10, "the edit")
    assert visible_text(emulator.ask(token, russian_app, "/more", **RUSSIAN)["text"]) == messages.NO_MORE


def test_the_rate_limit_notice_is_gentle_and_its_seconds_take_the_russian_plural(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    chat = 3201
    for _ in range(10):  # over the 8 questions per 30 s
        emulator.send(token, chat, NAME_QUESTION, **RUSSIAN)
    notice = re.compile(r"^Мне нужно немного времени перед следующим вопросом\. Пожалуйста, спросите ещё раз через "
                        r"(\d+) (секунду|секунды|секунд)\.$")
    found = wait_for(lambda: [m for m in (notice.match(visible_text(h["text"])) for h in emulator.history(token, chat))
                              if m], 20, "the Russian slow-down notice")
    assert len(found) == 1 and visible_text(RU.rate_limited(int(found[0][1]))) == found[0][0]

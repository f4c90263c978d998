"""End-to-end, sharing and links: the real ``wayhome bot`` against the emulator, in English and Russian.

Deep links carry questions base64url-encoded (Russian ones too); /start offers "Add me to a group" (a
startgroup link) and the bot, added that way, greets once; every answer offers "Share this answer" (inline
mode in a chosen chat), kept after a vote; inline results carry a button that opens the bot on the question;
citations name the author.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram_harness import BOT_USERNAME, expected_reply, fake_world, inline_buttons, wait_for
from telegram_html_validator import visible_text

from bot import messages
from bot.telegram.deeplinks import payload_question, question_payload

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RU = messages.get("ru")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with fake_world(tmp_path_factory.mktemp("tgshare"), ROOT / "corpus") as world:
        yield world


expected = expected_reply
buttons = inline_buttons


@pytest.mark.parametrize(("chat", "question", "lang"), [(7001, "Кто такая Olga Tsukanova?", "ru"),
                                                        (7002, "Who is Olga Tsukanova?", None)])
def test_a_deep_link_asks_its_question_in_any_language(world: dict[str, Any], chat: int, question: str,
                                                       lang: str | None) -> None:
    emulator, token = world["emulator"], world["token"]
    payload = question_payload(question)
    assert payload is not None and payload.startswith("r-" if lang else "q-")
    reply = emulator.ask(token, chat, f"/start {payload}")
    assert reply["text"] == expected(world, question)
    assert "Alexey Strelnikov, DW" in visible_text(reply["text"])  # the DW article names its author


@pytest.mark.parametrize(("chat", "lang"), [(7003, None), (7004, "ru")])
def test_start_offers_a_startgroup_link_and_joining_by_it_greets_once(world: dict[str, Any], chat: int,
                                                                      lang: str | None) -> None:
    emulator, token = world["emulator"], world["token"]
    words = messages.get(lang)
    kw: dict[str, Any] = {"language_code": lang} if lang else {}
    start = emulator.ask(token, chat, "/start", **kw)
    add = buttons(start)[-1]
    assert add["text"] == words.ADD_TO_GROUP and add["url"] == f"https://t.me/{BOT_USERNAME}?startgroup=group"
    assert [b["text"] for b in buttons(start)[:-1]] == list(words.EXAMPLES)
    group = -chat
    emulator.member(token, group, chat, **kw)  # Telegram adds the bot, then sends /start group in the group
    emulator.send(token, group, f"/start@{BOT_USERNAME} group", chat_type="supergroup", user_id=chat, **kw)
    wait_for(lambda: emulator.history(token, group), 15, "the greeting")
    time.sleep(2)
    assert [visible_text(m["text"]) for m in emulator.history(token, group)] == [words.GROUP_GREETING]


@pytest.mark.parametrize(("chat", "lang"), [(7005, None), (7006, "ru")])
def test_answers_offer_share_this_answer_kept_after_a_vote(world: dict[str, Any], chat: int, lang: str | None) -> None:
    emulator, token = world["emulator"], world["token"]
    words = messages.get(lang)
    question = "Who is Olga Tsukanova?"
    reply = emulator.ask(token, chat, question, **({"language_code": lang} if lang else {}))
    share = buttons(reply)[-1]
    assert share["text"] == words.SHARE_BUTTON
    assert share["switch_inline_query_chosen_chat"] == {"query": question, "allow_user_chats": True,
                                                        "allow_group_chats": True, "allow_channel_chats": True}
    up = next(b for b in buttons(reply) if b["text"] == "👍")
    emulator.press(token, chat, reply["message_id"], up["callback_data"], language_code="en")
    wait_for(lambda: any(b["text"] == "👍 ✓" for b in buttons(emulator.history(token, chat)[-1])), 10, "the tick")
    assert buttons(emulator.history(token, chat)[-1])[-1] == share  # still there, in the answer's language


@pytest.mark.parametrize(("user", "lang"), [(7007, None), (7008, "ru")])
def test_inline_results_open_the_bot_on_the_same_question(world: dict[str, Any], user: int, lang: str | None) -> None:
    emulator, token = world["emulator"], world["token"]
    query = "Кто такая Olga Tsukanova?" if lang else "Olga Tsukanova"
    query_id = emulator.inline(token, user, query, language_code=lang)
    answer = wait_for(lambda: [a for a in emulator.listed("inline_answers", token)
                               if a["inline_query_id"] == query_id], 15, "the inline answer")[0]
    assert answer["results"]
    for result in answer["results"]:
        button = result["reply_markup"]["inline_keyboard"][0][0]
        assert button["text"] == messages.get(lang).OPEN_IN_BOT
        assert payload_question(button["url"].split(f"t.me/{BOT_USERNAME}?start=")[1]) == query

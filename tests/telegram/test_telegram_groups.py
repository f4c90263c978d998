"""End-to-end, groups and forum topics: the real ``wayhome bot`` against the emulator, in English and Russian.

In a group the bot answers /ask, mentions, and replies to it that read as a question (or answer its /ask
prompt) — never "thanks", stickers or people talking to each other; in a forum topic every message it sends
stays in that topic; added to a group, it greets in the adder's language with example buttons that ask in
their own language; "More passages" continues in the answer's language whoever presses it.
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
from bot.render.telegram_html import render_reply

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EN, RU = messages.get("en"), messages.get("ru")
QUIET_S = 2.0  # how long the tests wait to be sure the bot said nothing


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with fake_world(tmp_path_factory.mktemp("tggroups"), ROOT / "corpus") as world:
        yield world


expected = expected_reply
buttons = inline_buttons


def silent(world: dict[str, Any], chat: int, *sent: dict[str, Any]) -> None:
    """The bot replied to none of ``sent`` (checked after a message it does answer, plus a quiet spell)."""
    time.sleep(QUIET_S)
    for message in sent:
        assert world["emulator"].replies_to(world["token"], chat, message["message_id"]) == [], message


@pytest.mark.parametrize(("group", "lang", "question", "thanks"), [
    (-200100, None, "and how did the police react", "thanks, that helps"),
    (-200200, "ru", "а как отреагировала полиция", "спасибо большое!"),
])
def test_replies_to_the_bot_are_answered_only_when_they_ask(world: dict[str, Any], group: int, lang: str | None,
                                                             question: str, thanks: str) -> None:
    emulator, token = world["emulator"], world["token"]
    kw: dict[str, Any] = {"chat_type": "supergroup", "user_id": 4343, **({"language_code": lang} if lang else {})}
    first = emulator.send(token, group, "/ask Who is Maria Andreyeva?", **kw)
    answer = emulator.wait_reply(token, group, first["message_id"])
    ignored = [emulator.send(token, group, thanks, reply_to_message_id=answer["message_id"], **kw),
               emulator.send(token, group, None, kind="sticker", reply_to_message_id=answer["message_id"], **kw),
               emulator.send(token, group, "ok 👍", reply_to_message_id=answer["message_id"], **kw),
               emulator.send(token, group, "who told you that?", reply_to_message_id=first["message_id"],
                             reply_to_user_id=4444, **kw)]  # people talking to each other
    follow = emulator.send(token, group, question, reply_to_message_id=answer["message_id"], **kw)
    assert emulator.wait_reply(token, group, follow["message_id"])["text"] == expected(world, question, lang)
    silent(world, group, *ignored)


def test_everything_sent_in_a_forum_topic_stays_in_it(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    forum, topic = -200300, 77
    kw = {"chat_type": "supergroup", "user_id": 4545, "message_thread_id": topic}
    long_question = ("Who is Maria Andreyeva and what does the Way Home movement demand? " * 80)[:5000]
    asked = emulator.send(token, forum, f"/ask {long_question}", **kw)
    emulator.wait_reply(token, forum, asked["message_id"])
    emulator.ask(token, forum, "/sources", **kw)
    emulator.fault(token, "sendMessage", "bad_request")  # the next reply fails: the error message follows
    failing = emulator.send(token, forum, f"@{BOT_USERNAME} how did the authorities respond?", **kw)
    error = wait_for(lambda: [m for m in emulator.history(token, forum) if visible_text(m["text"]) == EN.ERROR],
                     15, "the error message")
    sent = emulator.history(token, forum)
    assert len(sent) >= 3 and failing
    assert all(m.get("message_thread_id") == topic for m in sent), [m.get("message_thread_id") for m in sent]
    assert error[0]["message_thread_id"] == topic


@pytest.mark.parametrize(("group", "lang"), [(-200400, None), (-200500, "ru")])
def test_added_to_a_group_it_greets_with_examples_that_ask_in_their_language(world: dict[str, Any], group: int,
                                                                             lang: str | None) -> None:
    emulator, token = world["emulator"], world["token"]
    words = messages.get(lang)
    emulator.member(token, group, 4646, **({"language_code": lang} if lang else {}))
    greeting = wait_for(lambda: emulator.history(token, group), 15, "the greeting")[0]
    assert visible_text(greeting["text"]) == words.GROUP_GREETING
    assert [b["text"] for b in buttons(greeting)] == list(words.EXAMPLES)
    other = "en" if lang == "ru" else "ru"  # pressed by someone whose client speaks the other language
    emulator.press(token, group, greeting["message_id"], buttons(greeting)[1]["callback_data"], user_id=4747,
                   language_code=other)
    reply = emulator.wait_reply(token, group, greeting["message_id"])
    assert reply["text"] == expected(world, words.EXAMPLES[1], lang or "en")
    emulator.member(token, group, 4646, new_status="left", old_status="member")
    emulator.member(token, group + 1, 4646, new_status="administrator", old_status="member")  # promoted: no greeting
    time.sleep(QUIET_S)
    assert len(emulator.history(token, group)) == 2 and emulator.history(token, group + 1) == []


@pytest.mark.parametrize(("group", "lang", "question"), [(-200600, None, "Maria Andreyeva"),
                                                         (-200700, "ru", "Мария Андреева")])
def test_ask_alone_asks_back_and_the_reply_is_the_question(world: dict[str, Any], group: int, lang: str | None,
                                                           question: str) -> None:
    emulator, token = world["emulator"], world["token"]
    words = messages.get(lang)
    kw: dict[str, Any] = {"chat_type": "group", "user_id": 4848, **({"language_code": lang} if lang else {})}
    prompt = emulator.ask(token, group, f"/ask@{BOT_USERNAME}", **kw)
    assert visible_text(prompt["text"]) == words.ASK_PROMPT
    assert prompt["reply_markup"] == {"force_reply": True, "selective": True,
                                      "input_field_placeholder": words.ASK_PLACEHOLDER}
    reply = emulator.ask(token, group, question, reply_to_message_id=prompt["message_id"], **kw)
    assert reply["text"] == expected(world, question, lang)


def test_more_keeps_the_answers_language_whoever_presses_it(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    group = -200800
    question = "What do the wives and mothers of mobilised soldiers demand?"
    assert world["twin"].engine.ask(question).more, "precondition: the corpus has more passages for this"
    reply = emulator.ask(token, group, f"/ask {question}", chat_type="supergroup", user_id=4949, language_code="ru")
    found = world["twin"].engine.ask(question)
    shown, total = len(found.results), len(found.results) + len(found.more)
    more = next(b for b in buttons(reply) if b["text"].startswith(RU.MORE_BUTTON))
    assert more["text"] == f"Ещё отрывки ({shown} из {total})"
    up = next(b for b in buttons(reply) if b["text"] == "👍")
    emulator.press(token, group, reply["message_id"], up["callback_data"], user_id=5050)  # an English client votes
    wait_for(lambda: any(b["text"] == "👍 ✓" for b in buttons(emulator.history(token, group)[0])), 10, "the tick")
    assert more["text"] in [b["text"] for b in buttons(emulator.history(token, group)[0])]  # kept as it was
    emulator.press(token, group, reply["message_id"], more["callback_data"], user_id=5050)
    page = emulator.wait_reply(token, group, reply["message_id"])
    twin = world["twin"]
    twin.ask("more-twin", question, "ru")
    assert page["text"] == render_reply(twin.more("more-twin", "ru"), 1000)[0]


@pytest.mark.parametrize(("chat", "lang", "caption"), [(6001, None, "Who is Maria Andreyeva?"),
                                                       (6002, "ru", "Кто такая Olga Tsukanova?")])
def test_a_photo_caption_is_read_as_the_question(world: dict[str, Any], chat: int, lang: str | None,
                                                 caption: str) -> None:
    emulator, token = world["emulator"], world["token"]
    kw: dict[str, Any] = {"language_code": lang} if lang else {}
    reply = emulator.ask(token, chat, None, kind="photo", caption=caption, **kw)
    assert reply["text"] == expected(world, caption, lang)
    bare = emulator.ask(token, chat, None, kind="photo", **kw)  # no caption: the hint, in the user's language
    assert visible_text(bare["text"]) == messages.get(lang).NOT_TEXT

"""End-to-end: the real ``wayhome bot`` against the local Bot API emulator, asserting on what users see.

One bot process (fake encoder, private index) serves every test here; each test uses its own chats. The
expected HTML comes from the same conversation core in-process, so the bot must say exactly what the REPL
would — plus Telegram's reply threading, buttons and link-preview settings.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram_harness import BOT_USERNAME, BotProcess, Emulator, build_fake_index, wait_for
from telegram_html_validator import problems, visible_text

from bot import messages
from bot.conversation import Conversation
from bot.engine import Engine
from bot.messages import EXAMPLES
from bot.render.telegram_html import render_reply
from bot.settings import Settings

pytestmark = pytest.mark.slow  # starts processes or loads the real model

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Emulator + one running bot (set_my_commands refused, to prove it is tolerated) + an in-process twin."""
    work = tmp_path_factory.mktemp("tgbot")
    corpus_dir, index_dir = build_fake_index(work, ROOT / "corpus")
    emulator = Emulator(log_path=work / "emulator.log").start()
    bot = BotProcess(emulator, work, index_dir, corpus_dir)
    emulator.fault(bot.token, "setMyCommands", "refuse")
    bot.start()
    settings = Settings(corpus_dir=corpus_dir, index_dir=index_dir, embedding_model="fake:64",
                        _env_file=None)  # type: ignore[call-arg]
    twin = Conversation(Engine.open(settings))
    try:
        yield {"emulator": emulator, "bot": bot, "token": bot.token, "twin": twin}
    finally:
        assert bot.stop() == 0
        emulator.close()
        bot.assert_token_not_logged()


def expected(world: dict[str, Any], text: str) -> list[str]:
    """What the conversation core renders for ``text`` (as the REPL's --telegram mode would print)."""
    return render_reply(world["twin"].ask("expected", text), 1000)


def bot_messages(world: dict[str, Any], chat_id: int) -> list[dict[str, Any]]:
    return list(world["emulator"].history(world["token"], chat_id))


def assert_valid(message: dict[str, Any]) -> None:
    assert message["parse_mode"] == "HTML"
    assert problems(message["text"]) == [], message["text"]
    assert message["link_preview_options"] == {"is_disabled": True}


def buttons(message: dict[str, Any]) -> list[dict[str, str]]:
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def test_start_shows_corpus_and_example_buttons_that_ask(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    reply = emulator.ask(token, 1001, "/start")
    assert_valid(reply)
    stats = world["twin"].engine.stats()
    assert messages.corpus_line(stats.articles, stats.first_date, stats.last_date) in visible_text(reply["text"])
    assert [b["text"] for b in buttons(reply)][:-1] == list(EXAMPLES)  # then "Add me to a group"
    emulator.press(token, 1001, reply["message_id"], buttons(reply)[1]["callback_data"])
    answer = emulator.wait_reply(token, 1001, reply["message_id"])
    assert answer["text"] == expected(world, EXAMPLES[1])[0]
    assert emulator.listed("callback_answers", token), "the button press was not acknowledged"


def test_help_and_sources(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    help_reply = emulator.ask(token, 1002, "/help")
    assert_valid(help_reply)
    assert "/ask" in help_reply["text"] and "group" in help_reply["text"]
    sources = emulator.ask(token, 1002, "/sources")
    assert_valid(sources)
    for source in world["twin"].engine.sources():
        assert (source.title or "Untitled article") in visible_text(sources["text"])
        assert (source.publisher or "publisher unknown") in sources["text"]
        assert (source.published or "date unknown") in sources["text"]
        if source.url:
            assert f'<a href="{source.url}">' in sources["text"]


def test_question_is_answered_with_quotes_and_numbered_citations(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    question = "How did the authorities respond to the protests?"
    sent = emulator.send(token, 1003, question)
    reply = emulator.wait_reply(token, 1003, sent["message_id"])
    assert_valid(reply)
    want = expected(world, question)
    assert reply["text"] == want[0]
    assert "<blockquote" in reply["text"] and "<b>" in reply["text"] and "[1] " in reply["text"]
    answer = world["twin"].engine.ask(question)
    for passage in answer.results:
        assert passage.highlight in visible_text(reply["text"])
    labels = [b["text"] for b in buttons(reply)]
    assert "👍" in labels and "👎" in labels


def test_not_found_sends_the_message_and_sources_hint_without_quotes(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    question = "qwxz plorf zzyzx vrang?"
    assert not world["twin"].engine.ask(question).answered  # precondition: nothing relevant in the corpus
    reply = emulator.ask(token, 1004, question)
    assert_valid(reply)
    assert "<blockquote" not in reply["text"]
    assert "/sources" in reply["text"]
    assert [b["text"] for b in buttons(reply)] == list(EXAMPLES)  # the refusal offers the example questions


def test_hostile_input_is_escaped_and_replies_stay_valid(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    hostile = ['<b>Maria</b> & <script>alert("x")</script> Andreyeva </blockquote>',
               "<a href=\"javascript:alert(1)\">protests</a> &amp; &#0; &lt;",
               "Who is Maria\u202e\u200b\x07 Andreyeva? ' OR 1=1; -- ignore previous instructions"]
    for i, text in enumerate(hostile):
        reply = emulator.ask(token, 1010 + i, text)
        assert_valid(reply)
        assert "<script>" not in reply["text"] and "javascript:" not in reply["text"]


def test_five_thousand_character_message_is_trimmed_and_says_so(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    text = ("Who is Maria Andreyeva and what does the Way Home movement demand? " * 80)[:5000]
    reply = emulator.ask(token, 1020, text)
    assert_valid(reply)
    assert messages.get().trimmed(1000) in visible_text(reply["text"])


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice"])
def test_non_text_messages_get_a_one_line_hint(world: dict[str, Any], kind: str) -> None:
    emulator, token = world["emulator"], world["token"]
    sent = emulator.send(token, 1030, None, kind=kind)
    reply = emulator.wait_reply(token, 1030, sent["message_id"])
    assert visible_text(reply["text"]) == messages.NOT_TEXT


def test_twenty_chats_asking_at_once_all_get_their_answers(world: dict[str, Any]) -> None:
    """Each send takes the API a second: handled one at a time this would need 20 s."""
    emulator, token = world["emulator"], world["token"]
    chats = list(range(2000, 2020))
    sent: dict[int, dict[str, Any]] = {}
    emulator.fault(token, "sendMessage", "delay", count=20, delay_ms=1000)

    def ask(chat: int) -> None:
        sent[chat] = emulator.send(token, chat, EXAMPLES[chat % 3])

    threads = [threading.Thread(target=ask, args=(chat,)) for chat in chats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for chat in chats:
        reply = emulator.wait_reply(token, chat, sent[chat]["message_id"], timeout=30)
        assert reply["text"] == expected(world, EXAMPLES[chat % 3])[0]
        assert len(emulator.replies_to(token, chat, sent[chat]["message_id"])) == 1
    slowest = max(emulator.replies_to(token, c, sent[c]["message_id"])[0]["time"] / 1000 - sent[c]["sent_at"]
                  for c in chats)
    assert slowest < 8, f"the last of 20 chats waited {slowest:.1f} s: updates are not handled concurrently"


def test_more_passages_and_feedback_log(world: dict[str, Any]) -> None:
    emulator, token, bot = world["emulator"], world["token"], world["bot"]
    question = "What do the wives and mothers of mobilised soldiers demand?"
    assert world["twin"].engine.ask(question).more, "precondition: the corpus has more passages for this"
    reply = emulator.ask(token, 1040, question)
    found = world["twin"].engine.ask(question)
    shown, total = len(found.results), len(found.results) + len(found.more)
    more = next(b for b in buttons(reply) if b["text"].startswith(messages.MORE_BUTTON))
    assert more["text"] == f"More passages ({shown} of {total})"
    emulator.press(token, 1040, reply["message_id"], more["callback_data"])
    page = emulator.wait_reply(token, 1040, reply["message_id"])
    assert_valid(page)
    twin = world["twin"]
    twin.ask("more-twin", question)
    assert page["text"] == render_reply(twin.more("more-twin"), 1000)[0]
    if total > 2 * shown:  # the page's own button counts on
        assert buttons(page)[0]["text"] == f"More passages ({2 * shown} of {total})"
    wait_for(lambda: messages.MORE_BUTTON not in json.dumps(emulator.history(token, 1040)[0].get("reply_markup")),
             10, "the pressed More button to be removed")

    up = next(b for b in buttons(reply) if b["text"].startswith("👍"))
    for _ in range(2):  # the second identical vote is only acknowledged
        emulator.press(token, 1040, reply["message_id"], up["callback_data"], user_id=777001)
    down = next(b for b in buttons(reply) if b["text"].startswith("👎"))
    emulator.press(token, 1040, reply["message_id"], down["callback_data"], user_id=777002)
    state = bot.data_dir / "wayhome.sqlite3"  # votes are kept in the state database (bot.state)

    def stored_votes() -> list[dict[str, Any]]:
        with contextlib.closing(sqlite3.connect(state)) as conn:
            rows = conn.execute("SELECT vote, chunk_ids, voter, day FROM votes WHERE answer_id = ? ORDER BY vote DESC",
                                (up["callback_data"].split(":")[1],)).fetchall()
        return [{"vote": v, "chunk_ids": json.loads(c), "voter": u, "day": d} for v, c, u, d in rows]

    entries = wait_for(lambda: state.exists() and len(stored_votes()) >= 2 and stored_votes(), 10, "two votes")
    wait_for(lambda: len(emulator.listed("callback_answers", token)) >= 5, 10, "the votes to be acknowledged")
    assert [e["vote"] for e in entries] == ["up", "down"]
    first_page = world["twin"].engine.ask(question).results
    for entry in entries:
        assert entry["chunk_ids"] == [p.chunk_id for p in first_page]
        assert len(entry["voter"]) == 32 and len(entry["day"]) == 10
    assert entries[0]["voter"] != entries[1]["voter"]
    with contextlib.closing(sqlite3.connect(state)) as conn:
        dump = "\n".join(conn.iterdump())
    assert "777001" not in dump and "777002" not in dump and question not in dump


def test_groups_answer_only_ask_mentions_and_replies(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    group = -100500
    kw = {"chat_type": "supergroup", "user_id": 4242}
    chatter = emulator.send(token, group, "Who is Maria Andreyeva? asking a friend here", **kw)
    other = emulator.send(token, group, "/start@SomeOtherBot", **kw)
    sticker = emulator.send(token, group, None, kind="sticker", **kw)
    via_ask = emulator.send(token, group, "/ask Who is Maria Andreyeva?", **kw)
    ask_reply = emulator.wait_reply(token, group, via_ask["message_id"])
    assert ask_reply["text"] == expected(world, "Who is Maria Andreyeva?")[0]
    mention = emulator.send(token, group, f"@{BOT_USERNAME} how many followers does the channel have?", **kw)
    mention_reply = emulator.wait_reply(token, group, mention["message_id"])
    assert mention_reply["text"] == expected(world, "how many followers does the channel have?")[0]
    follow = emulator.send(token, group, "and how did the police react?", reply_to_message_id=ask_reply["message_id"], **kw)
    assert emulator.wait_reply(token, group, follow["message_id"])["text"] == expected(world, "and how did the police react?")[0]
    to_human = emulator.send(token, group, "I agree", reply_to_message_id=chatter["message_id"], **kw)
    last = emulator.send(token, group, f"/ask@{BOT_USERNAME} protests", **kw)
    emulator.wait_reply(token, group, last["message_id"])
    for ignored in (chatter, other, sticker, to_human):
        assert emulator.replies_to(token, group, ignored["message_id"]) == []


def test_deep_link_unknown_command_and_more_without_question(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    deep = emulator.ask(token, 1050, "/start Who_is_Maria_Andreyeva")
    assert deep["text"] == expected(world, "Who is Maria Andreyeva")[0]
    assert visible_text(emulator.ask(token, 1051, "/frobnicate")["text"]) == messages.UNKNOWN_COMMAND
    assert visible_text(emulator.ask(token, 1052, "/more")["text"]) == messages.NO_MORE


def test_inline_query_returns_quoted_passages(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    query_id = emulator.inline(token, 5151, "Maria Andreyeva")
    answers = wait_for(lambda: [a for a in emulator.listed("inline_answers", token)
                                if a["inline_query_id"] == query_id], 15, "the inline answer")
    results = answers[0]["results"]
    assert results and int(answers[0]["cache_time"]) > 0
    for result in results:
        content = result["input_message_content"]
        assert result["type"] == "article" and content["parse_mode"] == "HTML"
        assert problems(content["message_text"]) == []
        assert content["message_text"].startswith("<blockquote")


def test_startup_registers_commands_despite_refusal_and_drops_pending_updates(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    assert emulator.calls(token, "setMyCommands"), "the command menu was not registered"
    drops = [c for c in emulator.calls(token, "deleteWebhook") if c["params"].get("drop_pending_updates") is True]
    assert drops, "pending updates were not dropped at start-up"
    assert world["bot"].alive()

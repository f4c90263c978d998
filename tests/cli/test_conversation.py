"""The transport-free conversation core: commands, questions, /more per chat (fake encoder)."""

from __future__ import annotations

import pytest

from bot import conversation as conversation_module
from bot.conversation import Conversation
from bot.engine import Engine
from bot.models import Answer, Kind, Notice
from bot.settings import Settings

QUESTION = "How many followers does the Way Home channel have?"


@pytest.fixture
def conv(fake_settings: Settings) -> Conversation:
    return Conversation(Engine.open(fake_settings))


def test_start_help_sources(conv: Conversation) -> None:
    start = conv.handle(1, "/start")
    assert start.kind is Kind.START and start.stats is not None
    assert (start.stats.articles, start.stats.first_date, start.stats.last_date) == (2, "2023-12-09", "2023-12-09")
    assert len(start.examples) == 3
    assert conv.handle(1, "/help").kind is Kind.HELP
    sources = conv.handle(1, "/sources").sources
    assert [s.publisher for s in sources] == ["DW", "The News God"], "dated articles first, the undated seed last"


def test_question_answer_and_more_pages(conv: Conversation) -> None:
    reply = conv.handle(7, QUESTION)
    assert reply.kind is Kind.ANSWER and reply.answer is not None
    first = reply.answer.results
    assert [p.rank for p in first] == [1, 2, 3]
    seen = {p.chunk_id for p in first}
    ranks = 3
    while conv.has_more(7):
        page = conv.handle(7, "/more")
        assert page.kind is Kind.MORE and page.answer is not None
        assert [p.rank for p in page.answer.results] == list(range(ranks + 1, ranks + 1 + len(page.answer.results)))
        assert not seen & {p.chunk_id for p in page.answer.results}, "/more never repeats a passage"
        seen |= {p.chunk_id for p in page.answer.results}
        ranks += len(page.answer.results)
    assert conv.handle(7, "/more").kind is Kind.NO_MORE


def test_more_is_per_chat(conv: Conversation) -> None:
    conv.handle("a", QUESTION)
    assert conv.handle("b", "/more").kind is Kind.NO_MORE
    assert conv.handle("a", "/more").kind is Kind.MORE


@pytest.mark.parametrize(("text", "kind"), [
    ("/start " + QUESTION, Kind.ANSWER), ("/ask " + QUESTION, Kind.ANSWER), ("/ask", Kind.USAGE),
    ("/ASK@wayhome_bot " + QUESTION, Kind.ANSWER), ("/help@wayhome_bot", Kind.HELP), ("/frobnicate", Kind.UNKNOWN_COMMAND),
    ("  /sources  ", Kind.SOURCES), ("", Kind.USAGE), ("   ", Kind.USAGE), ("?!", Kind.USAGE),
    ("good morning", Kind.USAGE), ("Thank you so much!", Kind.USAGE), ("привет! как дела?", Kind.USAGE),
])
def test_commands_and_questions(conv: Conversation, text: str, kind: Kind) -> None:
    assert conv.handle(1, text).kind is kind


def test_unanswerable_question_is_not_found(conv: Conversation, monkeypatch: pytest.MonkeyPatch) -> None:
    conv.handle(1, QUESTION)
    assert conv.has_more(1)
    refusal = Answer(question="lasagna?", answered=False, notice=Notice.NOT_FOUND)
    monkeypatch.setattr(conv.engine, "ask", lambda question, k=None: refusal)
    reply = conv.handle(1, "lasagna?")
    assert reply.kind is Kind.NOT_FOUND and reply.answer is refusal
    assert conv.handle(1, "/more").kind is Kind.NO_MORE, "a refusal replaces the previous question's passages"


def test_chat_state_is_bounded(conv: Conversation, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conversation_module, "MAX_CHATS", 3)
    for chat in range(5):
        conv.handle(chat, QUESTION)
    assert not conv.has_more(0) and not conv.has_more(1)
    assert conv.has_more(4)


def test_small_talk_is_answered_in_its_language_with_the_prompt(conv: Conversation) -> None:
    reply = conv.handle(1, "спасибо большое")
    assert reply.kind is Kind.USAGE and reply.language == "ru"

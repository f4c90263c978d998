"""Which language the interface speaks: the user's preference (Telegram's language_code, ``--lang``), else the
question's, else English — through the conversation core, the REPL and ``ask`` (fake encoder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import cli

from bot import messages
from bot.conversation import Conversation
from bot.engine import Engine
from bot.models import Kind
from bot.render.terminal import render_reply
from bot.settings import Settings

RU = messages.get("ru")
NAME_QUESTION = "Кто такая Olga Tsukanova?"  # a name the fake encoder's keyword side can match
OFF_TOPIC = "Как испечь пирог?"


@pytest.fixture(scope="module")
def conv(tmp_path_factory: pytest.TempPathFactory) -> Conversation:
    work = tmp_path_factory.mktemp("lang")
    settings = Settings(corpus_dir=Path(__file__).resolve().parents[2] / "corpus", index_dir=work / "index",
                        data_dir=work / "data", embedding_model="fake:64", _env_file=None)  # type: ignore[call-arg]
    return Conversation(Engine.open(settings))


@pytest.mark.parametrize("lang,expected", [(None, "en"), ("en", "en"), ("ru", "ru"), ("ru-RU", "ru"), ("de", "en")])
def test_commands_without_a_question_follow_the_user_language_only(conv: Conversation, lang: str | None,
                                                                   expected: str) -> None:
    for line in ("/start", "/help", "/sources", "/frobnicate", "/more", "/ask"):
        assert conv.handle("lang-cmd", line, lang).language == expected, line
    start = conv.handle("lang-start", "/start", lang)
    assert start.examples == messages.get(expected).EXAMPLES


def test_questions_follow_the_user_language_else_the_question(conv: Conversation) -> None:
    assert conv.handle("q1", OFF_TOPIC).language == "ru"  # no preference: the question's language
    assert conv.handle("q2", OFF_TOPIC, "en").language == "en"  # the user's own language wins
    assert conv.handle("q3", OFF_TOPIC, "de").language == "ru"  # not spoken here: the question's
    assert conv.handle("q4", "Who is Maria Andreyeva?", "ru").language == "ru"
    assert conv.handle("q5", "Who is Maria Andreyeva?").language == "en"


def test_a_russian_name_question_is_answered_with_russian_labels(conv: Conversation) -> None:
    reply = conv.handle("q6", NAME_QUESTION, "ru")
    assert reply.kind is Kind.ANSWER and reply.answer is not None
    out = render_reply(reply)
    assert "Olga Tsukanova" in out and "— DW, 9 декабря 2023\u202fг." in out
    refusal = conv.handle("q7", OFF_TOPIC)
    assert refusal.kind is Kind.NOT_FOUND and render_reply(refusal) == RU.NOT_FOUND


def test_more_keeps_the_language_of_its_question(conv: Conversation) -> None:
    question = "Что требуют жёны и матери мобилизованных? mobilized wives mothers demand"
    first = conv.handle("q8", question)
    assert first.answer is not None and first.answer.more, "precondition: a second page for this question"
    more = conv.handle("q8", "/more")
    assert more.kind is Kind.MORE and more.language == first.language


@pytest.mark.slow
def test_repl_lang_ru_speaks_russian(corpus_dir: Path, tmp_path: Path) -> None:
    result = cli(corpus_dir, tmp_path / "index", "repl", "--lang", "ru",
                 input=f"/start\n{NAME_QUESTION}\n{OFF_TOPIC}\n/help\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(RU.START_INTRO) and "Попробуйте:" in out and "Кто такая Мария Андреева?" in out
    assert "Olga Tsukanova" in out and "9 декабря 2023\u202fг." in out
    assert RU.NOT_FOUND in out and RU.HELP_LINES[1] in out


@pytest.mark.slow
def test_repl_auto_answers_each_question_in_its_language(corpus_dir: Path, tmp_path: Path) -> None:
    result = cli(corpus_dir, tmp_path / "index", "repl", input=f"/start\n{OFF_TOPIC}\nqwxz plorf zzyzx vrang?\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(messages.START_INTRO) and RU.NOT_FOUND in result.stdout


@pytest.mark.slow
def test_ask_replies_in_the_question_language_or_lang(corpus_dir: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    russian = json.loads(cli(corpus_dir, index, "ask", "--json", OFF_TOPIC).stdout)
    assert russian["answered"] is False and russian["message"] == RU.NOT_FOUND
    english = json.loads(cli(corpus_dir, index, "ask", "--json", "How do I bake a pie?").stdout)
    assert english["message"] == messages.NOT_FOUND
    forced = json.loads(cli(corpus_dir, index, "ask", "--json", "--lang", "ru", "How do I bake a pie?").stdout)
    assert forced["message"] == RU.NOT_FOUND
    text = cli(corpus_dir, index, "ask", NAME_QUESTION).stdout
    assert "Olga Tsukanova" in text and "— DW, 9 декабря 2023\u202fг." in text

"""The Telegram side of the interface language, offline (PTB objects, fake encoder): inline mode, buttons and
the command menus, for Russian clients and for everyone else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from telegram_harness import inline_session, offline_engine
from telegram_html_validator import problems

from bot import messages
from bot.engine import Engine
from bot.telegram.callbacks import words_for
from bot.telegram.inline import inline_results
from bot.telegram.keyboards import HELP_PAYLOAD, answer_keyboard
from bot.telegram.menus import menu_calls

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
RU = messages.get("ru")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return offline_engine(tmp_path_factory.mktemp("tg-lang"))


def ask_inline(engine: Engine, tmp_path: Path, query: str, language_code: str | None) -> dict[str, Any]:
    answered, _ = inline_session(engine, tmp_path / "s.sqlite3", [query], language_code)
    assert len(answered) == 1
    return answered[0]


@pytest.mark.parametrize("code,words", [("ru", RU), ("ru-RU", RU), (None, messages.get("en")), ("fr", messages.get("en"))])
def test_inline_hint_for_an_empty_query_is_in_the_users_language(engine: Engine, tmp_path: Path, code: str | None,
                                                                  words: messages.Texts) -> None:
    answered = ask_inline(engine, tmp_path, "", code)
    assert answered["results"] == []
    assert answered["button"].text == words.INLINE_HINT and answered["button"].start_parameter == HELP_PAYLOAD


def test_inline_results_for_a_russian_client(engine: Engine, tmp_path: Path) -> None:
    answered = ask_inline(engine, tmp_path, "Olga Tsukanova", "ru")
    assert answered["results"] and answered["button"] is None and answered["is_personal"] is True
    for result in answered["results"]:
        assert problems(result.input_message_content.message_text) == []
        assert "DW, 9 декабря 2023\u202fг." in result.description or "издание не указано" in result.description
    nothing = ask_inline(engine, tmp_path, "Как испечь пирог?", None)
    assert nothing["results"] == [] and nothing["button"].text == RU.INLINE_NOTHING


def test_inline_results_labels_follow_the_language(engine: Engine) -> None:
    answer = engine.ask("Who is Maria Andreyeva?", 10)
    untitled = [r for r in inline_results(answer, "ru") if "Статья без названия" in r.title]
    english = [r for r in inline_results(answer) if "Untitled article" in r.title]
    assert len(untitled) == len(english)


def test_button_acknowledgements_follow_the_user_else_the_question() -> None:
    assert words_for("ru").THANKS == RU.THANKS
    assert words_for(None, "ru").ALREADY == RU.ALREADY
    assert words_for("en", "ru").EXPIRED == messages.EXPIRED
    assert words_for(None).EXAMPLES == messages.EXAMPLES and words_for("ru").EXAMPLES == RU.EXAMPLES


def test_more_button_label_in_russian() -> None:
    markup = answer_keyboard("abc", more=True, votes=True, lang="ru")
    assert markup is not None
    labels = [b.text for row in markup.inline_keyboard for b in row]
    assert labels == [RU.MORE_BUTTON, "👍", "👎"]


def test_command_menus_per_scope_in_both_languages() -> None:
    menus = {(scope.type, getattr(scope, "chat_id", None), lang): commands
             for commands, scope, lang in menu_calls(frozenset({42}))}
    assert set(menus) == {(kind, chat, lang) for lang in (None, "ru")
                          for kind, chat in (("all_private_chats", None), ("all_group_chats", None), ("chat", 42))}
    names = {key: [c.command for c in commands] for key, commands in menus.items()}
    for lang in (None, "ru"):
        assert names[("all_private_chats", None, lang)] == [c for c, _ in messages.COMMANDS]
        assert "ask" not in names[("all_private_chats", None, lang)]  # /ask is for groups
        assert names[("all_group_chats", None, lang)][0] == "ask"
        assert names[("chat", 42, lang)] == names[("all_private_chats", None, lang)] + ["add", "stats"]
    private_en, private_ru = menus[("all_private_chats", None, None)], menus[("all_private_chats", None, "ru")]
    assert private_en[0].description == "What I know, with example questions"
    assert [c.description for c in private_ru] == [d for _, d in RU.COMMANDS]
    assert all(c.description != e.description for c, e in zip(private_ru, private_en, strict=True))
    assert not any("add" in [c.command for c in commands] for (kind, _, _), commands in menus.items()
                   if kind != "chat")

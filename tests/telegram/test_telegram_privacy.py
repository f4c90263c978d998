"""End-to-end privacy: a whole session with the real bot (questions, More passages, votes, /more, /privacy,
/forget, in English and Russian), then every byte the bot left behind — the state file, its WAL and SHM, the key
and the bot's own log at the production level (INFO) — is searched for the person: their Telegram id, their
username and their questions. None may appear; with WAYHOME_KEEP_QUESTIONS=1 the question texts may (in the
state file only), the id and username never.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from telegram_harness import BotProcess, Emulator, build_fake_index, wait_for
from telegram_html_validator import problems, visible_text

from bot import messages

pytestmark = pytest.mark.slow  # starts the emulator and the bot

ROOT = Path(__file__).resolve().parents[2]
USER_ID = 730_418_265_913  # a private chat's id is its user's id
USERNAME = "marina_from_irkutsk"
OTHER = 730_418_265_999  # someone else voting on the same answer (their vote must survive the /forget)
QUESTIONS = ("What do the wives and mothers of mobilised soldiers demand?",
             "Кто такая Olga Tsukanova?",
             "How do I bake a lasagna with spinach?")  # refused: counted, never kept unless asked to


def buttons(message: dict[str, Any]) -> list[dict[str, str]]:
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def session(emulator: Emulator, bot: BotProcess) -> str:
    """Ask, page, vote, /more, /privacy and /forget as USER_ID; returns the first answer's id."""
    token, me = bot.token, {"username": USERNAME, "first_name": "Marina"}
    first = emulator.ask(token, USER_ID, QUESTIONS[0], **me)
    more = next(b for b in buttons(first) if b["text"].startswith(messages.MORE_BUTTON))  # "(3 of 8)"
    up = next(b for b in buttons(first) if b["text"].startswith("👍"))
    emulator.press(token, USER_ID, first["message_id"], more["callback_data"], **me)
    emulator.wait_reply(token, USER_ID, first["message_id"])
    emulator.press(token, USER_ID, first["message_id"], up["callback_data"], **me)
    emulator.press(token, USER_ID, first["message_id"], up["callback_data"], user_id=OTHER)
    second = emulator.ask(token, USER_ID, QUESTIONS[1], language_code="ru", **me)
    down = next(b for b in buttons(second) if b["text"].startswith("👎"))
    emulator.press(token, USER_ID, second["message_id"], down["callback_data"], language_code="ru", **me)
    wait_for(lambda: len(emulator.listed("callback_answers", token)) >= 4, 10, "the presses to be answered")
    assert visible_text(emulator.ask(token, USER_ID, QUESTIONS[2], **me)["text"]).startswith("I found nothing")
    assert "<blockquote" in emulator.ask(token, USER_ID, QUESTIONS[0], language_code="ru", **me)["text"]
    assert "<blockquote" in emulator.ask(token, USER_ID, "/more", language_code="ru", **me)["text"]
    for code in ("en", "ru"):
        listed = visible_text(emulator.ask(token, USER_ID, "/help", language_code=code, **me)["text"])
        assert "/privacy" in listed and "/forget" in listed
        shown = emulator.ask(token, USER_ID, "/privacy", language_code=code, **me)
        words = messages.get(code)
        assert problems(shown["text"]) == [] and visible_text(shown["text"]).startswith(words.PRIVACY_TITLE)
        assert words.PRIVACY_LINES[-1] in visible_text(shown["text"])
    return str(up["callback_data"]).split(":")[1]


def votes(state: Path) -> list[tuple[str | None, str]]:
    with contextlib.closing(sqlite3.connect(state)) as conn:
        return [(a, v) for a, v in conn.execute("SELECT answer_id, vote FROM votes ORDER BY vote DESC")]


def rows(state: Path, table: str) -> list[tuple[Any, ...]]:
    with contextlib.closing(sqlite3.connect(state)) as conn:
        return list(conn.execute(f"SELECT * FROM {table}"))  # noqa: S608 - a table name of this test's


def choose_russian_and_subscribe(emulator: Emulator, bot: BotProcess, state: Path) -> None:
    """/language → Русский (the Telegram app speaks English) and /subscribe: both kept per user."""
    token = bot.token
    prompt = emulator.ask(token, USER_ID, "/language", username=USERNAME)
    russian = next(b for b in buttons(prompt) if b["text"].startswith(messages.LANGUAGE_NAMES["ru"]))
    emulator.press(token, USER_ID, prompt["message_id"], russian["callback_data"], username=USERNAME)
    wait_for(lambda: len(rows(state, "user_languages")) == 1, 10, "the language choice")
    ru_help = "\n\n".join(messages.get("ru").HELP_LINES)
    assert visible_text(emulator.ask(token, USER_ID, "/help", username=USERNAME)["text"]) == ru_help
    assert visible_text(emulator.ask(token, USER_ID, "/subscribe", username=USERNAME)["text"]) == \
        messages.get("ru").SUBSCRIBED
    assert [row[0] for row in rows(state, "subscribers")] == [USER_ID]


def forget(emulator: Emulator, bot: BotProcess, first_answer: str) -> None:
    state = bot.data_dir / "wayhome.sqlite3"
    choose_russian_and_subscribe(emulator, bot, state)
    assert sorted(votes(state)) == sorted([(first_answer, "up"), (first_answer, "up"), (votes(state)[-1][0], "down")])
    confirmed = emulator.ask(bot.token, USER_ID, "/forget", language_code="ru", username=USERNAME)
    assert visible_text(confirmed["text"]) == messages.get("ru").FORGOTTEN
    assert votes(state) == [(first_answer, "up")], "only the other person's vote is left"
    assert rows(state, "user_languages") == [] and rows(state, "subscribers") == [], "choice and subscription"
    en_help = visible_text(emulator.ask(bot.token, USER_ID, "/help", username=USERNAME)["text"])
    assert en_help == "\n\n".join(messages.HELP_LINES), "the in-memory language choice is gone too"
    after = emulator.ask(bot.token, USER_ID, "/more", username=USERNAME)
    assert visible_text(after["text"]) == messages.NO_MORE, "the chat's /more memory is gone too"
    again = emulator.ask(bot.token, USER_ID, "/forget", language_code="en", username=USERNAME)
    assert visible_text(again["text"]) == messages.FORGOTTEN


def traces(bot: BotProcess) -> dict[str, bytes]:
    """Every file the bot wrote: the data folder (state file, WAL, SHM, key) and its log."""
    found = {p.name: p.read_bytes() for p in bot.data_dir.iterdir() if p.is_file()}
    found["bot log"] = bot.log_path.read_bytes()
    return found


def assert_no_trace(files: dict[str, bytes], keep_questions: bool, running: bool = True) -> None:
    assert not running or any(name.endswith("-wal") for name in files), sorted(files)  # the WAL is scanned too
    for name, data in files.items():
        text = data.decode("utf-8", errors="replace")
        for secret in (str(USER_ID), USERNAME, "Marina"):
            assert secret not in text, f"{secret!r} found in {name}"
        if keep_questions and name.startswith("wayhome.sqlite3"):
            continue
        for question in QUESTIONS:
            for piece in (question, question[:24], json.dumps(question)[1:25]):
                assert piece not in text, f"the question {question!r} found in {name}"


@pytest.mark.parametrize("keep_questions", [False, True])
def test_a_full_session_leaves_nothing_that_ties_the_person_to_a_question(tmp_path: Path,
                                                                          keep_questions: bool) -> None:
    corpus_dir, index_dir = build_fake_index(tmp_path, ROOT / "corpus")
    emulator = Emulator(log_path=tmp_path / "emulator.log").start()
    bot = BotProcess(emulator, tmp_path / "bot", index_dir, corpus_dir,
                     env={"WAYHOME_LOG_LEVEL": "INFO", "WAYHOME_KEEP_QUESTIONS": str(int(keep_questions))})
    try:
        bot.start()
        first_answer = session(emulator, bot)
        forget(emulator, bot, first_answer)
        assert_no_trace(traces(bot), keep_questions)  # while running
        state = bot.data_dir / "wayhome.sqlite3"
        with contextlib.closing(sqlite3.connect(state)) as conn:
            counted = conn.execute("SELECT SUM(answered), SUM(refused) FROM question_counts").fetchone()
            kept = sorted(row[0] for row in conn.execute("SELECT text FROM question_texts"))
        assert tuple(counted) == (3, 1)
        assert kept == (sorted([QUESTIONS[0], QUESTIONS[1], QUESTIONS[2], QUESTIONS[0]]) if keep_questions else [])
        assert bot.stop() == 0
        assert_no_trace(traces(bot), keep_questions, running=False)  # and after a clean stop
    finally:
        if bot.alive():
            bot.stop()
        emulator.close()

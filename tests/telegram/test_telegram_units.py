"""Focused tests of the bot's parts, with PTB's offline objects where Telegram would be involved."""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, ExtBot
from telegram_html_validator import problems

from bot.conversation import Conversation
from bot.engine import Engine
from bot.errors import WayhomeError
from bot.settings import Settings
from bot.state import StateStore
from bot.telegram.answers import AnswerBook
from bot.telegram.feedback import user_hash
from bot.telegram.inline import inline_query, inline_results
from bot.telegram.keyboards import answer_keyboard, examples_keyboard
from bot.telegram.ratelimit import UserRateLimiter
from bot.telegram.security import REDACTED, TokenRedactor, bot_token, webhook_secret
from bot.telegram.services import KEY, Services

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def settings_with(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize("token", ["", "   ", "not-a-token", "123:short", "abc:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
                                   TOKEN + " extra"])
def test_missing_or_malformed_token_names_the_setting(token: str) -> None:
    with pytest.raises(WayhomeError) as caught:
        bot_token(settings_with(telegram_token=SecretStr(token)))
    message = str(caught.value)
    assert "WAYHOME_TELEGRAM_TOKEN" in message and ".env.example" in message
    assert not token.strip() or token.strip() not in message


def test_well_formed_token_is_accepted() -> None:
    assert bot_token(settings_with(telegram_token=SecretStr(f"  {TOKEN}\n"))) == TOKEN


def test_webhook_secret_is_checked_or_generated() -> None:
    assert webhook_secret(settings_with(webhook_secret=SecretStr("abc_DEF-123"))) == "abc_DEF-123"
    generated = {webhook_secret(settings_with()) for _ in range(3)}
    assert len(generated) == 3 and all(len(s) >= 32 for s in generated)
    with pytest.raises(WayhomeError, match="WAYHOME_WEBHOOK_SECRET"):
        webhook_secret(settings_with(webhook_secret=SecretStr("has spaces and $")))


def test_redactor_removes_the_token_from_messages_arguments_and_tracebacks() -> None:
    redactor = TokenRedactor(TOKEN)
    try:
        raise RuntimeError(f"GET https://api.telegram.org/bot{TOKEN}/getMe failed")
    except RuntimeError:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "HTTP Request: %s %s", ("POST",
                               f"http://x/bot{TOKEN.replace(':', '%3A')}/sendMessage"), exc_info)
    assert redactor.filter(record)
    formatted = logging.Formatter().format(record)
    assert TOKEN not in formatted and TOKEN.replace(":", "%3A") not in formatted
    assert formatted.count(REDACTED) == 2


def test_rate_limiter_allows_then_notifies_once_then_recovers() -> None:
    now = [0.0]
    limiter = UserRateLimiter(3, 10, clock=lambda: now[0])
    assert [limiter.check(1).allowed for _ in range(3)] == [True, True, True]
    first, second = limiter.check(1), limiter.check(1)
    assert not first.allowed and first.notify and 0 < first.retry_in <= 10
    assert not second.allowed and not second.notify
    assert limiter.check(2).allowed  # other users are not affected
    now[0] = 10.5
    assert limiter.check(1).allowed


def test_feedback_keeps_a_salted_hash_never_the_user_id(tmp_path: Path) -> None:
    with StateStore(tmp_path / "data" / "wayhome.sqlite3") as store:
        book = AnswerBook(store, 3600)
        record = book.new(5)
        record.question, record.chunk_ids = "Who is Maria?", ["c1", "c2"]
        book.save(record)
        book.vote(record.answer_id, user_hash(987654321, "salt-1"), "up")
        book.vote(record.answer_id, user_hash(123, "salt-1"), "down")
        out = io.StringIO()
        store.export_csv(out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["vote"] for r in rows] == ["up", "down"] and rows[0]["chunk_ids"] == "c1 c2"
    assert "987654321" not in out.getvalue()
    assert rows[0]["user_hash"] == user_hash(987654321, "salt-1") != user_hash(987654321, "salt-2")


def test_callback_data_fits_telegram_limit() -> None:
    from bot.messages import EXAMPLES

    markups = [examples_keyboard(EXAMPLES), answer_keyboard("x" * 12, more=True, votes=True, voted="up")]
    for markup in markups:
        for row in markup.inline_keyboard if markup else []:
            for button in row:
                assert len(str(button.callback_data).encode()) <= 64


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    work = tmp_path_factory.mktemp("units")
    shutil.copytree(ROOT / "corpus", work / "corpus")
    return Engine.open(settings_with(corpus_dir=work / "corpus", index_dir=work / "index", embedding_model="fake:64"))


def test_inline_results_are_quoted_passages_with_citations(engine: Engine) -> None:
    answer = engine.ask("Who is Maria Andreyeva?", 10)
    results = inline_results(answer)
    assert len(results) == len(answer.results + answer.more) > 0
    assert len({r.id for r in results}) == len(results)
    for result, passage in zip(results, answer.results + answer.more, strict=False):
        html = result.input_message_content.message_text  # type: ignore[union-attr]
        assert problems(html) == [] and html.startswith("<blockquote")
        assert f"[{passage.rank}] " in html and (passage.source.title or "Untitled article") in result.title
    assert inline_results(engine.ask("qwxz plorf zzyzx vrang?")) == []


class RecordingBot(ExtBot[None]):
    """PTB's bot with answer_inline_query recorded instead of sent."""

    answered: list[dict[str, Any]]

    @property
    def username(self) -> str:  # what getMe would have said
        return "WayhomeTestBot"

    async def answer_inline_query(self, inline_query_id: str, results: Any, *args: Any, **kwargs: Any) -> bool:
        self.answered.append({"id": inline_query_id, "results": list(results), **kwargs})
        return True


@pytest.mark.parametrize("query,expect_results", [("Maria Andreyeva protests", True), ("", False), ("?!", False)])
def test_inline_query_handler_with_offline_update(engine: Engine, tmp_path: Path, query: str,
                                                  expect_results: bool) -> None:
    bot = RecordingBot(TOKEN)
    object.__setattr__(bot, "answered", [])
    application = ApplicationBuilder().bot(bot).build()
    application.bot_data[KEY] = Services(settings=engine.settings, conversation=Conversation(engine),
                                         limiter=UserRateLimiter(5, 60), state=StateStore(tmp_path / "s.sqlite3"))
    update = Update.de_json({"update_id": 1, "inline_query": {
        "id": "iq1", "from": {"id": 42, "is_bot": False, "first_name": "A"}, "query": query, "offset": ""}}, bot)
    asyncio.run(inline_query(update, ContextTypes.DEFAULT_TYPE(application)))
    assert len(bot.answered) == 1 and bot.answered[0]["id"] == "iq1"
    assert bool(bot.answered[0]["results"]) is expect_results

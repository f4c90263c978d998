"""Focused tests of the bot's parts, with PTB's offline objects where Telegram would be involved."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from telegram_harness import inline_session, offline_engine
from telegram_html_validator import problems

from bot import messages
from bot.engine import Engine
from bot.errors import WayhomeError
from bot.settings import Settings
from bot.state import StateStore
from bot.telegram.app import PURGE_EVERY_S, PURGE_JOB, build_application, purge
from bot.telegram.callbacks import has_more_button, has_vote_buttons, voted_in
from bot.telegram.inline import inline_results
from bot.telegram.keyboards import answer_keyboard, examples_keyboard
from bot.telegram.privacy import privacy_text
from bot.telegram.ratelimit import UserRateLimiter
from bot.telegram.security import (
    REDACTED,
    TokenRedactor,
    bot_token,
    check_env_file,
    configure_logging,
    webhook_secret,
)
from bot.telegram.services import KEY, Services

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


def test_privacy_says_what_is_kept_for_how_long_in_both_languages() -> None:
    text = privacy_text(settings_with(answer_retention_days=7), "en")
    assert problems(text) == [] and text.startswith("<b>What I keep, and for how long</b>")
    assert "kept for 7 days" in text and "/forget" in text and "keep question texts" not in text
    kept = privacy_text(settings_with(answer_retention_days=2.5, keep_questions=True), "ru")
    assert problems(kept) == [] and "2,5 дня" in kept and "What I keep" not in kept
    assert messages.get("ru").PRIVACY_KEPT_QUESTIONS in kept.replace("&quot;", '"')


def test_keyboard_state_is_read_back_from_the_pressed_message() -> None:
    markup = answer_keyboard("abc", more=True, votes=True, voted="down")
    assert has_more_button(markup) and has_vote_buttons(markup) and voted_in(markup) == "down"
    page = answer_keyboard("abc", more=True, votes=False)
    assert has_more_button(page) and not has_vote_buttons(page) and voted_in(page) == ""
    assert not has_more_button(None) and voted_in(None) == ""


def test_callback_data_fits_telegram_limit() -> None:
    from bot.messages import EXAMPLES

    markups = [examples_keyboard(EXAMPLES), answer_keyboard("x" * 12, more=True, votes=True, voted="up")]
    for markup in markups:
        for row in markup.inline_keyboard if markup else []:
            for button in row:
                assert len(str(button.callback_data).encode()) <= 64


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return offline_engine(tmp_path_factory.mktemp("units"))


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


@pytest.mark.parametrize("query,expect_results", [("Maria Andreyeva protests", True), ("", False), ("?!", False)])
def test_inline_query_handler_with_offline_update(engine: Engine, tmp_path: Path, query: str,
                                                  expect_results: bool) -> None:
    answered, _ = inline_session(engine, tmp_path / "s.sqlite3", [query])
    assert len(answered) == 1 and answered[0]["id"] == "iq1"
    assert bool(answered[0]["results"]) is expect_results


def test_expired_answers_are_purged_at_start_and_by_an_hourly_job(engine: Engine, tmp_path: Path) -> None:
    settings = engine.settings.model_copy(update={"data_dir": tmp_path / "data", "answer_retention_days": 1.0})
    with StateStore(tmp_path / "data" / "wayhome.sqlite3") as store:
        store.save_answer("before-start", {}, now=time.time() - 3 * 86_400)
    application = build_application(settings, TOKEN, engine)
    svc: Services = application.bot_data[KEY]
    try:
        assert svc.state.load_answer("before-start", 1e9) is None
        assert application.job_queue is not None
        [job] = application.job_queue.get_jobs_by_name(PURGE_JOB)
        assert job.trigger.interval.total_seconds() == PURGE_EVERY_S == 3600  # type: ignore[attr-defined]
        svc.state.save_answer("old", {}, now=time.time() - 2 * 86_400)
        svc.state.save_answer("new", {})
        assert asyncio.run(purge(svc)) == 1
        assert svc.state.load_answer("old", 1e9) is None and svc.state.load_answer("new", 1e9) == {}
    finally:
        svc.state.close()


def test_logging_keeps_http_urls_out_and_warns_about_debug(caplog: pytest.LogCaptureFixture) -> None:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        configure_logging("INFO", TOKEN)
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
        assert "debug lines can contain" not in caplog.text
        with caplog.at_level(logging.WARNING):
            configure_logging("DEBUG", TOKEN)
        assert "developer's machine only" in caplog.text
    finally:
        root.setLevel(level)
        for handler in root.handlers:
            if handler not in handlers:
                root.removeHandler(handler)


def test_a_settings_file_others_can_read_is_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    env = tmp_path / ".env"
    assert check_env_file(env)  # absent
    env.write_text(f"WAYHOME_TELEGRAM_TOKEN={TOKEN}\n")
    env.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        assert not check_env_file(env)
    assert "chmod 600" in caplog.text and TOKEN not in caplog.text
    env.chmod(0o600)
    assert check_env_file(env)

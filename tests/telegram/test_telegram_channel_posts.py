"""Live channel posts: python-telegram-bot ``Update`` objects fed to the handler (fake encoder), the refresh
limit, and end to end — the real bot against the emulator adds posts of WAYHOME_CHANNELS and answers from them,
cited in English and Russian."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from support import ru_corpus, ru_corpus_settings
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, ExtBot
from telegram_harness import BotProcess, Emulator, require_emulator, wait_for
from telegram_html_validator import visible_text

from bot.conversation import Conversation
from bot.engine import Engine
from bot.settings import Settings
from bot.state import StateStore
from bot.telegram import channel_posts
from bot.telegram.channel_posts import IndexRefresher, on_channel_post, refresher
from bot.telegram.ratelimit import UserRateLimiter
from bot.telegram.services import KEY, Services

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
CHANNEL = {"id": -1001700000001, "type": "channel", "title": "Путь домой", "username": "wayhome_demo"}
OTHER = {"id": -1001900000009, "type": "channel", "title": "Чужой канал", "username": "someone_else"}
RALLY = "Акция 7 ноября в 12:00 на Манежной"


def channel_post(message_id: int, text: str | None, chat: dict[str, Any] = CHANNEL, edited: bool = False,
                 **extra: Any) -> dict[str, Any]:
    """A Bot API update body (without update_id) for a channel post."""
    message: dict[str, Any] = {"message_id": message_id, "date": 1698861900, "chat": chat, "sender_chat": chat,
                               **extra}
    if text is not None:
        message["text"] = text
    if edited:
        message["edit_date"] = 1698865500
    return {"edited_channel_post" if edited else "channel_post": message}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return ru_corpus_settings(tmp_path, channels="@Wayhome_Demo", channel_refresh_s=1)


def feed(settings: Settings, tmp_path: Path, bodies: list[dict[str, Any]]) -> tuple[Any, list[float]]:
    """Run the handler on each update (build_index replaced by a recorder); the application and build times."""
    builds: list[float] = []

    def build(_: Settings) -> Any:
        builds.append(time.monotonic())
        return type("Report", (), {"summary": lambda self: "ok"})()

    async def run() -> Any:
        bot = ExtBot(TOKEN)
        application = ApplicationBuilder().bot(bot).build()
        application.bot_data[KEY] = Services(settings=settings, conversation=Conversation(Engine.open(settings)),
                                             limiter=UserRateLimiter(5, 60), state=StateStore(tmp_path / "s.db"))
        context = ContextTypes.DEFAULT_TYPE(application)
        for number, body in enumerate(bodies, 1):
            await on_channel_post(Update.de_json({"update_id": number, **body}, bot), context)
        await refresher(application).idle()
        application.bot_data[KEY].state.close()
        return application

    original = channel_posts.build_index
    channel_posts.build_index = build  # type: ignore[assignment]
    try:
        return asyncio.run(run()), builds
    finally:
        channel_posts.build_index = original


def test_posts_of_listed_channels_are_added_edits_replace_others_ignored(
        settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.telegram.channel_posts")
    forwarded = {"forward_origin": {"type": "channel", "date": 1698800000, "message_id": 9,
                                    "chat": {"id": -1002, "type": "channel", "title": "Совет матерей"}}}
    _, builds = feed(settings, tmp_path, [
        channel_post(101, "Акция 7 ноября в 12:00"), channel_post(101, RALLY, edited=True),
        channel_post(102, None, photo=[{"file_id": "p", "file_unique_id": "pu", "width": 9, "height": 9}]),
        channel_post(103, "Слова другого канала", **forwarded),
        channel_post(5, "Чужой пост", chat=OTHER), channel_post(6, "Ещё чужой пост", chat=OTHER)])
    folder = settings.corpus_dir / "telegram" / "wayhome_demo"
    assert sorted(p.name for p in folder.iterdir()) == ["101.md", "103.md"]
    assert (folder / "101.md").read_text(encoding="utf-8").endswith(f"\n\n{RALLY}\n")
    assert "url: https://t.me/wayhome_demo/101\n" in (folder / "101.md").read_text(encoding="utf-8")
    assert "forwarded_from: Совет матерей" in (folder / "103.md").read_text(encoding="utf-8")
    assert not (settings.corpus_dir / "telegram" / "someone_else").exists()
    ignored = [r for r in caplog.records if "not in WAYHOME_CHANNELS" in r.getMessage()]
    assert len(ignored) == 1 and "@someone_else" in ignored[0].getMessage()
    assert 1 <= len(builds) <= 2 and all(b - a >= 0.99 for a, b in zip(builds, builds[1:], strict=False))


def test_refreshes_come_at_most_once_per_interval() -> None:
    starts: list[float] = []

    async def run() -> None:
        svc = type("Svc", (), {"settings": None, "conversation": type("C", (), {"engine": None})()})()
        limiter = IndexRefresher(svc, interval=0.4)  # type: ignore[arg-type]
        for _ in range(3):
            for _ in range(5):
                limiter.request()
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.1)
        await limiter.idle()

    async def fake_reload(engine: Any) -> bool:
        return True

    def build(_: Any) -> Any:
        starts.append(time.monotonic())
        return type("Report", (), {"summary": lambda self: "ok"})()

    original = (channel_posts.build_index, channel_posts.reload_now)
    channel_posts.build_index, channel_posts.reload_now = build, fake_reload  # type: ignore[assignment]
    try:
        asyncio.run(run())
    finally:
        channel_posts.build_index, channel_posts.reload_now = original  # type: ignore[assignment]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert 2 <= len(starts) <= 4 and all(gap >= 0.35 for gap in gaps), starts


@pytest.mark.slow
def test_live_posts_become_cited_answers_in_both_languages(tmp_path: Path) -> None:
    require_emulator()
    corpus = ru_corpus(tmp_path)
    emulator = Emulator().start()
    bot = BotProcess(emulator, tmp_path, tmp_path / "index", corpus,
                     env={"WAYHOME_CHANNELS": "@wayhome_demo", "WAYHOME_CHANNEL_REFRESH_S": "2"}).start()
    try:
        emulator.update(bot.token, channel_post(101, "Акция 7 ноября в 12:00"))
        emulator.update(bot.token, channel_post(101, RALLY, edited=True))
        emulator.update(bot.token, channel_post(7, "Пост чужого канала про акцию на Манежной", chat=OTHER))
        wait_for(lambda: "index reloaded" in bot.log() and RALLY in _read(corpus / "telegram/wayhome_demo/101.md"),
                 90, "the channel post to be indexed")
        wait_for(lambda: "index refreshed" in bot.log() and bot.log().rfind("index reloaded")
                 > bot.log().rfind("index refreshed"), 60, "the refreshed index to be loaded")
        # the logs cannot tell which refresh held the edit (a refresh of the first version satisfies them: seen
        # twice in CI), so wait until the bot answers from the edited post
        wait_for(lambda: RALLY in visible_text(emulator.ask(bot.token, 4999, "Когда акция на Манежной?",
                                                            language_code="ru")["text"]),
                 60, "the edited post to be answered", interval=1.0)
        for lang, date in (("ru", "1 ноября 2023"), ("en", "2023-11-01")):
            reply = emulator.ask(bot.token, 5000 + len(lang), "Когда акция на Манежной?", language_code=lang)
            shown = visible_text(reply["text"])
            assert RALLY in shown and "Путь домой (Telegram)" in shown and date in shown.replace("\u202f", " ")
            assert "https://t.me/wayhome_demo/101" in shown and "чужого канала" not in shown
        assert not (corpus / "telegram" / "someone_else").exists()
        assert "ignoring posts of channel @someone_else: not in WAYHOME_CHANNELS" in bot.log()
        bot.assert_token_not_logged()
    finally:
        bot.stop()
        emulator.close()


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""

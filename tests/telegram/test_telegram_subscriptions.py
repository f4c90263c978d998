"""End-to-end, /subscribe: after a rebuild brings new articles into the index, each subscriber gets one message
listing them (in the language they subscribed in); a chat that blocked the bot leaves the list; /unsubscribe
stops the lists; the list is the only place a chat id is kept."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram_harness import fake_world, wait_for
from telegram_html_validator import problems, visible_text

from bot import messages

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RU = messages.get("ru")
BLOCKED, EN_CHAT, RU_CHAT = 9001, 9002, 9003


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with fake_world(tmp_path_factory.mktemp("tgsubs"), ROOT / "corpus", twin=False) as world:
        yield world


def add_articles(world: dict[str, Any], *articles: tuple[str, str, str]) -> None:
    """Write (name, title, date) articles into the corpus and rebuild the index in another process."""
    for name, title, date in articles:
        (world["corpus"] / f"{name}.md").write_text(
            f"---\ntitle: {title}\npublisher: Siberian Courier\npublished: {date}\nurl: https://example.org/{name}\n"
            f"---\nMothers of mobilised men in {name} gathered again to ask for their sons' rotation home.\n",
            encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAYHOME_")}
    env["WAYHOME_EMBEDDING_MODEL"] = "fake:64"
    built = subprocess.run([sys.executable, "-m", "bot.cli", "index", "build", "--index", str(world["index"]),
                            "--corpus", str(world["corpus"])], cwd=world["work"], env=env, capture_output=True,
                           text=True)
    assert built.returncode == 0, built.stderr[-2000:]


def subscribers(world: dict[str, Any]) -> list[tuple[int, str]]:
    with contextlib.closing(sqlite3.connect(world["bot"].data_dir / "wayhome.sqlite3")) as conn:
        return [(int(c), str(lang)) for c, lang in conn.execute("SELECT chat_id, lang FROM subscribers ORDER BY since")]


def lists(world: dict[str, Any], chat: int) -> list[dict[str, Any]]:
    return [m for m in world["emulator"].history(world["token"], chat)
            if visible_text(m["text"]).startswith((messages.NEW_ARTICLES, RU.NEW_ARTICLES))]


def test_subscribers_get_one_list_per_reload_and_blocked_chats_leave(world: dict[str, Any]) -> None:
    emulator, token = world["emulator"], world["token"]
    for chat, lang in ((BLOCKED, None), (EN_CHAT, None), (RU_CHAT, "ru")):
        reply = emulator.ask(token, chat, "/subscribe", **({"language_code": lang} if lang else {}))
        assert visible_text(reply["text"]) == messages.get(lang).SUBSCRIBED
        time.sleep(0.05)  # the list is kept oldest first: the blocked chat is sent to first
    assert subscribers(world) == [(BLOCKED, "en"), (EN_CHAT, "en"), (RU_CHAT, "ru")]
    emulator.fault(token, "sendMessage", "forbidden")  # the first chat has blocked the bot
    add_articles(world, ("omsk", "Omsk mothers hold a vigil", "2025-03-02"),
                 ("tomsk", "Tomsk wives write to the governor", "2025-03-05"))
    english = wait_for(lambda: lists(world, EN_CHAT), 30, "the list of new articles")
    russian = wait_for(lambda: lists(world, RU_CHAT), 10, "the Russian list")
    for sent, words, date in ((english[0], messages, "2025-03-05"), (russian[0], RU, "5 марта 2025")):
        assert problems(sent["text"]) == []
        assert visible_text(sent["text"]).splitlines() == [  # both articles in one message, newest first
            words.NEW_ARTICLES, f"• Tomsk wives write to the governor — Siberian Courier, {date}" + (
                "\u202fг." if words is RU else ""),
            visible_text(sent["text"]).splitlines()[2]]
        assert "Omsk mothers hold a vigil" in visible_text(sent["text"]).splitlines()[2]
        assert '<a href="https://example.org/tomsk">' in sent["text"]
    wait_for(lambda: subscribers(world) == [(EN_CHAT, "en"), (RU_CHAT, "ru")], 10, "the blocked chat to leave")
    assert lists(world, BLOCKED) == []

    bye = emulator.ask(token, RU_CHAT, "/unsubscribe", language_code="ru")
    assert visible_text(bye["text"]) == RU.UNSUBSCRIBED and subscribers(world) == [(EN_CHAT, "en")]
    add_articles(world, ("chita", "Chita wives march", "2025-03-09"))
    wait_for(lambda: len(lists(world, EN_CHAT)) == 2, 30, "the second list")
    assert "Chita wives march" in visible_text(lists(world, EN_CHAT)[1]["text"])
    assert "Omsk" not in visible_text(lists(world, EN_CHAT)[1]["text"])  # only what is new
    time.sleep(3)
    assert len(lists(world, RU_CHAT)) == 1 and len(lists(world, EN_CHAT)) == 2
    ours = [line for line in world["bot"].log().splitlines() if " bot." in line]  # wayhome's own log lines
    assert any("announced to" in line for line in ours)
    assert not any(str(chat) in line for line in ours for chat in (BLOCKED, EN_CHAT, RU_CHAT))  # never a chat id

"""The subscriber list: add (once per chat), remove, list, kept across restarts."""

from __future__ import annotations

from pathlib import Path

from bot.state import StateStore
from bot.state.subscribers import Subscribers


def test_subscribers_are_kept_once_per_chat_and_removed(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with StateStore(path) as store:
        subs = Subscribers(store)
        subs.add(11, "en")
        subs.add(22, "ru")
        subs.add(11, "ru")  # again: the language changes, the chat is listed once
        assert subs.all() == [(11, "ru"), (22, "ru")] and subs.has(22)
    with StateStore(path) as store:
        subs = Subscribers(store)
        assert subs.remove(11) and not subs.remove(11)
        assert subs.all() == [(22, "ru")] and not subs.has(11)

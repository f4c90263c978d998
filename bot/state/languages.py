"""Each user's chosen interface language (``/language``), in the state file.

Takes: a ``StateStore`` and a user key — ``StateStore.user_key("language", user_id)``,
never the Telegram user id itself.
Gives: ``LanguageChoices`` with ``get`` (the choice, or None: follow the Telegram client's language), ``set``,
and ``delete_user`` (what ``/forget`` calls). The choices are read once into memory (one short row per user who
chose), so ``get`` never touches the database or its lock: the bot calls it on its event loop.
"""

from __future__ import annotations

import threading
import time

from .store import StateStore


class LanguageChoices:
    """The ``user_languages`` table, mirrored in memory; writes go to both."""

    def __init__(self, store: StateStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        with store.transaction(write=False) as conn:
            rows = conn.execute("SELECT user_hash, lang FROM user_languages").fetchall()
        self._chosen: dict[str, str] = {str(key): str(lang) for key, lang in rows}

    def get(self, user_key: str) -> str | None:
        """The language ``user_key`` chose, or None when they did not choose one."""
        with self._lock:
            return self._chosen.get(user_key)

    def set(self, user_key: str, lang: str | None) -> None:
        """Remember ``lang`` for ``user_key``; None forgets the choice (the Telegram client's language again)."""
        if lang is None:
            self.delete_user(user_key)
            return
        with self.store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO user_languages (user_hash, lang, ts) VALUES (?, ?, ?)",
                         (user_key, lang, time.time()))
        with self._lock:
            self._chosen[user_key] = lang

    def delete_user(self, user_key: str) -> int:
        """Forget ``user_key``'s choice; how many rows went (0 or 1)."""
        with self.store.transaction() as conn:
            deleted = conn.execute("DELETE FROM user_languages WHERE user_hash = ?", (user_key,)).rowcount
        with self._lock:
            self._chosen.pop(user_key, None)
        return int(deleted)

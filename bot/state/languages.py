"""Each user's chosen interface language (``/language``), in the state file.

Takes: a ``StateStore`` and a user key — the caller's salted hash of the Telegram user id, never the id itself.
Gives: ``LanguageChoices`` with ``get`` (the choice, or None: follow the Telegram client's language), ``set``,
and ``delete_user`` (what ``/forget`` calls). Recent look-ups are cached in memory (bounded), so a message does
not wait for the database.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from .store import StateStore

MAX_CACHED = 50_000


class LanguageChoices:
    """The ``user_languages`` table behind a small cache."""

    def __init__(self, store: StateStore) -> None:
        self.store = store
        self._cache: OrderedDict[str, str | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, user_key: str) -> str | None:
        """The language ``user_key`` chose, or None when they did not choose one."""
        with self._lock:
            if user_key in self._cache:
                self._cache.move_to_end(user_key)
                return self._cache[user_key]
        with self.store.transaction(write=False) as conn:
            row = conn.execute("SELECT lang FROM user_languages WHERE user_hash = ?", (user_key,)).fetchone()
        found = str(row[0]) if row else None
        self._remember(user_key, found)
        return found

    def set(self, user_key: str, lang: str | None) -> None:
        """Remember ``lang`` for ``user_key``; None forgets the choice (the Telegram client's language again)."""
        if lang is None:
            self.delete_user(user_key)
            return
        with self.store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO user_languages (user_hash, lang, ts) VALUES (?, ?, ?)",
                         (user_key, lang, time.time()))
        self._remember(user_key, lang)

    def delete_user(self, user_key: str) -> int:
        """Forget ``user_key``'s choice; how many rows went (0 or 1)."""
        with self.store.transaction() as conn:
            deleted = conn.execute("DELETE FROM user_languages WHERE user_hash = ?", (user_key,)).rowcount
        self._remember(user_key, None)
        return int(deleted)

    def _remember(self, user_key: str, lang: str | None) -> None:
        with self._lock:
            self._cache[user_key] = lang
            self._cache.move_to_end(user_key)
            while len(self._cache) > MAX_CACHED:
                self._cache.popitem(last=False)

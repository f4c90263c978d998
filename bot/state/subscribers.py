"""Who asked to hear about new articles (``/subscribe``): the only place the bot keeps a chat id — it must, to
send the list — with the language to send it in.

Takes: a ``StateStore``. Gives: ``Subscribers`` with ``add``, ``remove`` (``/unsubscribe``, a blocked bot, and
``/forget``: it is the delete for this table), ``has`` and ``all``.
"""

from __future__ import annotations

import time

from .store import StateStore


class Subscribers:
    """The ``subscribers`` table."""

    def __init__(self, store: StateStore) -> None:
        self.store = store

    def add(self, chat_id: int, lang: str) -> None:
        """Subscribe ``chat_id`` (again: only its language is updated)."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO subscribers (chat_id, lang, since) VALUES (?, ?, ?) "
                         "ON CONFLICT (chat_id) DO UPDATE SET lang = excluded.lang", (chat_id, lang, time.time()))

    def remove(self, chat_id: int) -> bool:
        """Unsubscribe ``chat_id`` (what ``/forget`` calls too); whether it was subscribed."""
        with self.store.transaction() as conn:
            return bool(conn.execute("DELETE FROM subscribers WHERE chat_id = ?", (chat_id,)).rowcount)

    def has(self, chat_id: int) -> bool:
        with self.store.transaction(write=False) as conn:
            return conn.execute("SELECT 1 FROM subscribers WHERE chat_id = ?", (chat_id,)).fetchone() is not None

    def all(self) -> list[tuple[int, str]]:
        """Every subscriber as (chat id, language), oldest first."""
        with self.store.transaction(write=False) as conn:
            rows = conn.execute("SELECT chat_id, lang FROM subscribers ORDER BY since, chat_id").fetchall()
        return [(int(chat), str(lang)) for chat, lang in rows]

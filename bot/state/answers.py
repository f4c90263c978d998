"""The /more memory the REPL and the bot share: the passages of an answer not yet shown, under a random id.

Takes: an ``Answer``. Gives: ``Pending`` (what "More passages" and a vote need: the answer's language, the
chunk ids shown, the passages left — no question, no chat, no user), and two shelves that keep them with the
same interface (``Shelf``): ``MemoryShelf`` (in memory, for the REPL) and ``StateShelf`` (in the state
database, so the bot's buttons work after a restart; older than the retention is ``Expired``).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import ValidationError

from bot.models import Answer, Notice, Passage

from .store import Expired, StateStore

log = logging.getLogger(__name__)

MAX_IN_MEMORY = 10_000
Taken = tuple["Pending", list[Passage]]


@dataclass
class Pending:
    """An answer's passages not yet shown, and what a vote on it is about."""

    answer_id: str
    language: str = "en"
    shown: list[str] = field(default_factory=list)  # chunk ids of the first page
    rest: list[Passage] = field(default_factory=list)
    trimmed: bool = False
    notice: Notice | None = None

    @classmethod
    def of(cls, answer: Answer) -> Pending:
        """A new record (random id that fits Telegram's 64-byte callback data) for ``answer``."""
        return cls(secrets.token_urlsafe(9), answer.language, [p.chunk_id for p in answer.results],
                   list(answer.more), answer.trimmed, answer.notice)

    def answer(self, page: list[Passage]) -> Answer:
        """``page`` as an answer to show, with what remains after it."""
        return Answer(question="", answered=True, language=self.language, notice=self.notice, results=page,
                      more=self.rest, trimmed=self.trimmed)

    def payload(self) -> dict[str, Any]:
        return {"language": self.language, "shown": self.shown, "trimmed": self.trimmed,
                "notice": self.notice.value if self.notice else None,
                "rest": [p.model_dump(mode="json") for p in self.rest]}

    @classmethod
    def from_payload(cls, answer_id: str, payload: dict[str, Any]) -> Pending | None:
        """The record, or None for a payload this version cannot read."""
        try:
            return cls(answer_id, str(payload["language"]), [str(c) for c in payload.get("shown", [])],
                       [Passage.model_validate(p) for p in payload.get("rest", [])],
                       bool(payload.get("trimmed", False)), Notice(payload["notice"]) if payload.get("notice") else None)
        except (KeyError, TypeError, ValueError, ValidationError) as exc:
            log.warning("a stored answer is unreadable (%s)", type(exc).__name__)
            return None


class Shelf(Protocol):
    def keep(self, pending: Pending) -> None: ...

    def get(self, answer_id: str) -> Pending | Expired | None: ...

    def take(self, answer_id: str, k: int) -> Taken | Expired | None: ...


class MemoryShelf:
    """Pending answers in memory (the newest ``MAX_IN_MEMORY``)."""

    def __init__(self, limit: int = MAX_IN_MEMORY) -> None:
        self._kept: OrderedDict[str, Pending] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def keep(self, pending: Pending) -> None:
        with self._lock:
            self._kept[pending.answer_id] = pending
            while len(self._kept) > self._limit:
                self._kept.popitem(last=False)

    def get(self, answer_id: str) -> Pending | None:
        with self._lock:
            return self._kept.get(answer_id)

    def take(self, answer_id: str, k: int) -> Taken | None:
        """The record and its next ``k`` passages (removed from what remains)."""
        with self._lock:
            found = self._kept.get(answer_id)
            if found is None:
                return None
            page, found.rest = found.rest[:k], found.rest[k:]
            return found, page


class StateShelf:
    """Pending answers in the state database, kept ``retention_s`` seconds (then ``Expired``, then purged)."""

    def __init__(self, store: StateStore, retention_s: float) -> None:
        self.store = store
        self.retention_s = retention_s
        self._lock = threading.Lock()

    def keep(self, pending: Pending) -> None:
        self.store.save_answer(pending.answer_id, pending.payload())

    def get(self, answer_id: str) -> Pending | Expired | None:
        found = self.store.load_answer(answer_id, self.retention_s)
        if found is None or isinstance(found, Expired):
            return found
        return Pending.from_payload(answer_id, found)

    def take(self, answer_id: str, k: int) -> Taken | Expired | None:
        """The record and its next ``k`` passages (removed from what remains, and saved)."""
        with self._lock:
            found = self.get(answer_id)
            if not isinstance(found, Pending):
                return found
            page, found.rest = found.rest[:k], found.rest[k:]
            if page:
                self.store.update_answer(answer_id, found.payload())
            return found, page

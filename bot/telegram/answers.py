"""The answers that buttons refer to, kept in the state database so "More passages" and 👍/👎 work after a
restart.

Takes: a ``StateStore`` and the retention in seconds. Gives: ``AnswerBook`` — ``new`` (a record with a short
random id that fits Telegram's 64-byte callback data), ``save``, ``get`` (the record, ``Expired`` past the
retention, or None when unknown), ``next_page`` (the next passages, taken atomically), ``vote`` (one vote per
user per answer, recorded with the salted user hash) and each chat's latest answer for ``/more``. Each record
is stored as JSON: the question, the chunk ids shown, the answer and the passages not yet shown, the votes.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from bot.models import Answer, Kind, Passage, Reply
from bot.state import Expired, StateStore
from bot.text.language import interface_language

log = logging.getLogger(__name__)

MAX_CHATS = 20_000
# What ``AnswerBook.vote`` did.
VOTED, ALREADY, EXPIRED, UNKNOWN = "voted", "already", "expired", "unknown"


@dataclass
class AnswerRecord:
    """One answer the bot sent: what "More passages" shows next and what a vote refers to."""

    answer_id: str
    chat_id: int
    question: str = ""
    chunk_ids: list[str] = field(default_factory=list)
    message_id: int = 0
    votes: dict[str, str] = field(default_factory=dict)
    answer: Answer | None = None
    rest: list[Passage] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        answer = self.answer.model_dump(mode="json", exclude={"more"}) if self.answer is not None else None
        return {"chat_id": self.chat_id, "question": self.question, "chunk_ids": self.chunk_ids,
                "message_id": self.message_id, "votes": self.votes, "answer": answer,
                "rest": [p.model_dump(mode="json") for p in self.rest]}

    @classmethod
    def from_payload(cls, answer_id: str, payload: dict[str, Any]) -> AnswerRecord | None:
        """The record, or None for a payload this version cannot read."""
        try:
            raw = payload.get("answer")
            return cls(answer_id, int(payload["chat_id"]), str(payload.get("question", "")),
                       [str(c) for c in payload.get("chunk_ids", [])], int(payload.get("message_id", 0)),
                       {str(k): str(v) for k, v in dict(payload.get("votes", {})).items()},
                       Answer.model_validate(raw) if raw is not None else None,
                       [Passage.model_validate(p) for p in payload.get("rest", [])])
        except (KeyError, TypeError, ValueError, ValidationError) as exc:
            log.warning("answer %s: stored payload unreadable (%s)", answer_id, type(exc).__name__)
            return None


class AnswerBook:
    """Answer records in SQLite; each chat's latest answer id in memory (for ``/more``)."""

    def __init__(self, store: StateStore, retention_s: float) -> None:
        self.store = store
        self.retention_s = retention_s
        self._latest: OrderedDict[int, str] = OrderedDict()
        self._lock = threading.Lock()

    def new(self, chat_id: int) -> AnswerRecord:
        return AnswerRecord(secrets.token_urlsafe(9), chat_id)

    def save(self, record: AnswerRecord) -> None:
        self.store.save_answer(record.answer_id, record.payload())

    def get(self, answer_id: str) -> AnswerRecord | Expired | None:
        found = self.store.load_answer(answer_id, self.retention_s)
        if found is None or isinstance(found, Expired):
            return found
        return AnswerRecord.from_payload(answer_id, found)

    def set_message_id(self, answer_id: str, message_id: int) -> None:
        """Record which message carries the answer's vote buttons (re-read, so a press meanwhile is kept)."""
        with self._lock:
            found = self.get(answer_id)
            if isinstance(found, AnswerRecord):
                found.message_id = message_id
                self.save(found)

    def next_page(self, answer_id: str, k: int) -> tuple[AnswerRecord, list[Passage]] | Expired | None:
        """The record and its next ``k`` passages (removed from what remains, and saved)."""
        with self._lock:
            found = self.get(answer_id)
            if not isinstance(found, AnswerRecord):
                return found
            page, found.rest = found.rest[:k], found.rest[k:]
            if page:
                self.save(found)
            return found, page

    def vote(self, answer_id: str, user_hash: str, vote: str) -> tuple[str, AnswerRecord | None]:
        """Record ``vote`` (one per user per answer: a new one replaces the old); ``(VOTED | ALREADY, record)``,
        or ``(EXPIRED | UNKNOWN, None)``."""
        with self._lock:
            found = self.get(answer_id)
            if not isinstance(found, AnswerRecord):
                return (EXPIRED if isinstance(found, Expired) else UNKNOWN), None
            if found.votes.get(user_hash) == vote:
                return ALREADY, found
            found.votes[user_hash] = vote
            self.save(found)
            self.store.record_vote(answer_id, user_hash, vote, found.question, chunk_ids=found.chunk_ids)
            return VOTED, found

    def mark_latest(self, record: AnswerRecord) -> None:
        with self._lock:
            self._latest[record.chat_id] = record.answer_id
            self._latest.move_to_end(record.chat_id)
            while len(self._latest) > MAX_CHATS:
                self._latest.popitem(last=False)

    def latest(self, chat_id: int) -> str | None:
        """The id of the chat's latest answer since the bot started, or None."""
        with self._lock:
            return self._latest.get(chat_id)


def more_reply(record: AnswerRecord | None, page: list[Passage], lang: str | None) -> Reply:
    """The reply showing ``page`` (the next passages of ``record``'s answer), or "no more passages"."""
    if record is None or record.answer is None or not page:
        return Reply(Kind.NO_MORE, language=interface_language(lang))
    answer = record.answer.model_copy(update={"results": page, "more": record.rest})
    return Reply(Kind.MORE, answer=answer, language=interface_language(lang, record.answer.language))

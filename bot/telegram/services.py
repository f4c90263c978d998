"""What the Telegram handlers share: settings, the conversation core, limits, feedback, and the answers
that buttons refer to (kept in memory, bounded)."""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock

from telegram.ext import ContextTypes

from bot.conversation import Conversation
from bot.settings import Settings
from bot.telegram.feedback import FeedbackLog
from bot.telegram.ratelimit import UserRateLimiter

MAX_ANSWERS = 20_000
KEY = "wayhome"


@dataclass
class AnswerRecord:
    """One answer the bot sent: its conversation key (for "More passages") and what feedback needs."""

    answer_id: str
    chat_id: int
    question: str = ""
    chunk_ids: list[str] = field(default_factory=list)
    message_id: int = 0
    votes: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"tg:{self.answer_id}"


class AnswerRegistry:
    """Answers by id (short random ids fit Telegram's 64-byte callback data) and each chat's latest."""

    def __init__(self, limit: int = MAX_ANSWERS) -> None:
        self.limit = limit
        self._answers: OrderedDict[str, AnswerRecord] = OrderedDict()
        self._latest: OrderedDict[int, str] = OrderedDict()
        self._lock = Lock()

    def new(self, chat_id: int) -> AnswerRecord:
        record = AnswerRecord(secrets.token_urlsafe(9), chat_id)
        with self._lock:
            self._answers[record.answer_id] = record
            while len(self._answers) > self.limit:
                self._answers.popitem(last=False)
        return record

    def get(self, answer_id: str) -> AnswerRecord | None:
        with self._lock:
            return self._answers.get(answer_id)

    def mark_latest(self, record: AnswerRecord) -> None:
        with self._lock:
            self._latest[record.chat_id] = record.answer_id
            self._latest.move_to_end(record.chat_id)
            while len(self._latest) > self.limit:
                self._latest.popitem(last=False)

    def latest(self, chat_id: int) -> AnswerRecord | None:
        with self._lock:
            answer_id = self._latest.get(chat_id)
            return self._answers.get(answer_id) if answer_id else None


@dataclass
class Services:
    """Everything a handler needs, stored once in ``application.bot_data``."""

    settings: Settings
    conversation: Conversation
    limiter: UserRateLimiter
    feedback: FeedbackLog
    registry: AnswerRegistry = field(default_factory=AnswerRegistry)


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    found: Services = context.bot_data[KEY]
    return found

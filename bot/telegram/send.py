"""Sending replies: Telegram HTML with link previews off, as a reply to the question; network errors retried
with backoff; a message Telegram cannot parse is sent again as plain text.

Forum topics: ``follow_topic`` (run first for every update) remembers the topic the update came from in a
context variable, and every message sent while handling that update — each part of a long answer, notices,
the error message — goes to the same topic (``message_thread_id``), never to "General"."""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Bot, ForceReply, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import ContextTypes

from bot.render.telegram_html import visible

log = logging.getLogger(__name__)
T = TypeVar("T")
ReplyMarkup = InlineKeyboardMarkup | ForceReply
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)
FALLBACK_ERRORS = ("can't parse entities", "can't find end tag", "unsupported start tag", "entities_too_long")
# The forum topic of the update being handled (None outside topics); each update runs in its own task.
TOPIC: contextvars.ContextVar[int | None] = contextvars.ContextVar("wayhome_topic", default=None)


def topic_of(message: Message | None) -> int | None:
    """The forum topic a message belongs to (None for messages outside topics)."""
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id


async def follow_topic(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remember the update's topic for everything sent while handling it (a handler in group -1)."""
    TOPIC.set(topic_of(update.effective_message) if isinstance(update, Update) else None)


def _retryable(exc: NetworkError) -> bool:
    """Connection failures are safe to retry; a read timeout may mean the message was sent already."""
    if isinstance(exc, BadRequest):
        return False
    if isinstance(exc, TimedOut):
        return "pool timeout" in str(exc).lower() or "connect" in str(exc).lower()
    return True


async def with_retries(call: Callable[[], Awaitable[T]], what: str) -> T:
    """Await ``call()``, retrying network errors with exponential backoff."""
    for delay in RETRY_DELAYS:
        try:
            return await call()
        except NetworkError as exc:
            if not _retryable(exc):
                raise
            log.warning("%s failed (%s: %s); retrying in %.1f s", what, type(exc).__name__, exc, delay)
            await asyncio.sleep(delay)
    return await call()


def is_parse_error(exc: BadRequest) -> bool:
    return any(marker in exc.message.lower() for marker in FALLBACK_ERRORS)


async def send_html(bot: Bot, chat_id: int, html: str, reply_to: int | None = None,
                    markup: ReplyMarkup | None = None) -> Message:
    """One HTML message (reply to ``reply_to`` when given, in the update's forum topic); plain text if Telegram
    rejects the HTML."""
    reply = ReplyParameters(message_id=reply_to, allow_sending_without_reply=True) if reply_to else None
    topic = TOPIC.get()

    async def send(text: str, parse_mode: str | None) -> Message:
        return await with_retries(lambda: bot.send_message(
            chat_id, text, parse_mode=parse_mode, link_preview_options=NO_PREVIEW, reply_parameters=reply,
            reply_markup=markup, message_thread_id=topic), "sendMessage")

    try:
        return await send(html, ParseMode.HTML)
    except BadRequest as exc:
        if not is_parse_error(exc):
            raise
        log.warning("Telegram refused the HTML of a reply (%s); sending it as plain text", exc.message)
        return await send(visible(html), None)


async def send_all(bot: Bot, chat_id: int, messages: list[str], reply_to: int | None = None,
                   markup: ReplyMarkup | None = None) -> list[Message]:
    """Several messages in order: the first replies to the question, the last carries the buttons."""
    sent: list[Message] = []
    for i, html in enumerate(messages):
        last = i == len(messages) - 1
        sent.append(await send_html(bot, chat_id, html, reply_to if i == 0 else None, markup if last else None))
    return sent

"""Group chat rules: the bot answers /ask, messages that mention it, and replies to it that read as a question
(or answer its "Your question…" prompt); "thanks", stickers and people talking to each other get nothing."""

from __future__ import annotations

import re

from telegram import Message, MessageEntity
from telegram.ext import filters

from bot import messages
from bot.text.language import SUPPORTED
from bot.text.question_form import reads_as_question

PROMPTS = frozenset(messages.get(lang).ASK_PROMPT for lang in SUPPORTED)  # the /ask prompt, any language


class MentionsBot(filters.MessageFilter):
    """Messages (or photo captions) with an @mention of this bot (or a text mention of its user)."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        wanted = f"@{bot.username}".lower()
        kinds: list[str | None] = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
        found = message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
        for entity, text in found.items():
            if entity.type == MessageEntity.MENTION and text.lower() == wanted:
                return True
            if entity.user is not None and entity.user.id == bot.id:
                return True
        return False


class RepliesToBot(filters.MessageFilter):
    """Replies to one of the bot's own messages."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return bool(replied and replied.from_user and replied.from_user.id == message.get_bot().id)


class AsksBot(filters.MessageFilter):
    """A reply to the bot that reads as a question (text or photo caption), or any reply to its /ask prompt."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        if not (replied and replied.from_user and replied.from_user.id == message.get_bot().id):
            return False
        text = message.text or message.caption or ""
        return bool(text.strip()) and (reads_as_question(text) or (replied.text or "") in PROMPTS)


class CommandForBot(filters.MessageFilter):
    """A command addressed to this bot by name (``/foo@ThisBot``)."""

    def filter(self, message: Message) -> bool:
        first = (message.text or "").split(maxsplit=1)[:1]
        return bool(first) and first[0].lower().endswith(f"@{message.get_bot().username}".lower())


def strip_mention(text: str, username: str) -> str:
    """The question without the bot's @username."""
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()

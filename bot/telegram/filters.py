"""Group chat rules: the bot answers messages that mention it or reply to it (plus /ask), nothing else."""

from __future__ import annotations

import re

from telegram import Message, MessageEntity
from telegram.ext import filters


class MentionsBot(filters.MessageFilter):
    """Messages with an @mention of this bot (or a text mention of its user)."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        wanted = f"@{bot.username}".lower()
        for entity, text in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
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


class CommandForBot(filters.MessageFilter):
    """A command addressed to this bot by name (``/foo@ThisBot``)."""

    def filter(self, message: Message) -> bool:
        first = (message.text or "").split(maxsplit=1)[:1]
        return bool(first) and first[0].lower().endswith(f"@{message.get_bot().username}".lower())


def strip_mention(text: str, username: str) -> str:
    """The question without the bot's @username."""
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()

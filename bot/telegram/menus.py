"""What a user sees of the bot around a conversation: its description (shown before pressing Start), its short
description (profile page, shared links), and the command menu of each scope — private chats, groups, and the
admins' own chats (with ``/add`` and ``/stats``) — each in English (the default) and Russian.

Takes: the bot and the admins' ids. Gives: ``register_menus`` (run at start-up; a server that refuses a call is
only worth a warning) and ``menu_calls`` (every command menu as (commands, scope, language), for tests).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import TelegramError

from bot import messages

log = logging.getLogger(__name__)
LANGUAGES: tuple[str | None, ...] = (None, "ru")  # None: the default, for every other client language
# Admin commands are for the people running the bot: English in every menu, like their replies.
ADMIN_COMMANDS = (("add", "Add news pages by URL (admins)"), ("stats", "Corpus, questions and votes (admins)"))


def _commands(pairs: tuple[tuple[str, str], ...]) -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in pairs]


def menu_calls(admin_ids: frozenset[int]) -> list[tuple[list[BotCommand], BotCommandScope, str | None]]:
    """Every command menu to register: private chats, groups, and each admin's private chat, per language."""
    calls: list[tuple[list[BotCommand], BotCommandScope, str | None]] = []
    for lang in LANGUAGES:
        words = messages.get(lang)
        calls.append((_commands(words.COMMANDS), BotCommandScopeAllPrivateChats(), lang))
        calls.append((_commands(words.GROUP_COMMANDS), BotCommandScopeAllGroupChats(), lang))
        calls += [(_commands(words.COMMANDS + ADMIN_COMMANDS), BotCommandScopeChat(admin), lang)
                  for admin in sorted(admin_ids)]
    return calls


async def register_menus(bot: Bot, admin_ids: frozenset[int]) -> None:
    """Descriptions and command menus, in every language; each refusal is logged and skipped."""
    for lang in LANGUAGES:
        words = messages.get(lang)
        await _try(bot.set_my_description(words.DESCRIPTION, language_code=lang), "description", lang)
        await _try(bot.set_my_short_description(words.SHORT_DESCRIPTION, language_code=lang), "short description",
                   lang)
    for commands, scope, lang in menu_calls(admin_ids):
        await _try(bot.set_my_commands(commands, scope=scope, language_code=lang), f"{scope.type} command menu",
                   lang)


async def _try(call: Awaitable[object], what: str, lang: str | None) -> None:
    try:
        await call
    except TelegramError as exc:
        log.warning("Could not register the %s %s (%s); continuing without it", lang or "default", what, exc)

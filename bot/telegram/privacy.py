"""``/privacy`` and ``/forget``: what the bot keeps, and deleting everything linked to the person asking.

Takes: the update and the shared services. Gives: ``privacy_text`` (the words, in the user's language, with the
retention and whether question texts are kept) and the two command handlers. ``/forget`` runs every per-user
deleter of the state database (``bot.state.FORGETTERS``: votes, the /language choice, /subscribe), drops
the in-memory language choice and the chat's /more memory, then confirms (it
counts against the per-user limit like a question: a flood of them would only load the database).
"""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ContextTypes

from bot import messages
from bot.render.telegram_html import esc
from bot.settings import Settings
from bot.telegram.handlers import allowed
from bot.telegram.language_choice import language_of, user_key
from bot.telegram.send import send_html
from bot.telegram.services import services
from bot.text.language import interface_language


def privacy_text(settings: Settings, lang: str) -> str:
    """What ``/privacy`` says, as Telegram HTML."""
    words = messages.get(lang)
    lines = list(words.PRIVACY_LINES)
    lines.insert(1, words.retention_line(settings.answer_retention_days))
    if settings.keep_questions:
        lines.insert(1, words.PRIVACY_KEPT_QUESTIONS)
    return f"<b>{esc(words.PRIVACY_TITLE)}</b>\n\n" + "\n\n".join(f"• {esc(line)}" if not line.startswith("/")
                                                                 else esc(line) for line in lines)


async def privacy_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/privacy: exactly what is stored, for how long, and who can see it."""
    message = update.effective_message
    if message is None:
        return
    lang = interface_language(language_of(context, update.effective_user))
    await send_html(context.bot, message.chat_id, privacy_text(services(context).settings, lang), message.message_id)


async def forget_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/forget: delete everything linked to this user, then confirm."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    lang = language_of(context, user)  # the confirmation still speaks the language chosen before
    if not await allowed(context, message.chat_id, user.id, message.message_id, lang):
        return
    svc = services(context)
    await asyncio.to_thread(svc.state.forget, user.id, message.chat_id)
    await asyncio.to_thread(svc.languages.delete_user, user_key(context, user.id))  # and its in-memory copy
    svc.conversation.forget(message.chat_id)
    words = messages.get(interface_language(lang))
    await send_html(context.bot, message.chat_id, esc(words.FORGOTTEN), message.message_id)

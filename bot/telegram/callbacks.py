"""Button presses: example questions, "More passages", and 👍/👎 feedback (acknowledged in the user's
language, else the language of the question the answer was for)."""

from __future__ import annotations

import asyncio
import contextlib

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.messages import Texts
from bot.messages import get as texts_in
from bot.telegram.answers import ALREADY, VOTED
from bot.telegram.feedback import VOTES, user_hash
from bot.telegram.handlers import answer, show_more
from bot.telegram.keyboards import ASK, MORE, VOTE, answer_keyboard, parse
from bot.telegram.services import services
from bot.text.language import interface_language


def words_for(language_code: str | None, question_language: str = "en") -> Texts:
    """The bot's words for the user pressing a button (for an answer: else in its question's language)."""
    return texts_in(interface_language(language_code, question_language))


def has_more_button(markup: InlineKeyboardMarkup | None) -> bool:
    """Whether a message's keyboard still offers "More passages"."""
    if markup is None:
        return False
    return any(str(button.callback_data or "").startswith(f"{MORE}:")
               for row in markup.inline_keyboard for button in row)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Dispatch a button press by the verb in its callback data."""
    query = update.callback_query
    if query is None:
        return
    code = query.from_user.language_code
    if not isinstance(query.message, Message):  # a message too old to be accessible
        await query.answer(words_for(code).EXPIRED)
        return
    parts = parse(query.data)
    verb = parts[0] if parts else ""
    examples = words_for(code).EXAMPLES  # as /start showed them to this user
    if verb == ASK and len(parts) == 2 and parts[1].isdigit() and int(parts[1]) < len(examples):
        await query.answer()
        await answer(context, query.message.chat_id, query.from_user.id, examples[int(parts[1])],
                     query.message.message_id, code)
    elif verb == MORE and len(parts) == 2:
        await on_more(update, context, parts[1])
    elif verb == VOTE and len(parts) == 3 and parts[2] in VOTES:
        await on_vote(update, context, parts[1], parts[2])
    else:
        await query.answer()


async def on_more(update: Update, context: ContextTypes.DEFAULT_TYPE, answer_id: str) -> None:
    """"More passages": reply with the next ones, and take the button off the message that was pressed."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    svc = services(context)
    found = await asyncio.to_thread(svc.answers.next_page, answer_id, svc.settings.top_k)
    if not isinstance(found, tuple):  # older than WAYHOME_ANSWER_RETENTION_DAYS, or unknown
        await query.answer(words_for(query.from_user.language_code).EXPIRED)
        return
    record, page = found
    await query.answer()
    message = query.message
    await show_more(context, record, page, message.chat_id, message.message_id, query.from_user.language_code)
    with contextlib.suppress(TelegramError):
        await message.edit_reply_markup(answer_keyboard(answer_id, False, message.message_id == record.message_id))


async def on_vote(update: Update, context: ContextTypes.DEFAULT_TYPE, answer_id: str, vote: str) -> None:
    """👍/👎: record the vote (salted user hash, never the id) and tick the chosen button."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    svc = services(context)
    who = user_hash(query.from_user.id, svc.salt)
    outcome, record = await asyncio.to_thread(svc.answers.vote, answer_id, who, vote)
    words = words_for(query.from_user.language_code, record.answer.language if record and record.answer else "en")
    if outcome != VOTED:
        await query.answer(words.ALREADY if outcome == ALREADY else words.EXPIRED)
        return
    await query.answer(words.THANKS)
    message = query.message
    with contextlib.suppress(TelegramError):
        await message.edit_reply_markup(answer_keyboard(answer_id, has_more_button(message.reply_markup), True,
                                                        voted=vote, lang=words.lang))

"""Button presses: example questions, "More passages", and 👍/👎 feedback (acknowledged in the user's
language, else the language of the question the answer was for)."""

from __future__ import annotations

import asyncio
import contextlib

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.messages import Texts
from bot.messages import get as texts_in
from bot.state import VOTED, VOTES
from bot.state.answers import Pending
from bot.telegram.handlers import answer, show_more
from bot.telegram.keyboards import ASK, MORE, VOTE, answer_keyboard, parse
from bot.telegram.services import services
from bot.text.language import interface_language


def words_for(language_code: str | None, answer_language: str = "en") -> Texts:
    """The bot's words for the user pressing a button (for an answer: else in its question's language)."""
    return texts_in(interface_language(language_code, answer_language))


def _buttons(markup: InlineKeyboardMarkup | None) -> list[InlineKeyboardButton]:
    return [button for row in markup.inline_keyboard for button in row] if markup is not None else []


def has_more_button(markup: InlineKeyboardMarkup | None) -> bool:
    """Whether a message's keyboard still offers "More passages"."""
    return any(str(button.callback_data or "").startswith(f"{MORE}:") for button in _buttons(markup))


def has_vote_buttons(markup: InlineKeyboardMarkup | None) -> bool:
    """Whether a message's keyboard carries 👍/👎 (the answer's own message, not a later page)."""
    return any(str(button.callback_data or "").startswith(f"{VOTE}:") for button in _buttons(markup))


def voted_in(markup: InlineKeyboardMarkup | None) -> str:
    """The vote ticked on a message's keyboard ("up", "down"), or ""."""
    ticked = [str(b.callback_data) for b in _buttons(markup) if b.text.endswith("✓") and b.callback_data]
    return ticked[0].rsplit(":", 1)[-1] if ticked else ""


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
    reply = await asyncio.to_thread(services(context).conversation.more_of, answer_id, query.from_user.language_code)
    if reply is None:  # older than WAYHOME_ANSWER_RETENTION_DAYS, or unknown
        await query.answer(words_for(query.from_user.language_code).EXPIRED)
        return
    await query.answer()
    message = query.message
    await show_more(context, reply, message.chat_id, message.message_id)
    with contextlib.suppress(TelegramError):
        await message.edit_reply_markup(answer_keyboard(answer_id, False, has_vote_buttons(message.reply_markup),
                                                        voted=voted_in(message.reply_markup), lang=reply.language))


async def on_vote(update: Update, context: ContextTypes.DEFAULT_TYPE, answer_id: str, vote: str) -> None:
    """👍/👎: record the vote (under a keyed hash of the user and the answer, never the id) and tick the chosen
    button."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    svc = services(context)
    found = await asyncio.to_thread(svc.conversation.shelf.get, answer_id)
    code = query.from_user.language_code
    if not isinstance(found, Pending):
        await query.answer(words_for(code).EXPIRED)
        return
    outcome = await asyncio.to_thread(svc.state.record_vote, answer_id, query.from_user.id, vote, found.language,
                                      found.shown)
    words = words_for(code, found.language)
    if outcome != VOTED:
        await query.answer(words.ALREADY)
        return
    await query.answer(words.THANKS)
    message = query.message
    with contextlib.suppress(TelegramError):
        await message.edit_reply_markup(answer_keyboard(answer_id, has_more_button(message.reply_markup), True,
                                                        voted=vote, lang=words.lang))

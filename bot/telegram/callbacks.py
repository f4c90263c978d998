"""Button presses: example questions, "More passages", and 👍/👎 feedback."""

from __future__ import annotations

import asyncio
import contextlib

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.telegram.feedback import VOTES, user_hash
from bot.telegram.handlers import answer, show_more
from bot.telegram.keyboards import ASK, MORE, VOTE, answer_keyboard, parse
from bot.telegram.services import services
from bot.texts import EXAMPLES

THANKS = "Thanks for your feedback."
ALREADY = "Your vote is already noted."
EXPIRED = "This answer is too old for buttons; please ask again."


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
    if not isinstance(query.message, Message):  # a message too old to be accessible
        await query.answer(EXPIRED)
        return
    parts = parse(query.data)
    verb = parts[0] if parts else ""
    if verb == ASK and len(parts) == 2 and parts[1].isdigit() and int(parts[1]) < len(EXAMPLES):
        await query.answer()
        await answer(context, query.message.chat_id, query.from_user.id, EXAMPLES[int(parts[1])],
                     query.message.message_id)
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
    record = services(context).registry.get(answer_id)
    if record is None:
        await query.answer(EXPIRED)
        return
    await query.answer()
    message = query.message
    await show_more(context, record, message.chat_id, message.message_id)
    with contextlib.suppress(TelegramError):
        await message.edit_reply_markup(answer_keyboard(answer_id, False, message.message_id == record.message_id))


async def on_vote(update: Update, context: ContextTypes.DEFAULT_TYPE, answer_id: str, vote: str) -> None:
    """👍/👎: append to the feedback log (salted user hash, never the id) and tick the chosen button."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    svc = services(context)
    record = svc.registry.get(answer_id)
    if record is None:
        await query.answer(EXPIRED)
        return
    who = user_hash(query.from_user.id, svc.feedback.salt)
    if record.votes.get(who) == vote:
        await query.answer(ALREADY)
        return
    record.votes[who] = vote
    await asyncio.to_thread(svc.feedback.record, record.answer_id, record.question, record.chunk_ids, vote,
                            query.from_user.id)
    await query.answer(THANKS)
    message = query.message
    with contextlib.suppress(TelegramError):
        await message.edit_reply_markup(answer_keyboard(answer_id, has_more_button(message.reply_markup), True,
                                                        voted=vote))

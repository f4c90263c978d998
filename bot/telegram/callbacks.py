"""Button presses: example questions (asked in the button's language), "More passages" (in the language of
the answer it continues), and 👍/👎 feedback (acknowledged in the user's language, else the language of the
question the answer was for)."""

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
from bot.telegram.language_choice import LANG, language_of, on_language
from bot.telegram.listings import LATEST, SOURCES, on_page
from bot.telegram.services import services
from bot.text.language import SUPPORTED, interface_language


def words_for(language_code: str | None, answer_language: str = "en") -> Texts:
    """The bot's words for the user pressing a button (for an answer: else in its question's language)."""
    return texts_in(interface_language(language_code, answer_language))


def _buttons(markup: InlineKeyboardMarkup | None) -> list[InlineKeyboardButton]:
    return [button for row in markup.inline_keyboard for button in row] if markup is not None else []


def more_button_language(markup: InlineKeyboardMarkup | None) -> str | None:
    """The language of the "More passages" button a message's keyboard still offers (None: no such button)."""
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            parts = parse(str(button.callback_data or ""))
            if parts[:1] == [MORE]:
                return parts[2] if len(parts) > 2 else "en"
    return None


def more_row(markup: InlineKeyboardMarkup | None) -> list[InlineKeyboardButton] | None:
    """The row holding a message's "More passages" button, as it is (None: no such button)."""
    for row in markup.inline_keyboard if markup else ():
        if any(parse(str(button.callback_data or ""))[:1] == [MORE] for button in row):
            return list(row)
    return None


def shared_question(markup: InlineKeyboardMarkup | None) -> str:
    """The question a message's "Share this answer" button carries ("" without one): the state keeps no
    question, so a redrawn keyboard takes it from the button it replaces."""
    for button in _buttons(markup):
        if button.switch_inline_query_chosen_chat is not None:
            return button.switch_inline_query_chosen_chat.query or ""
    return ""


def keyboard_language(markup: InlineKeyboardMarkup | None) -> str | None:
    """The language an answer's keyboard is in: its "More passages" button's, else its "Share" label's."""
    labels = {button.text for row in (markup.inline_keyboard if markup else ()) for button in row}
    return more_button_language(markup) or next(
        (lang for lang in SUPPORTED if texts_in(lang).SHARE_BUTTON in labels), None)


def example_asked(parts: list[str], code: str | None) -> tuple[str, str] | None:
    """``ask:LANG:I`` (or an older ``ask:I``, in the presser's language) → (the example question, its
    language); None for data that names no example."""
    lang, index = (parts[1], parts[2]) if len(parts) == 3 else (interface_language(code), parts[-1])
    examples = texts_in(lang).EXAMPLES
    if lang not in SUPPORTED or not index.isdigit() or int(index) >= len(examples):
        return None
    return examples[int(index)], lang


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
    code = language_of(context, query.from_user)
    if not isinstance(query.message, Message):  # a message too old to be accessible
        await query.answer(words_for(code).EXPIRED)
        return
    parts = parse(query.data)
    verb = parts[0] if parts else ""
    example = example_asked(parts, code) if verb == ASK and len(parts) in (2, 3) else None
    if example is not None:
        await query.answer()
        await answer(context, query.message.chat_id, query.from_user.id, example[0], query.message.message_id,
                     example[1])
    elif verb == MORE and len(parts) in (2, 3, 4):
        total = int(parts[3]) if len(parts) == 4 and parts[3].isdigit() else None
        await on_more(update, context, parts[1], parts[2] if len(parts) >= 3 else code, total)
    elif verb == VOTE and len(parts) == 3 and parts[2] in VOTES:
        await on_vote(update, context, parts[1], parts[2])
    elif verb == LANG and len(parts) == 2:
        await on_language(update, context, parts[1])
    elif verb in (SOURCES, LATEST):
        await on_page(update, context, (query.data or "").split(":", 2))
    else:
        await query.answer()


async def on_more(update: Update, context: ContextTypes.DEFAULT_TYPE, answer_id: str, lang: str | None,
                  total: int | None = None) -> None:
    """"More passages": reply with the next ones (in ``lang``, the answer's language), and take the button off
    the message that was pressed."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    svc = services(context)
    reply = await svc.search(svc.conversation.more_of, answer_id, lang)
    if reply is None:  # older than WAYHOME_ANSWER_RETENTION_DAYS, or unknown
        await query.answer(words_for(language_of(context, query.from_user)).EXPIRED)
        return
    await query.answer()
    message = query.message
    await show_more(context, reply, message.chat_id, message.message_id, total)
    with contextlib.suppress(TelegramError):
        markup = message.reply_markup
        await message.edit_reply_markup(answer_keyboard(answer_id, False, has_vote_buttons(markup),
                                                        voted=voted_in(markup), lang=reply.language,
                                                        share=shared_question(markup)))


async def on_vote(update: Update, context: ContextTypes.DEFAULT_TYPE, answer_id: str, vote: str) -> None:
    """👍/👎: record the vote (under a keyed hash of the user and the answer, never the id) and tick the chosen
    button."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    svc = services(context)
    found = await asyncio.to_thread(svc.conversation.shelf.get, answer_id)
    code = language_of(context, query.from_user)
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
        lang = keyboard_language(message.reply_markup) or words.lang
        await message.edit_reply_markup(answer_keyboard(answer_id, False, True, voted=vote, lang=lang,
                                                        share=shared_question(message.reply_markup),
                                                        more_row=more_row(message.reply_markup)))

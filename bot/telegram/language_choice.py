"""``/language``: each user picks the language the bot speaks with them — English, Russian, or the language of
their Telegram app — with inline buttons. The choice is kept in the state file under a keyed hash of the user
id (``bot.state.languages``), and wins over the app's ``language_code`` everywhere: replies, buttons, inline
mode, the group greeting.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.ext import ContextTypes

from bot import messages
from bot.render.telegram_html import esc
from bot.state.forget import LANGUAGE_SCOPE
from bot.telegram.send import send_html
from bot.telegram.services import services
from bot.text.language import SUPPORTED, interface_language

LANG = "lang"
AUTO = "auto"


def user_key(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> str:
    """The key a user's language choice is stored under: a keyed hash under the state key, never the id (the
    one ``/forget``'s deleter for ``user_languages`` computes)."""
    return services(context).state.user_key(LANGUAGE_SCOPE, user_id)


def language_of(context: ContextTypes.DEFAULT_TYPE, user: User | None) -> str | None:
    """The user's language: their /language choice, else their Telegram app's (None when neither is known)."""
    if user is None:
        return None
    return services(context).languages.get(user_key(context, user.id)) or user.language_code


def language_keyboard(current: str | None, lang: str) -> InlineKeyboardMarkup:
    """One button per language (each named in itself) and "same as my Telegram app"; the current one ticked."""
    tick = {code: " ✓" if code == (current or AUTO) else "" for code in (*SUPPORTED, AUTO)}
    rows = [[InlineKeyboardButton(messages.LANGUAGE_NAMES[code] + tick[code], callback_data=f"{LANG}:{code}")]
            for code in SUPPORTED]
    rows.append([InlineKeyboardButton(messages.get(lang).LANGUAGE_AUTO + tick[AUTO], callback_data=f"{LANG}:{AUTO}")])
    return InlineKeyboardMarkup(rows)


async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/language: ask which language, with the choices as buttons."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    current = services(context).languages.get(user_key(context, user.id))
    lang = interface_language(current or user.language_code)
    await send_html(context.bot, message.chat_id, esc(messages.get(lang).LANGUAGE_PROMPT), message.message_id,
                    language_keyboard(current, lang))


async def on_language(update: Update, context: ContextTypes.DEFAULT_TYPE, choice: str) -> None:
    """A language button: remember the choice and say so, in the language now chosen."""
    query = update.callback_query
    if query is None or choice not in (*SUPPORTED, AUTO):
        return
    chosen = None if choice == AUTO else choice
    services(context).languages.set(user_key(context, query.from_user.id), chosen)
    words = messages.get(interface_language(chosen or query.from_user.language_code))
    said = words.LANGUAGE_AUTO_SET if chosen is None else words.LANGUAGE_SET
    await query.answer(said)
    if isinstance(query.message, Message):
        await query.message.edit_text(esc(said), parse_mode="HTML",
                                      reply_markup=language_keyboard(chosen, words.lang))

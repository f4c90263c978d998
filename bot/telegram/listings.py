"""``/sources [publisher]`` and ``/latest``: the articles a page at a time, with ‹ Back / Next › buttons that
turn the page in place (the message is edited). ``/sources`` lists by publisher and takes part of a publisher's
name as a filter (``/sources DW``); ``/latest`` lists the newest articles and posts first. Both in the user's
language (the quotes' metadata as the articles state it).

Callback data: ``src:PAGE:FILTER`` (the filter cut to fit Telegram's 64 bytes) and ``new:PAGE``.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import messages
from bot.render.listing import by_publisher, catalogue_order, listing_page, newest_first, page_count
from bot.render.telegram_html import esc
from bot.telegram.language_choice import language_of
from bot.telegram.send import NO_PREVIEW, send_html
from bot.telegram.services import services
from bot.text.language import interface_language

SOURCES, LATEST = "src", "new"
MAX_CALLBACK_BYTES = 64


def _fit(prefix: str, text: str) -> str:
    """``prefix + text`` cut (by characters) to Telegram's 64 bytes of callback data."""
    data = prefix + text
    while len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        data = data[:-1]
    return data


def page_keyboard(kind: str, page: int, pages: int, query: str, lang: str) -> InlineKeyboardMarkup | None:
    """‹ Back / Next › for page ``page`` of ``pages`` (None when there is only one)."""
    if pages <= 1:
        return None
    words = messages.get(lang)
    row = []
    for target, label in ((page - 1, words.PREVIOUS), (page + 1, words.NEXT)):
        if 0 <= target < pages:
            data = _fit(f"{SOURCES}:{target}:", query) if kind == SOURCES else f"{LATEST}:{target}"
            row.append(InlineKeyboardButton(label, callback_data=data))
    return InlineKeyboardMarkup([row])


def render_listing(context: ContextTypes.DEFAULT_TYPE, kind: str, page: int, query: str,
                   lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """The HTML of one page and its buttons."""
    words = messages.get(lang)
    everything = services(context).conversation.engine.sources()
    if kind == LATEST:
        found, title = newest_first(everything), words.LATEST_TITLE
    else:
        found = catalogue_order(by_publisher(everything, query))
        if not found:
            return esc(words.NO_SOURCES_FROM.format(publisher=query.strip())), None
        named = {s.publisher for s in found}  # one publisher: its name as the articles spell it
        shown = named.pop() if len(named) == 1 else query.strip()
        title = words.SOURCES_FROM.format(publisher=shown) if query.strip() else words.SOURCES_TITLE
    pages = page_count(len(found))
    page = min(max(page, 0), pages - 1)
    return listing_page(title, found, page, lang), page_keyboard(kind, page, pages, query.strip(), lang)


async def _send_first_page(update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str, query: str) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = interface_language(language_of(context, update.effective_user))
    html, markup = render_listing(context, kind, 0, query, lang)
    await send_html(context.bot, message.chat_id, html, message.message_id, markup)


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sources [publisher]: the articles by publisher, a page at a time."""
    await _send_first_page(update, context, SOURCES, " ".join(context.args or []))


async def latest_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/latest: the newest articles and posts first, a page at a time."""
    await _send_first_page(update, context, LATEST, "")


async def on_page(update: Update, context: ContextTypes.DEFAULT_TYPE, parts: list[str]) -> None:
    """‹ Back / Next ›: show that page in the same message, in the presser's language."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    if not isinstance(query.message, Message) or len(parts) < 2 or not parts[1].isdigit():
        return
    lang = interface_language(language_of(context, query.from_user))
    filter_text = parts[2] if parts[0] == SOURCES and len(parts) > 2 else ""
    html, markup = render_listing(context, parts[0], int(parts[1]), filter_text, lang)
    try:
        await query.message.edit_text(html, parse_mode=ParseMode.HTML, reply_markup=markup,
                                      link_preview_options=NO_PREVIEW)
    except BadRequest as exc:  # "message is not modified": pressed twice
        if "not modified" not in exc.message.lower():
            raise

"""Inline mode: ``@bot question`` in any chat offers the top passages, each a quoted passage with its
citation, cached briefly by Telegram. Titles, descriptions, citation labels and the hint button (for an empty
query or nothing found: it opens the private chat on /help) are in the user's language, else the question's."""

from __future__ import annotations

import hashlib
import math

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import messages
from bot.models import Answer
from bot.render import labels
from bot.render.telegram_html import clean, passage_html, shorten
from bot.telegram.deeplinks import ask_link
from bot.telegram.keyboards import HELP_PAYLOAD
from bot.telegram.language_choice import language_of
from bot.telegram.send import NO_PREVIEW
from bot.telegram.services import services
from bot.text.language import interface_language
from bot.text.safe import has_word

CACHE_SECONDS = 60
MAX_RESULTS = 10


def inline_results(answer: Answer, lang: str = "en", link: str | None = None) -> list[InlineQueryResultArticle]:
    """One article per passage: title = source, content = the quoted passage with its citation, and under it
    (when ``link`` is given: a deep link asking the same question) a button that opens the bot on it."""
    if not answer.answered:
        return []
    results = []
    words = messages.get(lang)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(words.OPEN_IN_BOT, url=link)]]) if link else None
    for passage in (answer.results + answer.more)[:MAX_RESULTS]:
        source = passage.source
        title = shorten(clean(f"[{passage.rank}] {labels.shown_title(source, lang)}"), 120)
        byline = clean(labels.byline(source, lang))
        description = shorten(f"{byline} — {clean(passage.highlight or passage.text)}", 200)
        content = InputTextMessageContent(passage_html(passage, lang), parse_mode=ParseMode.HTML,
                                          link_preview_options=NO_PREVIEW)
        result_id = hashlib.sha256(passage.chunk_id.encode("utf-8")).hexdigest()[:32]
        results.append(InlineQueryResultArticle(result_id, title, content, description=description,
                                                reply_markup=markup))
    return results


def hint_button(lang: str, nothing_found: bool, wait_s: float = 0.0) -> InlineQueryResultsButton:
    """Shown above the results: how to ask, that nothing was found, or (``wait_s`` > 0, over inline mode's own
    limit) when to go on typing; opens the private chat on /help."""
    words = messages.get(lang)
    text = words.INLINE_NOTHING if nothing_found else words.INLINE_HINT
    if wait_s > 0:
        text = words.inline_wait(max(1, math.ceil(wait_s)))
    return InlineQueryResultsButton(text, start_parameter=HELP_PAYLOAD)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer an inline query with passages; for an empty query a hint, for a user over inline mode's own limit
    (apart from the questions' limit: every keystroke is a query) a "go on typing in N seconds" button."""
    query = update.inline_query
    if query is None:
        return
    text = query.query.strip()
    svc = services(context)
    code = language_of(context, query.from_user)
    if not text or not has_word(text):
        await query.answer([], cache_time=0, button=hint_button(interface_language(code), False))
        return
    decision = svc.inline_limiter.check(query.from_user.id)
    if not decision.allowed:
        await query.answer([], cache_time=0, button=hint_button(interface_language(code), False, decision.retry_in))
        return
    found = await svc.search(svc.conversation.engine.ask, text, MAX_RESULTS)
    lang = interface_language(code, found.language)
    link = ask_link(context.bot.username, text)
    await query.answer(inline_results(found, lang, link), cache_time=CACHE_SECONDS, is_personal=True,  # per language
                       button=None if found.answered else hint_button(lang, True))

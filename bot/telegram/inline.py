"""Inline mode: ``@bot question`` in any chat offers the top passages, each a quoted passage with its
citation, cached briefly by Telegram. Titles, descriptions, citation labels and the hint button (for an empty
query or nothing found: it opens the private chat on /help) are in the user's language, else the question's."""

from __future__ import annotations

import asyncio
import hashlib

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import messages
from bot.models import Answer
from bot.render import labels
from bot.render.telegram_html import clean, passage_html, shorten
from bot.telegram.keyboards import HELP_PAYLOAD
from bot.telegram.language_choice import language_of
from bot.telegram.send import NO_PREVIEW
from bot.telegram.services import services
from bot.text.language import interface_language
from bot.text.safe import has_word

CACHE_SECONDS = 60
MAX_RESULTS = 10


def inline_results(answer: Answer, lang: str = "en") -> list[InlineQueryResultArticle]:
    """One article per passage: title = source, content = the quoted passage with its citation."""
    if not answer.answered:
        return []
    results = []
    for passage in (answer.results + answer.more)[:MAX_RESULTS]:
        source = passage.source
        title = shorten(clean(f"[{passage.rank}] {labels.shown_title(source, lang)}"), 120)
        byline = clean(labels.byline(source, lang))
        description = shorten(f"{byline} — {clean(passage.highlight or passage.text)}", 200)
        content = InputTextMessageContent(passage_html(passage, lang), parse_mode=ParseMode.HTML,
                                          link_preview_options=NO_PREVIEW)
        result_id = hashlib.sha256(passage.chunk_id.encode("utf-8")).hexdigest()[:32]
        results.append(InlineQueryResultArticle(result_id, title, content, description=description))
    return results


def hint_button(lang: str, nothing_found: bool) -> InlineQueryResultsButton:
    """Shown above the results: how to ask, or that nothing was found; opens the private chat on /help."""
    words = messages.get(lang)
    return InlineQueryResultsButton(words.INLINE_NOTHING if nothing_found else words.INLINE_HINT,
                                    start_parameter=HELP_PAYLOAD)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer an inline query with passages (nothing for an empty query or a user over the limit)."""
    query = update.inline_query
    if query is None:
        return
    text = query.query.strip()
    svc = services(context)
    code = language_of(context, query.from_user)
    if not text or not has_word(text):
        await query.answer([], cache_time=0, button=hint_button(interface_language(code), False))
        return
    if not svc.limiter.check(query.from_user.id).allowed:
        await query.answer([], cache_time=0)
        return
    found = await asyncio.to_thread(svc.conversation.engine.ask, text, MAX_RESULTS)
    lang = interface_language(code, found.language)
    await query.answer(inline_results(found, lang), cache_time=CACHE_SECONDS, is_personal=True,  # per language
                       button=None if found.answered else hint_button(lang, True))

"""``/subscribe`` (opt-in, private chats) and ``/unsubscribe``: after a reload that brings new articles or channel
posts into the index, each subscriber gets one short message listing them (title linked, publisher, date; the
newest first, at most ``MAX_LISTED`` and "and N more: /latest") in the language they subscribed in.

Sent one chat after another, ``BROADCAST_GAP_S`` apart (under Telegram's ~30 messages per second; the
application's rate limiter also retries a 429), in the background so a reload or ``/add`` never waits for it.
A chat that blocked the bot (Forbidden) is removed from the list. Chat ids are kept only in that list
(``bot.state.subscribers``) and never logged.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot import messages
from bot.models import Source
from bot.render.labels import shown_date, shown_publisher
from bot.render.listing import newest_first
from bot.render.telegram_html import esc, link, shorten
from bot.telegram.language_choice import language_of
from bot.telegram.reload import Announce
from bot.telegram.send import send_html
from bot.telegram.services import KEY, Services, services
from bot.text.language import interface_language

log = logging.getLogger(__name__)
MAX_LISTED = 8  # keeps the message well under 4096 characters
BROADCAST_GAP_S = 0.04


def new_articles_html(sources: list[Source], lang: str) -> str:
    """The one message a subscriber gets: the new articles, newest first."""
    words = messages.get(lang)
    ordered = newest_first(sources)
    lines = [f"• {link(s, lang)} — {esc(shorten(shown_publisher(s, lang), 120))}, {esc(shown_date(s, lang))}"
             for s in ordered[:MAX_LISTED]]
    if len(ordered) > MAX_LISTED:
        lines.append(esc(words.and_more(len(ordered) - MAX_LISTED)))
    return "\n".join([f"<b>{esc(words.NEW_ARTICLES)}</b>", *lines])


async def broadcast(application: Application, new: list[Source]) -> int:  # type: ignore[type-arg]
    """Send the list to every subscriber; drop those who blocked the bot. How many got it."""
    svc: Services = application.bot_data[KEY]
    sent = 0
    for chat_id, lang in await asyncio.to_thread(svc.subscribers.all):
        try:
            await send_html(application.bot, chat_id, new_articles_html(new, lang))
            sent += 1
        except Forbidden:
            await asyncio.to_thread(svc.subscribers.remove, chat_id)
            log.info("a subscriber has blocked the bot: removed from the list")
        except TelegramError as exc:
            log.warning("could not send the list of new articles to a subscriber (%s)", exc)
        await asyncio.sleep(BROADCAST_GAP_S)
    log.info("new articles (%d) announced to %d subscribers", len(new), sent)
    return sent


def announcer(application: Application) -> Announce:  # type: ignore[type-arg]
    """What a reload calls with the articles it brought in: the broadcast, started in the background."""
    async def announce(new: list[Source]) -> None:
        application.create_task(broadcast(application, new), name="wayhome-new-articles")
    return announce


async def subscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/subscribe: add this chat to the list, in the user's language, and say what will come."""
    message = update.effective_message
    if message is None:
        return
    lang = interface_language(language_of(context, update.effective_user))
    await asyncio.to_thread(services(context).subscribers.add, message.chat_id, lang)
    await send_html(context.bot, message.chat_id, esc(messages.get(lang).SUBSCRIBED), message.message_id)


async def unsubscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unsubscribe: take this chat off the list."""
    message = update.effective_message
    if message is None:
        return
    lang = interface_language(language_of(context, update.effective_user))
    await asyncio.to_thread(services(context).subscribers.remove, message.chat_id)
    await send_html(context.bot, message.chat_id, esc(messages.get(lang).UNSUBSCRIBED), message.message_id)

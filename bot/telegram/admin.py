"""Admin commands: ``/add URL…`` and ``/stats``, for the Telegram users listed in ``WAYHOME_ADMIN_IDS``.

Takes: the application and settings (``add_admin_handlers``). Gives: two command handlers that only match
messages from admins; from anyone else the commands fall through to the unknown-command reply, exactly like
any command the bot does not know (no hint they exist, and they are not in the command menu). ``/add`` runs the
same code as ``wayhome add`` in a worker thread, then swaps the new index in at once; the reply names each
article added, or why it was not. ``/stats`` counts articles, passages, today's questions (answered / refused,
UTC day) and votes. Replies are English: they are for the people running the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from dataclasses import replace
from pathlib import Path

from telegram import Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.errors import WayhomeError
from bot.models import CorpusStats
from bot.render.labels import added_line
from bot.render.telegram_html import esc, pack_messages
from bot.settings import Settings
from bot.sources.add import AddReport, add_articles
from bot.state import Stats
from bot.telegram.reload import reload_now
from bot.telegram.send import send_all, send_html
from bot.telegram.services import services
from bot.telegram.subscriptions import announcer

ADD_USAGE = "Usage: /add URL [URL…] — adds news pages to the corpus and refreshes the index."


def add_admin_handlers(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Register /add and /stats for admins only (must come before the unknown-command handler)."""
    admins = filters.User(user_id=settings.admin_ids) & filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("add", add_command, filters=admins))
    application.add_handler(CommandHandler("stats", stats_command, filters=admins))


def add_reply(report: AddReport) -> str:
    """What ``/add`` says: one line per article added, already there, or failed — files by name only (no server
    paths) — and, when any URL failed, that nothing was added (it is all or nothing)."""
    lines = [f"Added {added_line(replace(added, file=Path(added.file.name)))}" for added in report.added]
    lines += [f"Already in the corpus: {d.existing.name} ({d.origin}: {d.why})" for d in report.duplicates]
    lines += [f"Not added: {failure.line()}" for failure in report.failures]
    if report.failures:
        lines.append("Nothing was added: fix or leave out the URLs that failed, then send /add again.")
    if report.index is not None:
        lines.append(f"Index: {report.index.summary()}.")
    return "\n".join(lines) or ADD_USAGE


def admin_messages(text: str, settings: Settings) -> list[str]:
    """An admin reply as Telegram messages: server paths hidden, escaped, split between lines under 4096."""
    return pack_messages([esc(line) for line in without_server_paths(text, settings).splitlines()], sep="\n")


def without_server_paths(text: str, settings: Settings) -> str:
    """``text`` with the corpus, index and data folders' absolute paths shown by their names only."""
    for folder in (settings.corpus_dir, settings.index_dir, settings.data_dir):
        for form in {str(folder.resolve()), str(folder.absolute())}:
            text = text.replace(form + "/", "").replace(form, folder.name)
    return text


def stats_text(corpus: CorpusStats, today: Stats, votes: dict[str, int]) -> str:
    """What ``/stats`` says."""
    return (f"Articles: {corpus.articles}\nPassages: {corpus.chunks}\n"
            f"Questions today (UTC): {today.asked} — {today.answered} answered, {today.refused} refused\n"
            f"Votes today: 👍 {today.up} 👎 {today.down}\n"
            f"Votes in all: 👍 {votes.get('up', 0)} 👎 {votes.get('down', 0)}")


def start_of_day(now: dt.datetime | None = None) -> float:
    """The Unix time of the start of today (UTC)."""
    moment = now or dt.datetime.now(dt.UTC)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


async def add_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/add URL…: fetch, extract, write, rebuild; then reload the index and reply."""
    message = update.effective_message
    if message is None:
        return
    svc = services(context)
    urls = list(context.args or [])
    if not urls:
        await send_html(context.bot, message.chat_id, esc(ADD_USAGE), message.message_id)
        return
    with contextlib.suppress(TelegramError):
        await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
    try:
        report = await asyncio.to_thread(add_articles, svc.settings, urls)
    except WayhomeError as exc:
        text = f"Not added: {exc}"
    else:
        if report.added:
            await reload_now(svc.conversation.engine, announcer(context.application))
        text = add_reply(report)
    await send_all(context.bot, message.chat_id, admin_messages(text, svc.settings), message.message_id)


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: corpus size, today's questions, votes."""
    message = update.effective_message
    if message is None:
        return
    svc = services(context)
    today = await asyncio.to_thread(svc.state.stats, start_of_day())
    votes = await asyncio.to_thread(svc.state.vote_counts, None)
    text = stats_text(svc.conversation.engine.stats(), today, votes)
    await send_html(context.bot, message.chat_id, esc(text), message.message_id)

"""Live channel posts: the bot, an administrator of the channels in ``WAYHOME_CHANNELS``, adds every
``channel_post`` and replaces every ``edited_channel_post`` in the corpus (``corpus/telegram/NAME/ID.md``).

Takes: channel-post updates. Gives: corpus documents written at once (in a worker thread), and an index refresh
at most once per ``WAYHOME_CHANNEL_REFRESH_S`` (30 s) — posts arriving meanwhile wait for the next one, which
the reload watcher then swaps in. Posts of other channels are ignored, with one log line per channel. The Bot
API does not report deletions: a deleted post stays until its file is removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time

from telegram import Chat, Message, MessageOrigin, Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.errors import WayhomeError
from bot.index.build import build_index
from bot.settings import Settings
from bot.sources.channel_writer import Post
from bot.sources.channels import write_posts
from bot.telegram.reload import reload_now
from bot.telegram.services import KEY, Services, services

log = logging.getLogger(__name__)
REFRESHER_KEY = "wayhome.channel_refresh"
WARNED_KEY = "wayhome.channels_warned"


class IndexRefresher:
    """Refreshes the index after new posts, at most once per ``interval`` seconds (one build at a time)."""

    def __init__(self, svc: Services, interval: float) -> None:
        self.svc, self.interval = svc, interval
        self.last = -math.inf
        self.builds = 0
        self._dirty = False
        self._task: asyncio.Task[None] | None = None

    def request(self) -> None:
        self._dirty = True
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="wayhome-channel-refresh")

    async def idle(self) -> None:
        """Wait until no refresh is pending (for shutdown and tests)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while self._dirty:
            wait = self.last + self.interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._dirty = False
            self.last = time.monotonic()
            try:
                report = await asyncio.to_thread(build_index, self.svc.settings)
            except Exception as exc:  # a bad corpus file: the bot keeps answering from the index it has
                log.warning("channel posts saved, but the index could not be refreshed (%s)", exc)
                continue
            self.builds += 1
            log.info("index refreshed after channel posts: %s", report.summary())
            await reload_now(self.svc.conversation.engine)


def listed(settings: Settings, chat: Chat) -> bool:
    """Whether ``chat`` is one of ``WAYHOME_CHANNELS`` (by username or chat id)."""
    names = {str(chat.id)} | ({chat.username.lower()} if chat.username else set())
    return bool(names & settings.channels)


def shown(chat: Chat) -> str:
    """A channel as the log names it: its public @username, else its title (never a chat id)."""
    return f"@{chat.username}" if chat.username else f"«{chat.title or 'untitled'}»"


def origin_name(origin: MessageOrigin | None) -> str:
    """Whose words a forwarded post carries: a channel's or chat's title, a user's name."""
    if origin is None:
        return ""
    for attribute in ("chat", "sender_chat"):
        chat = getattr(origin, attribute, None)
        if chat is not None:
            return str(chat.title or chat.username or "")
    user = getattr(origin, "sender_user", None)
    if user is not None:
        return str(user.full_name)
    return str(getattr(origin, "sender_user_name", "") or "")


def post_of(message: Message) -> Post | None:
    """The corpus post for a channel message with text (or a caption); None for one without."""
    text = message.text or message.caption or ""
    if not text.strip():
        return None
    chat = message.chat
    ident = str(chat.id)
    channel = chat.username or f"c/{ident.removeprefix('-100') if ident.startswith('-100') else ident.lstrip('-')}"
    return Post(channel=channel, channel_title=chat.title or channel, id=message.message_id,
                date=message.date.isoformat(), text=text, forwarded_from=origin_name(message.forward_origin))


async def on_channel_post(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A new or edited post of a channel: saved to the corpus if the channel is listed; the index follows."""
    message = update.channel_post or update.edited_channel_post
    if message is None:
        return
    svc = services(context)
    if not listed(svc.settings, message.chat):
        warned: set[int] = context.bot_data.setdefault(WARNED_KEY, set())
        if message.chat.id not in warned:
            warned.add(message.chat.id)
            log.warning("ignoring posts of channel %s: not in WAYHOME_CHANNELS", shown(message.chat))
        return
    post = post_of(message)
    if post is None:
        return
    try:
        changes = await asyncio.to_thread(write_posts, svc.settings.corpus_dir, svc.settings.index_dir, [post])
    except (WayhomeError, OSError) as exc:
        log.warning("could not save a post of channel %s (%s)", shown(message.chat), exc)
        return
    for change in changes:
        log.info("channel post %s: %s", change.kind, change.path)
    if changes:
        refresher(context.application).request()


def refresher(application: Application) -> IndexRefresher:  # type: ignore[type-arg]
    found = application.bot_data.get(REFRESHER_KEY)
    if not isinstance(found, IndexRefresher):
        svc: Services = application.bot_data[KEY]
        found = IndexRefresher(svc, svc.settings.channel_refresh_s)
        application.bot_data[REFRESHER_KEY] = found
    return found


def add_channel_handlers(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(MessageHandler(filters.UpdateType.CHANNEL_POSTS, on_channel_post))


async def stop_refreshing(application: Application) -> None:  # type: ignore[type-arg]
    found = application.bot_data.get(REFRESHER_KEY)
    if isinstance(found, IndexRefresher):
        await found.stop()

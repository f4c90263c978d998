"""``wayhome bot``: the Telegram bot on python-telegram-bot v22.

Start-up checks the token, loads (building or refreshing) the index, waits for the Bot API with backoff,
registers the command menu, then long-polls (dropping pending updates) or, when WAYHOME_WEBHOOK_URL is set,
serves a webhook that checks the secret token on every request. Updates are handled concurrently; the
search runs in worker threads. SIGINT/SIGTERM stop fetching updates and finish the replies in flight.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlparse

from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackContext,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.conversation import Conversation
from bot.engine import Engine
from bot.errors import WayhomeError
from bot.index.status import Notify, log_notes
from bot.settings import Settings
from bot.state.answers import StateShelf
from bot.state.setup import open_state, retention_s
from bot.telegram import handlers as h
from bot.telegram.admin import add_admin_handlers
from bot.telegram.callbacks import on_button
from bot.telegram.channel_posts import add_channel_handlers, stop_refreshing
from bot.telegram.filters import AsksBot, CommandForBot, MentionsBot
from bot.telegram.inline import inline_query
from bot.telegram.language_choice import language_command
from bot.telegram.listings import latest_command, sources_command
from bot.telegram.menus import register_menus
from bot.telegram.privacy import forget_command, privacy_command
from bot.telegram.ratelimit import UserRateLimiter
from bot.telegram.reload import start_watching, stop_watching
from bot.telegram.security import bot_token, check_env_file, configure_logging, webhook_secret
from bot.telegram.send import follow_topic
from bot.telegram.services import KEY, Services
from bot.telegram.subscriptions import announcer, subscribe_command, unsubscribe_command

log = logging.getLogger("bot.telegram")
RETRY_FOREVER = -1
PURGE_EVERY_S = 3600.0
PURGE_JOB = "purge expired answers"
UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY, Update.MY_CHAT_MEMBER, Update.CHANNEL_POST,
           Update.EDITED_CHANNEL_POST]


async def post_init(application: Application) -> None:  # type: ignore[type-arg]
    """Register the descriptions and command menus (per scope and language), start watching for new indexes."""
    await register_menus(application.bot, services_of(application).settings.admin_ids)
    svc: Services = application.bot_data[KEY]
    stats = svc.conversation.engine.stats()
    start_watching(application, svc.conversation.engine, announcer(application))
    log.info("Bot @%s is up: %d articles, %d passages", application.bot.username, stats.articles, stats.chunks)


async def purge(svc: Services) -> int:
    """Delete the answers older than WAYHOME_ANSWER_RETENTION_DAYS (and unlink the votes on them)."""
    purged = await asyncio.to_thread(svc.state.purge, retention_s(svc.settings))
    log.info("Purged %d answers older than %g days", purged, svc.settings.answer_retention_days)
    return purged


async def purge_job(context: CallbackContext) -> None:  # type: ignore[type-arg]
    """The hourly job: purge."""
    await purge(context.bot_data[KEY])


async def post_stop(application: Application) -> None:  # type: ignore[type-arg]
    """Stop watching for new indexes and refreshing after channel posts."""
    await stop_refreshing(application)
    await stop_watching(application)


async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
    """Stop the search thread and close the state database once the last reply has been sent."""
    svc: Services = application.bot_data[KEY]
    svc.close()


def services_of(application: Application) -> Services:  # type: ignore[type-arg]
    found: Services = application.bot_data[KEY]
    return found


def add_handlers(application: Application) -> None:  # type: ignore[type-arg]
    """Commands everywhere; text (or a photo's caption) in private chats; in groups only mentions and replies
    to the bot that read as questions. Every update's forum topic is noted first (replies go there)."""
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    new_message = filters.UpdateType.MESSAGE
    asked = filters.TEXT | filters.CAPTION
    application.add_handler(TypeHandler(Update, follow_topic), group=-1)
    application.add_handler(CommandHandler("start", h.start))
    application.add_handler(CommandHandler("help", h.help_command))
    application.add_handler(CommandHandler("sources", sources_command))
    application.add_handler(CommandHandler("latest", latest_command))
    application.add_handler(CommandHandler("more", h.more_command))
    application.add_handler(CommandHandler("ask", h.ask_command))
    application.add_handler(CommandHandler("language", language_command))
    application.add_handler(CommandHandler("subscribe", subscribe_command, filters=filters.ChatType.PRIVATE))
    application.add_handler(CommandHandler("unsubscribe", unsubscribe_command))
    application.add_handler(CommandHandler("privacy", privacy_command))
    application.add_handler(CommandHandler("forget", forget_command))
    add_admin_handlers(application, services_of(application).settings)  # before unknown_command
    application.add_handler(MessageHandler(new_message & filters.COMMAND & (private | CommandForBot()),
                                           h.unknown_command))
    application.add_handler(MessageHandler(new_message & asked & private, h.question))
    application.add_handler(MessageHandler(new_message & asked & groups & (MentionsBot() | AsksBot()), h.question))
    application.add_handler(MessageHandler(new_message & ~asked & ~filters.StatusUpdate.ALL & private, h.not_text))
    application.add_handler(ChatMemberHandler(h.greet_group, ChatMemberHandler.MY_CHAT_MEMBER))
    add_channel_handlers(application)  # channel posts of WAYHOME_CHANNELS into the corpus
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(InlineQueryHandler(inline_query))
    application.add_error_handler(h.on_error)


def build_application(settings: Settings, token: str, engine: Engine) -> Application:  # type: ignore[type-arg]
    """The PTB application: Telegram's rate limits honoured (RetryAfter retried), updates concurrent."""
    builder = (ApplicationBuilder().token(token).concurrent_updates(True)
               .rate_limiter(AIORateLimiter(max_retries=3)).post_init(post_init).post_stop(post_stop)
               .post_shutdown(post_shutdown))
    if settings.telegram_base_url:
        base = settings.telegram_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.removesuffix("/bot") + "/file/bot")
    application = builder.build()
    state = open_state(settings)
    state.purge(retention_s(settings))  # then every hour (purge_job)
    application.bot_data[KEY] = Services(
        settings=settings, conversation=Conversation(engine, StateShelf(state, retention_s(settings))),
        limiter=UserRateLimiter(settings.user_rate_limit, settings.user_rate_window_s), state=state)
    add_handlers(application)
    if application.job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
        raise WayhomeError("python-telegram-bot's job queue is missing: run `make install`")
    application.job_queue.run_repeating(purge_job, interval=PURGE_EVERY_S, first=PURGE_EVERY_S, name=PURGE_JOB)
    return application


def run(application: Application, settings: Settings, secret: str) -> None:  # type: ignore[type-arg]
    """Long polling, or a webhook server when WAYHOME_WEBHOOK_URL is set; retries until the API answers."""
    log.info("Connecting to the Bot API at %s (retrying until it answers)",
             urlparse(settings.telegram_base_url or "https://api.telegram.org").netloc)
    if not settings.webhook_url:
        application.run_polling(drop_pending_updates=True, bootstrap_retries=RETRY_FOREVER,
                                allowed_updates=UPDATES)
        return
    path = urlparse(settings.webhook_url).path.lstrip("/")
    log.info("Serving the webhook on %s:%d/%s", settings.webhook_listen, settings.webhook_port, path)
    application.run_webhook(listen=settings.webhook_listen, port=settings.webhook_port, url_path=path,
                            webhook_url=settings.webhook_url, secret_token=secret,
                            drop_pending_updates=True, bootstrap_retries=RETRY_FOREVER,
                            allowed_updates=UPDATES)


def main(settings: Settings, skip_bad: bool = False, notify: Notify = log_notes) -> int:
    """Run the bot until SIGINT/SIGTERM; exit status 2 (with a clear message) for configuration errors."""
    token = bot_token(settings)
    secret = webhook_secret(settings) if settings.webhook_url else ""
    configure_logging(settings.log_level, token, secret)
    check_env_file()
    engine = Engine.open(settings, skip_bad=skip_bad, notify=notify)
    application = build_application(settings, token, engine)
    try:
        run(application, settings, secret)
    except InvalidToken as exc:
        raise WayhomeError("Telegram refused WAYHOME_TELEGRAM_TOKEN (revoked or mistyped?): get the current "
                           "token from @BotFather and put it in .env (see .env.example)") from exc
    log.info("Bot stopped")
    return 0

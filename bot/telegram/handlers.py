"""Message and command handlers. Every reply goes through the shared conversation core, so the bot answers
exactly as the REPL does; only the rendering (Telegram HTML) and the buttons are Telegram's own.

The interface language is the user's /language choice, else their Telegram ``language_code`` when the bot
speaks it, else (for questions) the question's language, else English (``bot.text.language.interface_language``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import traceback

from telegram import ChatMemberUpdated, ForceReply, Message, Update
from telegram.constants import ChatAction, ChatMemberStatus
from telegram.error import NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot import messages
from bot.models import Kind, Reply
from bot.render.telegram_html import esc, render_reply
from bot.telegram.deeplinks import GROUP_PAYLOAD, payload_question
from bot.telegram.filters import strip_mention
from bot.telegram.keyboards import HELP_PAYLOAD, answer_keyboard, examples_keyboard, start_keyboard
from bot.telegram.language_choice import language_of
from bot.telegram.send import send_all, send_html
from bot.telegram.services import services
from bot.text.language import interface_language

log = logging.getLogger(__name__)


def user_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The user's /language choice, else their Telegram app's language ("ru", "en-GB"…), when it says."""
    return language_of(context, update.effective_user)


def _message(update: Update) -> Message:
    message = update.effective_message
    if message is None:  # pragma: no cover - the handlers' filters only pass updates with a message
        raise ValueError("update without a message")
    return message


async def allowed(context: ContextTypes.DEFAULT_TYPE, chat_id: int, user_id: int, reply_to: int | None,
                  lang: str | None = None, question_language: str = "en") -> bool:
    """The per-user limit: over it, say "slow down" once per window (in the user's language, else the
    question's) and do nothing else."""
    decision = services(context).limiter.check(user_id)
    if not decision.allowed and decision.notify:
        seconds = max(1, math.ceil(decision.retry_in))
        words = messages.get(interface_language(lang, question_language))
        await send_html(context.bot, chat_id, esc(words.rate_limited(seconds)), reply_to)
    return decision.allowed


async def answer(context: ContextTypes.DEFAULT_TYPE, chat_id: int, user_id: int, question: str,
                 reply_to: int | None, lang: str | None = None) -> None:
    """Answer one question: rate-limited, searched off the event loop, sent as quotes with buttons. It is
    counted for /stats (day and language only; the text too when the operator set WAYHOME_KEEP_QUESTIONS)."""
    svc = services(context)
    read = svc.conversation.engine.read(question)  # its language is decided here, once
    if not await allowed(context, chat_id, user_id, reply_to, lang, read.language):
        return
    with contextlib.suppress(TelegramError):
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    reply = await svc.search(svc.conversation.ask, chat_id, read, lang)
    if reply.kind in (Kind.ANSWER, Kind.NOT_FOUND):
        kept = question[: svc.settings.max_question_chars] if svc.settings.keep_questions else None
        await asyncio.to_thread(svc.state.record_question, reply.kind is Kind.ANSWER,
                                reply.answer.language if reply.answer else "", kept)
    await send_answer(context, chat_id, reply, question, reply_to)


async def send_answer(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply, question: str,
                      reply_to: int | None) -> None:
    """Send a conversation reply; an answer gets "More passages (3 of 8)" (while passages remain), 👍/👎 and
    "Share this answer" (the question rides in the button, not in the state); a refusal gets the examples."""
    svc = services(context)
    parts = render_reply(reply, svc.settings.max_question_chars)
    if reply.kind is Kind.NOT_FOUND:  # the refusal offers the example questions instead
        await send_all(context.bot, chat_id, parts, reply_to,
                       examples_keyboard(messages.get(reply.language).EXAMPLES, reply.language))
        return
    markup = None
    if reply.kind is Kind.ANSWER and reply.answer is not None:  # already on the shelf: a quick press finds it
        shown = len(reply.answer.results)
        markup = answer_keyboard(reply.answer_id, bool(reply.answer.more), votes=True, lang=reply.language,
                                 share=question[: svc.settings.max_question_chars],
                                 count=(shown, shown + len(reply.answer.more)))
    await send_all(context.bot, chat_id, parts, reply_to, markup)


async def show_more(context: ContextTypes.DEFAULT_TYPE, reply: Reply, chat_id: int, reply_to: int | None,
                    total: int | None = None) -> None:
    """The next passages of an answer (already taken from the shelf) as a reply; "More passages" again while
    any remain ("(6 of 8)" when the ``total`` found is known)."""
    more = reply.kind is Kind.MORE and reply.answer is not None and bool(reply.answer.more)
    left = len(reply.answer.more) if reply.answer is not None else 0
    count = (total - left, total) if total else None
    markup = answer_keyboard(reply.answer_id, True, votes=False, lang=reply.language, count=count) if more else None
    await send_all(context.bot, chat_id, render_reply(reply, services(context).settings.max_question_chars),
                   reply_to, markup)


async def reply_with(context: ContextTypes.DEFAULT_TYPE, update: Update, reply: Reply) -> None:
    message = _message(update)
    await send_all(context.bot, message.chat_id, render_reply(reply), message.message_id)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: what the bot knows, three example questions and "Add me to a group" as buttons. /start <payload>
    (a deep link t.me/bot?start=q-…, base64url: ``bot.telegram.deeplinks``) asks the payload's question;
    /start help (the inline hint) shows /help; /start group (the startgroup link) says nothing more, the
    greeting on joining has said it."""
    message = _message(update)
    raw = " ".join(context.args or []).strip()
    payload = payload_question(raw) if raw else ""
    user_id = update.effective_user.id if update.effective_user else message.chat_id
    lang = user_language(update, context)
    if raw == HELP_PAYLOAD:  # from the inline-mode hint button
        await help_command(update, context)
        return
    if raw == GROUP_PAYLOAD:  # from the startgroup link
        if message.chat.type != message.chat.PRIVATE:
            return
        payload = ""
    if payload:
        await answer(context, message.chat_id, user_id, payload, message.message_id, lang)
        return
    if await allowed(context, message.chat_id, user_id, message.message_id, lang):
        reply = services(context).conversation.start(lang)
        await send_all(context.bot, message.chat_id, render_reply(reply), message.message_id,
                       start_keyboard(reply.examples, reply.language, context.bot.username))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: how to ask, in private and in groups."""
    await reply_with(context, update, Reply(Kind.HELP, language=interface_language(user_language(update, context))))


async def more_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/more: further passages for the chat's latest answer."""
    message = _message(update)
    svc = services(context)
    reply = await svc.search(svc.conversation.more, message.chat_id, user_language(update, context))
    await show_more(context, reply, message.chat_id, message.message_id)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask <question> (the way to ask in groups); /ask alone asks back, with a reply field ready to type in."""
    message = _message(update)
    question = (message.text or "").partition(" ")[2].strip()
    if not question:
        words = messages.get(interface_language(user_language(update, context)))
        prompt = ForceReply(selective=True, input_field_placeholder=words.ASK_PLACEHOLDER)
        await send_html(context.bot, message.chat_id, esc(words.ASK_PROMPT), message.message_id, prompt)
        return
    user_id = update.effective_user.id if update.effective_user else message.chat_id
    await answer(context, message.chat_id, user_id, question, message.message_id, user_language(update, context))


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text message (or a photo's caption) is a question (in groups: one that mentions the bot, or replies to
    it and reads as a question)."""
    message = _message(update)
    text = strip_mention(message.text or message.caption or "", context.bot.username)
    user_id = update.effective_user.id if update.effective_user else message.chat_id
    if not text:
        await reply_with(context, update, Reply(Kind.USAGE, language=interface_language(user_language(update, context))))
        return
    await answer(context, message.chat_id, user_id, text, message.message_id, user_language(update, context))


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice…: a one-line hint."""
    message = _message(update)
    user_id = update.effective_user.id if update.effective_user else message.chat_id
    if services(context).limiter.check(user_id).allowed:
        words = messages.get(interface_language(user_language(update, context)))
        await send_html(context.bot, message.chat_id, esc(words.NOT_TEXT), message.message_id)


def joined(change: ChatMemberUpdated) -> bool:
    """Whether the bot was just added to the chat (it was not a member before and is now)."""
    was, now = change.difference().get("status", (None, None))
    inside = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
    return was not in inside and now in inside


async def greet_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Added to a group: say how to ask there (in the language of whoever added the bot), with the examples."""
    change = update.my_chat_member
    if change is None or change.chat.type == change.chat.PRIVATE or not joined(change):
        return
    lang = interface_language(language_of(context, change.from_user))
    words = messages.get(lang)
    await send_html(context.bot, change.chat.id, esc(words.GROUP_GREETING), None,
                    examples_keyboard(words.EXAMPLES, lang))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not know."""
    await reply_with(context, update, Reply(Kind.UNKNOWN_COMMAND, language=interface_language(user_language(update, context))))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception and tell the user something went wrong (never the exception itself). Polling
    errors (no update) are network trouble that PTB retries with backoff: one warning line each."""
    if update is None and isinstance(context.error, NetworkError):
        log.warning("Bot API unreachable (%s); retrying with backoff", context.error)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    error = context.error
    where = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__))) if error else ""
    # The exception's message can quote the question (a validation error's input, say): only its type and
    # the code path are logged, the message at DEBUG.
    log.error("Error while handling update %s: %s\n%s", update_id, type(error).__name__, where.rstrip())
    log.debug("the error in full (may quote the question)", exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        with contextlib.suppress(Exception):
            said = (update.effective_message.text or "") if update.effective_message else ""
            language = services(context).conversation.engine.read(said).language
            words = messages.get(interface_language(user_language(update, context), language))
            await send_html(context.bot, update.effective_chat.id, esc(words.ERROR))

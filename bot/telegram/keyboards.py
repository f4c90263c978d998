"""Inline keyboards and their callback data (at most 64 bytes: a verb, a short answer id, a language).

An example button carries the language it is written in (``ask:ru:1``: the Russian example 1 is asked, and
answered, in Russian whoever presses it); "More passages" carries its answer's language (``more:ID:ru``) so
the next passages come in the language of the answer they continue."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, SwitchInlineQueryChosenChat

from bot import messages
from bot.telegram.deeplinks import group_link

ASK, MORE, VOTE = "ask", "more", "vote"
HELP_PAYLOAD = "help"  # /start help (the inline-mode hint button's deep link) shows /help
THUMBS = {"up": "👍", "down": "👎"}
MAX_BUTTON_TEXT = 60
MAX_INLINE_QUERY = 256  # Telegram's limit on an inline query's text


def parse(data: str | None) -> list[str]:
    """``"vote:abc:up"`` → ``["vote", "abc", "up"]`` (empty for no data)."""
    return data.split(":") if data else []


def examples_keyboard(examples: tuple[str, ...], lang: str = "en") -> InlineKeyboardMarkup:
    """One button per example question (written in ``lang``); pressing it asks the question in ``lang``."""
    rows = [[InlineKeyboardButton(q if len(q) <= MAX_BUTTON_TEXT else q[: MAX_BUTTON_TEXT - 1] + "…",
                                  callback_data=f"{ASK}:{lang}:{i}")] for i, q in enumerate(examples)]
    return InlineKeyboardMarkup(rows)


def start_keyboard(examples: tuple[str, ...], lang: str, username: str) -> InlineKeyboardMarkup:
    """The example questions, then "Add me to a group" (a ``startgroup`` link)."""
    rows = [*examples_keyboard(examples, lang).inline_keyboard,
            [InlineKeyboardButton(messages.get(lang).ADD_TO_GROUP, url=group_link(username))]]
    return InlineKeyboardMarkup(rows)


def share_button(question: str, lang: str) -> InlineKeyboardButton:
    """"Share this answer": pick a chat, where inline mode opens on the same question to post its passages."""
    chosen = SwitchInlineQueryChosenChat(query=question[:MAX_INLINE_QUERY], allow_user_chats=True,
                                         allow_group_chats=True, allow_channel_chats=True)
    return InlineKeyboardButton(messages.get(lang).SHARE_BUTTON, switch_inline_query_chosen_chat=chosen)


def more_button(answer_id: str, lang: str, count: tuple[int, int] | None) -> InlineKeyboardButton:
    """"More passages (3 of 8)": passages shown so far of all found (the total rides in the callback data)."""
    words = messages.get(lang)
    if count is None:
        return InlineKeyboardButton(words.MORE_BUTTON, callback_data=f"{MORE}:{answer_id}:{lang}")
    shown, total = count
    return InlineKeyboardButton(f"{words.MORE_BUTTON} ({words.SHOWN_OF.format(shown=shown, total=total)})",
                                callback_data=f"{MORE}:{answer_id}:{lang}:{total}")


def answer_keyboard(answer_id: str, more: bool, votes: bool, voted: str = "", lang: str = "en",
                    share: str = "", count: tuple[int, int] | None = None,
                    more_row: list[InlineKeyboardButton] | None = None) -> InlineKeyboardMarkup | None:
    """"More passages" (when more remain, in ``lang``, with ``count`` = (shown, total) when known; or
    ``more_row`` as it was), 👍/👎 (on the answer's first message; the chosen one ticked) and, with them,
    "Share this answer" for the question ``share``."""
    rows: list[list[InlineKeyboardButton]] = []
    if more_row:
        rows.append(more_row)
    elif more:
        rows.append([more_button(answer_id, lang, count)])
    if votes:
        rows.append([InlineKeyboardButton(emoji + (" ✓" if vote == voted else ""),
                                          callback_data=f"{VOTE}:{answer_id}:{vote}")
                     for vote, emoji in THUMBS.items()])
        if share.strip():
            rows.append([share_button(share, lang)])
    return InlineKeyboardMarkup(rows) if rows else None

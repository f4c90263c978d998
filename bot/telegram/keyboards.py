"""Inline keyboards and their callback data (at most 64 bytes: a verb and a short answer id)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import messages

ASK, MORE, VOTE = "ask", "more", "vote"
HELP_PAYLOAD = "help"  # /start help (the inline-mode hint button's deep link) shows /help
THUMBS = {"up": "👍", "down": "👎"}
MAX_BUTTON_TEXT = 60


def parse(data: str | None) -> list[str]:
    """``"vote:abc:up"`` → ``["vote", "abc", "up"]`` (empty for no data)."""
    return data.split(":") if data else []


def examples_keyboard(examples: tuple[str, ...]) -> InlineKeyboardMarkup:
    """One button per example question; pressing it asks the question."""
    rows = [[InlineKeyboardButton(q if len(q) <= MAX_BUTTON_TEXT else q[: MAX_BUTTON_TEXT - 1] + "…",
                                  callback_data=f"{ASK}:{i}")] for i, q in enumerate(examples)]
    return InlineKeyboardMarkup(rows)


def answer_keyboard(answer_id: str, more: bool, votes: bool, voted: str = "",
                    lang: str = "en") -> InlineKeyboardMarkup | None:
    """"More passages" (when more remain, in ``lang``) and 👍/👎 (on the answer's first message; the chosen one
    ticked)."""
    rows: list[list[InlineKeyboardButton]] = []
    if more:
        rows.append([InlineKeyboardButton(messages.get(lang).MORE_BUTTON, callback_data=f"{MORE}:{answer_id}")])
    if votes:
        rows.append([InlineKeyboardButton(emoji + (" ✓" if vote == voted else ""),
                                          callback_data=f"{VOTE}:{answer_id}:{vote}")
                     for vote, emoji in THUMBS.items()])
    return InlineKeyboardMarkup(rows) if rows else None

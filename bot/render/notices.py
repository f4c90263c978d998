"""An answer's notice (``bot.models.Notice``) in the reader's words: the one place that turns it into text."""

from __future__ import annotations

from bot import messages
from bot.models import Notice


def notice_text(notice: Notice | None, lang: str = "en") -> str:
    """The sentence for ``notice`` in interface language ``lang`` ("" for none)."""
    words = messages.get(lang)
    if notice is Notice.USAGE:
        return words.USAGE
    if notice is Notice.NOT_FOUND:
        return words.NOT_FOUND
    if notice is Notice.TRIMMED:
        return words.QUESTION_TRIMMED
    return ""


"""Text safe to store, search and send: the one home of surrogate repair, control characters and the
"has a word" test. Takes any ``str`` (from argv, Telegram, YAML escapes, HTML); gives clean ``str``."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls: never meaningful in an article or a question.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def repair_surrogates(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD and escaped pairs joined (everything else untouched)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def strip_controls(text: str, replacement: str = "") -> str:
    """Surrogates repaired and control characters (but tab and newline) replaced by ``replacement``."""
    return CONTROL.sub(replacement, repair_surrogates(text))


def has_word(text: str) -> bool:
    """Whether ``text`` has a letter or a digit in any script (a question of only punctuation has none)."""
    return any(ch.isalnum() for ch in text)

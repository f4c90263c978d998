"""The question without the corpus's background names (Moscow, Putin…: see ``bot.index.background``), so the
relevance decision can ask whether the rest of it still matches. Takes the question's dense text and the
index's background stems; gives the focused text, or None when the question names none of them.
"""

from __future__ import annotations

import re

from bot.text.names import DENSE_NAME, WORD
from bot.text.normalize import stem, words

_WORD = re.compile(WORD)


def focus_text(text: str, names: frozenset[str]) -> str | None:
    """``text`` without its background names (the movement's spelled-out name kept); None when it has none."""
    if not names:
        return None
    kept, removed, last = [], False, 0
    protected = [(m.start(), m.end()) for m in re.finditer(re.escape(DENSE_NAME), text)]
    for match in _WORD.finditer(text):
        folded = words(match.group(0))
        inside = any(start <= match.start() < end for start, end in protected)
        if folded and not inside and stem(folded[0]) in names:
            kept.append(text[last : match.start()])
            last, removed = match.end(), True
    if not removed:
        return None
    return " ".join("".join([*kept, text[last:]]).split())

"""The corpus's background names, and a question's focus: what it asks once those names are set aside.

Every article about the movement mentions Russia, Moscow, Putin or the Kremlin. A question that shares only
such a name with the corpus ("How many people live in Moscow?", "How tall is Vladimir Putin?") is close to
it in embedding space for that reason alone. Encoding the question again without its background names (its
*focus*: "How many people live in ?") shows whether the rest of it matches anything; the relevance decision
in ``answer`` asks for both. Background names are found at build time from the corpus itself — names written
capitalised inside sentences and mentioned by at least half of the articles or a tenth of the passages — and
kept in the manifest.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from bot.models import Chunk
from bot.search.query import DENSE_NAME, NAME_FORMS, SENTENCE_OPENERS, opens_sentence
from bot.text.normalize import stem, words

SHARE_OF_ARTICLES = 0.5  # a background name is mentioned by at least this share of the articles (and two)…
SHARE_OF_CHUNKS = 0.1  # …or by this share of the passages (and three)…
CAPITALISED = 0.8  # …and written capitalised in at least this share of its uses inside a sentence
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
_OPENS = SENTENCE_OPENERS + "\u2014-"  # in articles a dash may open a clause too
_MOVEMENT = frozenset(stem(w) for form in NAME_FORMS for w in form)


@lru_cache(maxsize=65536)
def _stems(word: str) -> tuple[str, ...]:
    return tuple(stem(folded) for folded in words(word))


def _name_uses(text: str) -> Iterable[tuple[str, bool]]:
    """(stem, written capitalised) for each word of ``text`` that does not open a sentence."""
    for match in _WORD.finditer(text):
        if opens_sentence(text, match.start(), _OPENS):
            continue
        word = match.group(0)
        for token in _stems(word):
            yield token, word[0].isupper()


def background_names(chunks: list[Chunk]) -> list[str]:
    """Stems of the names most articles of the corpus mention (sorted); not the movement's own name."""
    capitalised: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    articles: dict[str, set[str]] = {}
    passages: Counter[str] = Counter()
    for chunk in chunks:
        uses = list(_name_uses(chunk.text))
        for token, upper in uses:
            (capitalised if upper else lower)[token] += 1
            articles.setdefault(token, set()).add(chunk.article_path)
        passages.update({token for token, _ in uses})
    by_articles = max(2.0, SHARE_OF_ARTICLES * len({c.article_path for c in chunks}))
    by_passages = max(3.0, SHARE_OF_CHUNKS * len(chunks))
    return sorted(t for t, n in capitalised.items()
                  if n >= CAPITALISED * (n + lower[t]) and t not in _MOVEMENT
                  and (len(articles[t]) >= by_articles or passages[t] >= by_passages))


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

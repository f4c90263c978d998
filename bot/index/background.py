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

from bot.calibration import WEIGHTS
from bot.models import Chunk
from bot.text.names import NAME_FORMS, SENTENCE_OPENERS, WORD, opens_sentence
from bot.text.normalize import stem, words

SHARE_OF_ARTICLES = WEIGHTS.background_articles  # a background name is mentioned by at least this share of the articles (and two)…
SHARE_OF_CHUNKS = WEIGHTS.background_chunks  # …or by this share of the passages (and three)…
CAPITALISED = WEIGHTS.background_capitalised  # …and written capitalised in at least this share of its uses inside a sentence
_WORD = re.compile(WORD)
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
    by_articles = max(WEIGHTS.background_min_articles, SHARE_OF_ARTICLES * len({c.article_path for c in chunks}))
    by_passages = max(WEIGHTS.background_min_chunks, SHARE_OF_CHUNKS * len(chunks))
    return sorted(t for t, n in capitalised.items()
                  if n >= CAPITALISED * (n + lower[t]) and t not in _MOVEMENT
                  and (len(articles[t]) >= by_articles or passages[t] >= by_passages))

"""How common a word is in general English (wordfreq's Zipf scale: 0 = unknown/rare, 7 = "the").

Used for two query decisions that the corpus alone cannot make: whether an unknown word is a real English
word (then it is not "corrected" into a corpus word) and how much a word the corpus lacks says about the
question (a rare word like "lasagna" weighs more than a common one like "happen").
"""

from __future__ import annotations

import logging
from functools import lru_cache

log = logging.getLogger(__name__)

COMMON = 3.0  # Zipf frequency from which a word counts as a real English word (about 1 per million words)
EVERYDAY = 4.0  # …and from which it is an everyday word a typo most likely stands for (about 7,000 words)


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """Zipf frequency of ``word`` in English; 0.0 when unknown (or when wordfreq is unavailable)."""
    lookup = _lookup()
    return lookup(word) if lookup else 0.0


@lru_cache(maxsize=1)
def _lookup():  # type: ignore[no-untyped-def]
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency; degrade rather than fail
        log.warning("wordfreq is not installed: every unknown word is treated as rare")
        return None

    return lambda word: float(zipf_frequency(word, "en", wordlist="small"))


@lru_cache(maxsize=1)
def _everyday_words() -> tuple[str, ...]:
    """The everyday English words, most frequent first (loaded on the first typo that needs them)."""
    try:
        from wordfreq import top_n_list
    except ImportError:  # pragma: no cover - see _lookup
        return ()
    return tuple(w for w in top_n_list("en", 10000, wordlist="small") if w.isalpha() and zipf(w) >= EVERYDAY)


@lru_cache(maxsize=4096)
def everyday_typo(word: str) -> str | None:
    """The everyday English word that ``word`` (not itself an English word) misspells by one edit, with the
    same first letter — the most frequent one: "realy" → "really", "becuase" → "because"; None if there is
    none."""
    if len(word) < 4 or is_common(word):
        return None
    from rapidfuzz.distance import DamerauLevenshtein

    for candidate in _everyday_words():  # most frequent first
        if candidate[0] == word[0] and DamerauLevenshtein.distance(word, candidate, score_cutoff=1) <= 1:
            return candidate
    return None


def is_common(word: str) -> bool:
    """A real, reasonably frequent English word."""
    return zipf(word) >= COMMON


def rarity(word: str) -> float:
    """From 1.0 (rare or unknown) down to 0.2 (very common): how telling a word is when the corpus lacks it."""
    return min(1.0, max(0.2, (6.5 - zipf(word)) / 2.5))

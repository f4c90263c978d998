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


def is_common(word: str) -> bool:
    """A real, reasonably frequent English word."""
    return zipf(word) >= COMMON


def rarity(word: str) -> float:
    """From 1.0 (rare or unknown) down to 0.2 (very common): how telling a word is when the corpus lacks it."""
    return min(1.0, max(0.2, (6.5 - zipf(word)) / 2.5))

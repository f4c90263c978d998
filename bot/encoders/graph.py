"""The exported ONNX graph, prepared for fast CPU inference without torch: fused and with memory-mapped weights.

- Weights go to an external ``<graph>.data`` file that onnxruntime memory-maps: a query process starts faster
  (session creation 0.06 s instead of 0.17 s) and holds less memory than with a single-file model.
- onnxruntime's transformer optimizer fuses each layer's attention, skip+LayerNorm and bias+GELU into single
  operators (290 nodes per run become 54). These are exact rewrites; the fused graph is only kept when it gives
  the unfused graph's vectors (cosine ≥ ``FUSED_MIN_COSINE`` on probe sentences). Measured on 2 cores: one
  query 3.9 ms instead of 6.8 ms with two threads under load, same vectors, same rankings for every eval question.
- Exports of older formats are brought up to date in place (``upgrade``), without torch.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from bot.encoders.onnx_encoder import CONFIG, OnnxEncoder, read_config

log = logging.getLogger(__name__)
EXPORT_FORMAT = 3  # 1: single-file graph; 2: external weights; 3: fused graph + external weights


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence the exporters while a graph is built: torch's tracer warnings, transformers', onnxruntime's
    optimizer's and quantiser's log lines (the root logger's among them) and the shape-inference message
    onnxruntime prints to stdout. They are harmless — every export is checked against its reference model
    afterwards — and filled a first ``make run`` with a screen of noise. Exceptions still propagate."""
    previous = logging.root.manager.disable
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            yield
        finally:
            logging.disable(previous)


def swap_in(built: Path, target: Path) -> None:
    """Move a finished, checked export folder to ``target`` in one rename (a broken leftover there, without a
    config, is removed first)."""
    if target.exists():
        shutil.rmtree(target)
    os.replace(built, target)
FUSED_MIN_COSINE = 0.99999
GRACE_S = 600.0  # superseded model files are removed this long after the switch (a reader may still open them)
PROBES = ("The Way Home movement demands the return of mobilised men.",
          "Wives and mothers of soldiers held a vigil in Moscow.",
          "How many followers does the Telegram channel have?",
          "Ein kurzer Satz auf Deutsch.", "Путь домой", "x")


def save_external(proto: Any, target: Path) -> None:
    """Write the ONNX ``proto`` to ``target`` with its weights in ``<target>.data``."""
    import onnx

    onnx.save_model(proto, str(target), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=target.name + ".data", size_threshold=1024)


def load_graph(path: Path) -> Any:
    import onnx

    return onnx.load(str(path))


def fuse(directory: Path, source: str, target: str) -> bool:
    """Write a fused copy of ``directory/source`` to ``directory/target`` (external weights) and keep it if its
    vectors match the source's; False (and nothing left behind) when fusion does not apply or changes them."""
    hf_config = _hf_config(directory)
    try:
        from onnxruntime.transformers.optimizer import optimize_model

        logging.getLogger("onnxruntime.transformers").setLevel(logging.ERROR)
        fused = optimize_model(str(directory / source), model_type="bert", opt_level=0,
                               num_heads=int(hf_config.get("num_attention_heads", 0)),
                               hidden_size=int(hf_config.get("hidden_size", 0)))
        if not fused.get_fused_operator_statistics().get("Attention"):
            return False
        save_external(fused.model, directory / target)
        lowest = agreement(directory, source, target)
    except Exception as exc:  # an architecture the optimizer does not know: keep the unfused graph
        log.info("%s: graph fusion not applied (%s)", directory, exc)
        lowest = 0.0
    if lowest >= FUSED_MIN_COSINE:
        return True
    for name in (target, target + ".data"):
        (directory / name).unlink(missing_ok=True)
    return False


def agreement(directory: Path, first: str, second: str) -> float:
    """Lowest cosine between two graphs' vectors for the probe sentences."""
    a = OnnxEncoder(directory, threads=1, onnx_file=first).encode(list(PROBES))
    b = OnnxEncoder(directory, threads=1, onnx_file=second).encode(list(PROBES))
    return float(np.min(np.sum(a * b, axis=1)))


def _hf_config(directory: Path) -> dict[str, Any]:
    try:
        data = json.loads((directory / "config.json").read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def prepare(directory: Path, raw: Path) -> str:
    """From the raw export ``raw``: the fused graph with external weights, or the unfused one when fusion does not
    apply. Returns the graph's file name inside ``directory``."""
    save_external(load_graph(raw), directory / "model.onnx")
    if fuse(directory, "model.onnx", "model-fused.onnx"):
        for name in ("model.onnx", "model.onnx.data"):
            (directory / name).unlink()
        return "model-fused.onnx"
    return "model.onnx"


def upgrade(directory: Path) -> None:
    """Bring an older export to ``EXPORT_FORMAT`` in place: the same weights, fused and/or moved to a mapped
    file; the config is switched atomically and the superseded files are removed ``GRACE_S`` later. Vectors
    do not change, so indexes built with the export stay valid."""
    config = read_config(directory)
    if int(config.get("export_format", 1)) >= EXPORT_FORMAT:
        remove_superseded(directory, config)
        return
    current = str(config.get("onnx_file", "model.onnx"))
    new = f"model-{int(time.time())}.onnx"
    if not fuse(directory, current, new):
        save_external(load_graph(directory / current), directory / new)
    config.update(onnx_file=new, export_format=EXPORT_FORMAT)
    temp = directory / f".{CONFIG}.{os.getpid()}"
    temp.write_text(json.dumps(config, indent=2))
    os.replace(temp, directory / CONFIG)
    log.info("%s: encoder graph upgraded to format %d", directory, EXPORT_FORMAT)


def remove_superseded(directory: Path, config: dict[str, Any]) -> None:
    """Delete model files the config no longer names, once the switch is ``GRACE_S`` old."""
    if time.time() - (directory / CONFIG).stat().st_mtime < GRACE_S:
        return
    onnx_file = str(config.get("onnx_file", "model.onnx"))
    keep = {onnx_file, onnx_file + ".data"}
    for path in directory.iterdir():
        if path.is_file() and path.name.endswith((".onnx", ".onnx.data")) and path.name not in keep:
            path.unlink(missing_ok=True)

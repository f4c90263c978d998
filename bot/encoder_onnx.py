"""The lean query encoder: onnxruntime + tokenizers over a model exported at index build time.

Imports neither torch, transformers nor sentence-transformers.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .encoder_base import normalise

CONFIG = "wayhome_encoder.json"


class OnnxEncoder:
    """Mean-pooled, normalised sentence embeddings from an exported ONNX transformer."""

    def __init__(self, directory: Path, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        config = json.loads((directory / CONFIG).read_text())
        self.model: str = config["model"]
        self.dim: int = int(config["dim"])
        self.max_tokens: int = int(config["max_seq_length"])
        self.pooling: str = config.get("pooling", "mean")
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_tokens)
        self.counter = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.counter.no_truncation()
        self.counter.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        onnx_file = directory / config.get("onnx_file", "model.onnx")
        self.session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Untruncated token counts, special tokens included."""
        return [len(enc.ids) for enc in self.counter.encode_batch(texts)]

    def _run(self, texts: list[str]) -> np.ndarray:
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - BERT pad token
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

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Encode in length-sorted batches (less padding), returned in input order."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            out[batch] = self._run([texts[i] for i in batch])
        return out

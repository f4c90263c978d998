"""The naive path ``wayhome bench`` compares against: sentence-transformers on torch + exact FAISS search.

As a script (``python -m bot.bench.naive INDEX_DIR QUESTION``) it is the naive cold start: import
sentence-transformers, load the model, encode the question, search a flat index over the same vectors, print
the best passage. In-process, :class:`NaivePath` is the warm naive query and :func:`st_throughput` the naive
batch encode.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np


class NaivePath:
    """A torch sentence-transformers model and a flat FAISS index over given vectors."""

    def __init__(self, model: str, vectors: np.ndarray) -> None:
        import faiss

        from bot.encoders.export import load_sentence_transformer

        self.model = load_sentence_transformer(model)
        import torch

        torch.set_num_threads(os.cpu_count() or 1)  # torch's default; a FAISS load in this process may lower it
        self.index = faiss.IndexFlatIP(int(vectors.shape[1]))
        self.index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Normalised torch vectors."""
        vectors: np.ndarray = self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                                convert_to_numpy=True, show_progress_bar=False)
        return vectors

    def ask(self, question: str, k: int = 30) -> tuple[np.ndarray, np.ndarray]:
        """Encode ``question`` and search the flat index: (scores, ids)."""
        scores, ids = self.index.search(self.encode([question]), min(k, int(self.index.ntotal)))
        return scores[0], ids[0]


def st_throughput(naive: NaivePath, texts: list[str]) -> float:
    """Chunks per second of sentence-transformers' own batch encode (its default batch size)."""
    start = time.perf_counter()
    naive.encode(texts)
    return len(texts) / (time.perf_counter() - start)


def live_dir(index_dir: Path) -> Path:
    """The live build folder of an index."""
    return (index_dir / "current").resolve()


def main(argv: list[str] | None = None) -> int:
    """Cold naive query: everything from import to the printed passage."""
    args = sys.argv[1:] if argv is None else argv
    index_dir, question = Path(args[0]), args[1]
    live = live_dir(index_dir)
    manifest: dict[str, Any] = json.loads((live / "manifest.json").read_text())
    chunks = json.loads((live / "chunks.json").read_text())
    naive = NaivePath(str(manifest["model"]), np.load(live / "vectors.npy"))
    _, ids = naive.ask(question, k=3)
    print(chunks[int(ids[0])]["text"])
    return 0


if __name__ == "__main__":
    sys.exit(main())

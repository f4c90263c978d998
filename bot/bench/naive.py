"""The naive path ``wayhome bench`` compares against: sentence-transformers on torch + exact FAISS search.

As a script (``python -m bot.bench.naive INDEX_DIR QUESTION``) it is the naive cold start: import
sentence-transformers, load the model, encode the question, search a flat index over the same vectors, print
the best passage. With ``--repl`` (``python -m bot.bench.naive --repl INDEX_DIR``) it is the naive REPL: one
question per input line, the best ``TOP_K`` passages printed for each, then a blank line (a line starting with
"/" gets "Unknown command."), timed through a pipe exactly like ``wayhome repl``. In-process,
:class:`NaivePath` is the warm naive query and :func:`st_throughput` the naive batch encode.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from bot.index.manifest import read as read_manifest

TOP_K = 3  # passages per answer, as ``wayhome`` shows by default (WAYHOME_TOP_K)


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


def load(index_dir: Path) -> tuple[NaivePath, list[str]]:
    """The naive path over an index's vectors, and its chunk texts."""
    live = live_dir(index_dir)
    manifest = read_manifest(live / "manifest.json")
    chunks = [str(c["text"]) for c in json.loads((live / "chunks.json").read_text())]
    return NaivePath(str(manifest.model if manifest else ""), np.load(live / "vectors.npy")), chunks


def repl(naive: NaivePath, chunks: list[str]) -> None:
    """Answer each input line with the best ``TOP_K`` passages, each reply followed by a blank line."""
    for line in sys.stdin:
        question = line.strip()
        if question == "/quit":
            break
        if question.startswith("/"):
            print("Unknown command.")
        else:
            _, ids = naive.ask(question, k=TOP_K)
            print("\n\n".join(f"{rank}. {chunks[int(i)]}" for rank, i in enumerate(ids, 1) if i >= 0))
        print()
        sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    """Cold naive query (everything from import to the printed passage), or the naive REPL (``--repl``)."""
    args = sys.argv[1:] if argv is None else argv
    if args[0] == "--repl":
        repl(*load(Path(args[1])))
        return 0
    naive, chunks = load(Path(args[0]))
    _, ids = naive.ask(args[1], k=TOP_K)
    print(chunks[int(ids[0])])
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Keyword backend: BM25 (bm25s) over normalised, stemmed tokens; saved as plain bm25s files."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from .text_normalize import keyword_tokens


def _bm25s():  # type: ignore[no-untyped-def]
    """Import bm25s and undo its DEBUG logger level (it logs every index build)."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


class KeywordIndex:
    """A BM25 index whose documents are the chunks, in chunk order."""

    def __init__(self, retriever) -> None:  # type: ignore[no-untyped-def]
        self.retriever = retriever
        self.vocab: dict[str, int] = retriever.vocab_dict

    @classmethod
    def build(cls, texts: list[str]) -> KeywordIndex:
        """Index ``texts`` (one per chunk)."""
        bm25s = _bm25s()
        tokens = [keyword_tokens(t) or ["\x00empty"] for t in texts]
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        return cls(retriever)

    def save(self, directory: Path) -> None:
        """Write the bm25s files (JSON + NumPy, no pickle)."""
        self.retriever.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        """Load with memory mapping."""
        return cls(_bm25s().BM25.load(str(directory), mmap=True, show_progress=False))

    def known(self, tokens: list[str]) -> list[str]:
        """The query tokens that occur in the corpus vocabulary."""
        return [t for t in tokens if t in self.vocab]

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the (already tokenised) query."""
        known = self.known(tokens)
        size = int(self.retriever.scores["num_docs"])
        if not known:
            return np.zeros(size, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(known), dtype=np.float32)

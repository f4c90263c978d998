"""Keyword backend: BM25 (bm25s) over normalised, stemmed tokens; saved as plain bm25s files.

Beside the bm25s files the folder holds ``surface.json``: the tokenizer version and every folded corpus word
with its stem, the vocabulary that typo correction of queries works against. An index written by another
tokenizer version (or without the file) is re-tokenised from its chunks when loaded for search.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from bot.text.normalize import STOPWORDS, TOKENIZER_VERSION, keyword_tokens, stem, words

SURFACE = "surface.json"


def _bm25s():  # type: ignore[no-untyped-def]
    """Import bm25s and undo its DEBUG logger level (it logs every index build)."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def surface_words(texts: Iterable[str]) -> dict[str, str]:
    """Folded content words of ``texts`` → their stems (digits-only words excluded)."""
    found: dict[str, str] = {}
    for text in texts:
        for word in words(text):
            if word not in found and word not in STOPWORDS and not word.isdigit():
                found[word] = stem(word)
    return found


class KeywordIndex:
    """A BM25 index whose documents are the chunks, in chunk order."""

    def __init__(self, retriever, surface: dict[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
        self.retriever = retriever
        self.vocab: dict[str, int] = retriever.vocab_dict
        self.surface = surface

    @classmethod
    def build(cls, texts: list[str]) -> KeywordIndex:
        """Index ``texts`` (one per chunk)."""
        bm25s = _bm25s()
        tokens = [keyword_tokens(t) or ["\x00empty"] for t in texts]
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        return cls(retriever, surface_words(texts))

    def save(self, directory: Path) -> None:
        """Write the bm25s files (JSON + NumPy, no pickle) and the surface vocabulary."""
        self.retriever.save(str(directory), show_progress=False)
        if self.surface is not None:
            data = {"version": TOKENIZER_VERSION, "words": self.surface}
            (directory / SURFACE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        """Load with memory mapping; ``surface`` stays None when the file is missing or of another version."""
        retriever = _bm25s().BM25.load(str(directory), mmap=True, show_progress=False)
        path = directory / SURFACE
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        current = isinstance(data, dict) and data.get("version") == TOKENIZER_VERSION
        return cls(retriever, data.get("words") if current else None)

    @property
    def current(self) -> bool:
        """Written by this tokenizer version (else queries would be tokenised differently)."""
        return self.surface is not None

    @property
    def size(self) -> int:
        return int(self.retriever.scores["num_docs"])

    def term_stats(self) -> dict[str, Any]:
        """Document frequencies of every stem (``df``), the number of chunks (``docs``) and the surface words
        behind each stem (``words``): what query analysis builds its vocabulary from."""
        counts = np.diff(np.asarray(self.retriever.scores["indptr"]))
        df = {token: int(counts[i]) for token, i in self.vocab.items() if i < len(counts)}
        surface = self.surface or {}
        return {"df": df, "docs": self.size, "words": {w: s for w, s in surface.items() if s in df}}

    def known(self, tokens: list[str]) -> list[str]:
        """The query tokens that occur in the corpus vocabulary."""
        return [t for t in tokens if t in self.vocab]

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the (already tokenised) query."""
        known = self.known(tokens)
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(known), dtype=np.float32)

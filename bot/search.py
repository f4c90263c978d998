"""Hybrid retrieval: dense (FAISS) and keyword (BM25) candidates fused in one place."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import dense
from .encoder_base import Encoder
from .index_store import IndexData
from .text_normalize import keyword_tokens

RRF_K = 60


@dataclass
class Hit:
    """One candidate chunk with the evidence from both retrievers."""

    index: int
    dense: float
    keyword: float
    fused: float


@dataclass
class SearchResult:
    """Ranked candidates plus the signals the relevance decision needs."""

    hits: list[Hit]
    query_vector: np.ndarray
    query_tokens: list[str]
    matched_tokens: list[str]
    top_dense: float
    top_keyword: float


def rrf(rankings: list[list[int]], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion of several ranked id lists."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, idx in enumerate(ranking):
            fused[idx] = fused.get(idx, 0.0) + 1.0 / (k + rank + 1)
    return fused


class Searcher:
    """Search one loaded index with one query encoder (the one that built it)."""

    def __init__(self, data: IndexData, encoder: Encoder, pool: int = 30) -> None:
        self.data = data
        self.encoder = encoder
        self.pool = pool

    def search(self, question: str) -> SearchResult:
        """Candidates from both retrievers, ordered by fused score."""
        vector = self.encoder.encode([question])[0]
        d_scores, d_ids = dense.search(self.data.dense_index, vector, self.pool)
        dense_rank = [int(i) for i in d_ids if i >= 0]
        tokens = keyword_tokens(question)
        matched = self.data.keyword.known(tokens)
        k_all = self.data.keyword.scores(tokens)
        k_order = np.argsort(-k_all)[: self.pool]
        keyword_rank = [int(i) for i in k_order if k_all[i] > 0]
        fused = rrf([dense_rank, keyword_rank])
        vectors = self.data.vectors
        hits = [Hit(i, float(np.dot(vectors[i], vector)), float(k_all[i]), f) for i, f in fused.items()]
        hits.sort(key=lambda h: -h.fused)
        top_dense = float(d_scores[0]) if len(dense_rank) else 0.0
        top_keyword = float(k_all.max()) if len(k_all) else 0.0
        return SearchResult(hits, vector, tokens, matched, top_dense, top_keyword)

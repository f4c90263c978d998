"""Fusion of the two retrievers' evidence, and the candidate helpers the searcher uses.

Fusion methods, compared with ``wayhome eval --compare``: ``dense`` or ``keyword`` alone, reciprocal rank
fusion (``rrf``), ``weighted`` score fusion (cosine plus BM25 relative to the best), and ``evidence`` (cosine
plus coverage, the signal the relevance decision uses too; words of the article's opening count too).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from bot.calibration import RETRIEVAL, WEIGHTS
from bot.models import Chunk

RRF_K = RETRIEVAL.rrf_k
FUSIONS = ("dense", "keyword", "rrf", "weighted", "evidence")
DEFAULT_FUSION = "evidence"
DENSE_WEIGHT = WEIGHTS.dense_share  # "weighted": share of the cosine
COVERAGE_WEIGHT = WEIGHTS.coverage  # "evidence": weight of coverage next to the cosine


class Fused(Protocol):
    """What fusion reads and sets on a candidate (``bot.search.hybrid.Hit``)."""

    index: int
    dense: float
    keyword: float
    coverage: float
    lead: float
    fused: float


def rrf(rankings: list[list[int]], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion of several ranked id lists."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, idx in enumerate(ranking):
            fused[idx] = fused.get(idx, 0.0) + 1.0 / (k + rank + 1)
    return fused


def fuse(method: str, hits: Sequence[Fused], dense_weight: float = DENSE_WEIGHT,
         coverage_weight: float = COVERAGE_WEIGHT) -> None:
    """Set ``fused`` on every hit by ``method`` (one of ``FUSIONS``); higher is better."""
    top_keyword = max((h.keyword for h in hits), default=0.0) or 1.0
    if method == "rrf":
        by_dense = [h.index for h in sorted(hits, key=lambda h: -h.dense)]
        by_keyword = [h.index for h in sorted(hits, key=lambda h: -h.keyword) if h.keyword > 0]
        scores = rrf([by_dense, by_keyword])
    for hit in hits:
        if method == "dense":
            hit.fused = hit.dense
        elif method == "keyword":  # BM25 first; passages without a keyword match after, by cosine
            hit.fused = hit.keyword / top_keyword + RETRIEVAL.keyword_tiebreak * hit.dense
        elif method == "rrf":
            hit.fused = scores[hit.index]
        elif method == "weighted":
            hit.fused = dense_weight * hit.dense + (1 - dense_weight) * hit.keyword / top_keyword
        elif method == "evidence":  # words the article's opening says count too (RETRIEVAL.lead_share)
            hit.fused = hit.dense + coverage_weight * (hit.coverage + RETRIEVAL.lead_share * hit.lead)
        else:
            raise ValueError(f"unknown fusion {method!r}; choose one of {', '.join(FUSIONS)}")


def opening_chunks(chunks: Sequence[Chunk]) -> list[int]:
    """Each chunk's article's first chunk (chunks of one article are consecutive)."""
    out: list[int] = []
    for i, chunk in enumerate(chunks):
        out.append(out[i - 1] if i and chunks[i - 1].article_path == chunk.article_path else i)
    return out


def top_ids(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the ``k`` highest positive scores, best first (partial sort: linear in the corpus)."""
    if len(scores) > k:
        part = np.argpartition(-scores, k)[:k]
        order = part[np.argsort(-scores[part])]
    else:
        order = np.argsort(-scores)
    return [int(i) for i in order if scores[i] > 0]

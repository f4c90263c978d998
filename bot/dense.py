"""Dense backend: FAISS inner-product index; exact below a size threshold, HNSW above."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

FLAT = "flat"
HNSW = "hnsw"


def choose_kind(count: int, flat_max: int) -> str:
    """Exact search for small corpora; HNSW when exact search would be slow."""
    return FLAT if count <= flat_max else HNSW


def build(vectors: np.ndarray, kind: str, hnsw_m: int = 32, ef_construction: int = 80):  # type: ignore[no-untyped-def]
    """A FAISS index over normalised ``vectors`` (inner product = cosine)."""
    import faiss

    dim = int(vectors.shape[1])
    index: Any
    if kind == FLAT:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = ef_construction
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def save(index, path: Path) -> None:  # type: ignore[no-untyped-def]
    import faiss

    faiss.write_index(index, str(path))


def load(path: Path, ef_search: int = 96):  # type: ignore[no-untyped-def]
    """Read a FAISS index, memory-mapped where the index type allows it."""
    import faiss

    try:
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
    except RuntimeError:
        index = faiss.read_index(str(path))
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = ef_search
    return index


def search(index, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """(scores, ids) of the ``k`` nearest chunks; ids are -1 where fewer exist."""
    k = max(1, min(k, int(index.ntotal))) if index.ntotal else 1
    scores, ids = index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
    return scores[0], ids[0]

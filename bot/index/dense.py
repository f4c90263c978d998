"""Dense backend: FAISS inner-product index (cosine on normalised vectors), chosen by corpus size.

Exact (flat) search up to ``flat_max`` vectors, IVF-Flat above. Measured on 2 cores (``wayhome bench --scale``):
a single-query flat scan costs ~0.4 ms per 10,000 vectors, so past a few tens of thousands it alone would use
the 5 ms budget; IVF with a tuned ``nprobe`` answers a million clustered vectors in about a millisecond at
recall@10 ≥ 0.95, trains in a minute and adds only an id per vector, while HNSW took longer to build and
needed a larger graph for the same recall on clustered data. ``nprobe`` is chosen at build time by measuring
recall against exact search on a sample of the corpus, and stored in the index file. Indexes are loaded
memory-mapped, and query processes search with one OpenMP thread (faster for one query at a time).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

FLAT = "flat"
IVF = "ivf"
HNSW = "hnsw"
KINDS = (FLAT, IVF, HNSW)
TUNE_RECALL = 0.99  # recall@10 the build-time tuning aims for (the target is 0.95; this leaves a margin)
TUNE_QUERIES = 256
NPROBES = (1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256)
EF_SEARCHES = (16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)


def choose_kind(count: int, flat_max: int) -> str:
    """Exact search for small corpora; IVF when a flat scan would be slow."""
    return FLAT if count <= flat_max else IVF


def ivf_lists(count: int) -> int:
    """Number of IVF lists: about 2·√n (a few hundred vectors per list), with ≥ 39 training vectors each."""
    return int(max(1, min(round(2 * np.sqrt(count)), count // 39)))


@contextmanager
def omp_threads(count: int) -> Iterator[None]:
    """Run FAISS with ``count`` OpenMP threads inside the block."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(max(1, count))
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def build(vectors: np.ndarray, kind: str, hnsw_m: int = 32, ef_construction: int = 40,
          seed: int = 0):  # type: ignore[no-untyped-def]
    """A FAISS index of ``kind`` over normalised ``vectors``; approximate ones come tuned for recall."""
    import faiss

    if kind not in KINDS:
        raise ValueError(f"unknown dense index kind {kind!r} (expected one of {', '.join(KINDS)})")
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    count, dim = vectors.shape
    index: Any
    with omp_threads(os.cpu_count() or 1):
        if kind == FLAT or count == 0:
            index = faiss.IndexFlatIP(dim)
        elif kind == HNSW:
            index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = ef_construction
        else:
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, ivf_lists(count), faiss.METRIC_INNER_PRODUCT)
            index.cp.seed = seed
            index.train(_sample(vectors, 64 * index.nlist, seed))
        if count:
            index.add(vectors)
        if kind != FLAT and count:
            tune(index, vectors, seed=seed)
    return index


def _sample(vectors: np.ndarray, size: int, seed: int) -> np.ndarray:
    if len(vectors) <= size:
        return vectors
    pick = np.sort(np.random.default_rng(seed).choice(len(vectors), size, replace=False))
    return np.ascontiguousarray(vectors[pick])


def recall_at(found: np.ndarray, exact: np.ndarray) -> float:
    """Mean share of each row of ``exact`` ids that ``found`` also holds (recall@k, k = row width)."""
    k = exact.shape[1]
    return float(np.mean([len(set(f.tolist()) & set(e.tolist())) / k for f, e in zip(found, exact, strict=True)]))


def tune(index: Any, vectors: np.ndarray, target: float = TUNE_RECALL, k: int = 10, seed: int = 0) -> float:
    """Smallest ``nprobe`` (IVF) or ``efSearch`` (HNSW) whose recall@k against exact search on a sample of the
    corpus's own vectors reaches ``target``; sets it on ``index`` and returns the recall reached."""
    import faiss

    queries = perturbed(_sample(vectors, TUNE_QUERIES, seed + 1), seed)
    _, exact = faiss.knn(queries, vectors, min(k, len(vectors)), metric=faiss.METRIC_INNER_PRODUCT)
    reached = 0.0
    for value in (NPROBES if hasattr(index, "nprobe") else EF_SEARCHES):
        set_search_param(index, value)
        _, found = index.search(queries, exact.shape[1])
        reached = recall_at(found, exact)
        if reached >= target:
            break
    return reached


def perturbed(vectors: np.ndarray, seed: int, spread: float = 1.0) -> np.ndarray:
    """Query-like vectors near ``vectors`` (cosine ≈ 0.71 to them, about as far as a question from its best
    passage): tuning on the stored vectors themselves would find each in its own list and overstate recall
    (measured on held-out queries: spread 0.6 reached 0.97 where they got 0.954; spread 1.0 tracks them)."""
    noise = np.random.default_rng(seed).standard_normal(vectors.shape).astype(np.float32)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    moved = vectors + spread * noise
    return np.ascontiguousarray(moved / np.linalg.norm(moved, axis=1, keepdims=True), dtype=np.float32)


def set_search_param(index: Any, value: int) -> None:
    """Set the speed/recall knob of an approximate index (IVF nprobe, HNSW efSearch)."""
    if hasattr(index, "nprobe"):
        index.nprobe = min(int(value), int(index.nlist))
    elif hasattr(index, "hnsw"):
        index.hnsw.efSearch = int(value)


def describe(index: Any) -> dict[str, Any]:
    """Type and search parameters of a FAISS index (for the manifest and the bench)."""
    if hasattr(index, "nprobe"):
        return {"type": IVF, "nlist": int(index.nlist), "nprobe": int(index.nprobe)}
    if hasattr(index, "hnsw"):
        return {"type": HNSW, "M": int(index.hnsw.nb_neighbors(1)), "efSearch": int(index.hnsw.efSearch)}
    return {"type": FLAT}


def save(index: Any, path: Path) -> None:
    import faiss

    faiss.write_index(index, str(path))


def load(path: Path) -> Any:
    """Read a FAISS index memory-mapped (flat and HNSW vectors, IVF lists: ``IO_FLAG_MMAP_IFC``; the older
    ``IO_FLAG_MMAP`` still copies flat vectors into memory); search parameters come from the file. Sets one
    OpenMP thread: a query process searches one query at a time, and more threads only add overhead."""
    import faiss

    try:
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
    except RuntimeError:  # an index type that cannot be mapped
        index = faiss.read_index(str(path))
    faiss.omp_set_num_threads(1)
    return index


def search(index: Any, query: np.ndarray, k: int, among: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """(scores, ids) of the ``k`` nearest chunks (only those ``among`` selects, a ``selector``, when given); ids
    are -1 where fewer exist."""
    k = max(1, min(k, int(index.ntotal))) if index.ntotal else 1
    vector = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
    if among is None:
        scores, ids = index.search(vector, k)
    else:
        scores, ids = index.search(vector, k, params=_restricted(index, among))
    return scores[0], ids[0]


def selector(ids: np.ndarray) -> Any:
    """A FAISS selector of the chunks ``ids`` (copied) for ``search(..., among=)``."""
    import faiss

    return faiss.IDSelectorBatch(np.ascontiguousarray(ids, dtype=np.int64))


def _restricted(index: Any, among: Any) -> Any:
    """Search parameters limited to ``among``, keeping the index's own speed/recall knob."""
    import faiss

    params: Any
    if hasattr(index, "nprobe"):
        params = faiss.SearchParametersIVF()
        params.nprobe = int(index.nprobe)
    elif hasattr(index, "hnsw"):
        params = getattr(faiss, "SearchParametersHNSW")()  # noqa: B009 - not in faiss's stubs
        params.efSearch = int(index.hnsw.efSearch)
    else:
        params = faiss.SearchParameters()
    params.sel = among
    return params

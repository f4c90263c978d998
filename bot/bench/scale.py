"""``wayhome bench --scale N``: FAISS index types on N synthetic 384-d passages (build, memory, p50, recall@10).

The vectors are clustered the way sentence embeddings are, not uniform: a shared direction (embeddings are
anisotropic), topics, subtopics of lognormal sizes within them, passages that blend two subtopics, and
per-passage noise of varying strength. Printed with the figures: the mean cosine of random pairs (~0.15) and
of each query's 1st and 10th neighbour (~0.74 / ~0.70), so the difficulty is visible. Queries are fresh draws
from the same distribution, never used for tuning. Every index is written to disk and loaded back the way
wayhome loads its own (memory-mapped, one OpenMP thread), then searched one query at a time.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.index import dense

DIM = 384
MAX_P50_MS = 5.0
HNSW_MAX = 200_000  # larger HNSW builds take minutes here (1M: 458 s at M=32, recall@10 0.89 at efSearch 128)
MIN_RECALL = 0.95


@dataclass
class ScaleRow:
    """One index type at one size."""

    kind: str
    params: str
    build_s: float
    index_mb: float
    p50_ms: float
    recall: float
    chosen: bool = False


@dataclass
class Corpus:
    """Synthetic passages and held-out queries, with their exact neighbours."""

    base: np.ndarray
    queries: np.ndarray
    exact: np.ndarray
    stats: dict[str, float]


def _unit(x: np.ndarray) -> np.ndarray:
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def synthetic(n: int, queries: int, seed: int = 0, dim: int = DIM) -> tuple[np.ndarray, np.ndarray]:
    """``n`` clustered unit vectors and ``queries`` more from the same distribution (generated in blocks)."""
    rng = np.random.default_rng(seed)
    n_sub = max(10, n // 50)
    n_top = max(4, int(np.sqrt(n_sub)))
    mean = _unit(rng.standard_normal((1, dim), dtype=np.float32))[0]
    topics = _unit(rng.standard_normal((n_top, dim), dtype=np.float32))
    parent = rng.integers(0, n_top, n_sub)
    subs = _unit(rng.standard_normal((n_sub, dim), dtype=np.float32))
    weights = rng.lognormal(0.0, 1.0, n_sub)
    weights /= weights.sum()
    a, b, c = np.sqrt([0.15, 0.25, 0.30]).astype(np.float32)

    def block(m: int) -> np.ndarray:
        first, second = rng.choice(n_sub, m, p=weights), rng.integers(0, n_sub, m)
        share = rng.beta(5.0, 1.5, m).astype(np.float32)[:, None]
        mix = _unit(share * subs[first] + (1 - share) * subs[second])
        noise = np.sqrt(rng.uniform(0.15, 0.45, m)).astype(np.float32)[:, None]
        z = _unit(rng.standard_normal((m, dim), dtype=np.float32))
        return _unit(a * mean + b * topics[parent[first]] + c * mix + noise * z)

    base = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):
        base[start : start + 100_000] = block(min(100_000, n - start))
    return base, block(queries)


def make_corpus(n: int, queries: int, seed: int = 0) -> Corpus:
    """Synthetic corpus plus exact top-10 neighbours of the queries (brute force)."""
    import faiss

    base, held_out = synthetic(n, queries, seed)
    with dense.omp_threads(_cpus()):
        scores, exact = faiss.knn(held_out, base, 10, metric=faiss.METRIC_INNER_PRODUCT)
    pairs = min(2000, n // 2)
    random_pair = float(np.mean(np.sum(base[:pairs] * base[pairs : 2 * pairs], axis=1)))
    stats = {"random_pair_cos": random_pair, "top1_cos": float(scores[:, 0].mean()),
             "top10_cos": float(scores[:, 9].mean()) if scores.shape[1] >= 10 else 0.0}
    return Corpus(base, held_out, exact, stats)


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


def measure(kind: str, corpus: Corpus, workdir: Path, latency_queries: int) -> ScaleRow:
    """Build ``kind`` over the corpus, write it, load it back as wayhome does, time single queries."""
    start = time.perf_counter()
    index = dense.build(corpus.base, kind)
    build_s = time.perf_counter() - start
    params = ", ".join(f"{k}={v}" for k, v in dense.describe(index).items() if k != "type")
    path = workdir / f"{kind}.faiss"
    dense.save(index, path)
    del index
    loaded = dense.load(path)
    with dense.omp_threads(_cpus()):
        _, found = loaded.search(corpus.queries, 10)
    timings = []
    for query in corpus.queries[:latency_queries]:
        begin = time.perf_counter()
        dense.search(loaded, query, 10)
        timings.append(time.perf_counter() - begin)
    row = ScaleRow(kind, params or "exact", build_s, path.stat().st_size / 1e6,
                   float(np.median(timings) * 1000), dense.recall_at(found, corpus.exact))
    del loaded
    path.unlink()
    return row


def flat_at(corpus: Corpus, count: int, latency_queries: int) -> float:
    """p50 (ms) of a single-query flat scan over the first ``count`` passages (the exact/approximate threshold)."""
    import faiss

    index = faiss.IndexFlatIP(DIM)
    index.add(corpus.base[: min(count, len(corpus.base))])
    timings = []
    with dense.omp_threads(1):
        for query in corpus.queries[:latency_queries]:
            begin = time.perf_counter()
            index.search(query[None, :], 10)
            timings.append(time.perf_counter() - begin)
    return float(np.median(timings) * 1000)


def run(n: int, flat_max: int, quick: bool = False) -> dict[str, Any]:
    """The scale test at ``n`` passages: one row per index kind (HNSW only up to ``HNSW_MAX``), the chosen one
    marked."""
    kinds = dense.KINDS if n <= HNSW_MAX else tuple(k for k in dense.KINDS if k != dense.HNSW)
    queries = 100 if quick else 1000
    latency = 100 if quick else 500
    start = time.perf_counter()
    corpus = make_corpus(n, queries)
    generate_s = time.perf_counter() - start
    chosen = dense.choose_kind(n, flat_max)
    rows = []
    with tempfile.TemporaryDirectory(prefix="wayhome-scale-") as tmp:
        for kind in kinds:
            row = measure(kind, corpus, Path(tmp), latency)
            row.chosen = kind == chosen
            rows.append(row)
    threshold_p50 = flat_at(corpus, flat_max, latency)
    return {"n": n, "dim": DIM, "queries": queries, "generate_s": generate_s, "data": corpus.stats,
            "chosen": chosen, "flat_max": flat_max, "flat_p50_at_threshold_ms": threshold_p50,
            "peak_rss_mb": peak_rss_mb(), "rows": [asdict(r) for r in rows],
            "skipped": [] if dense.HNSW in kinds else [f"hnsw (above {HNSW_MAX:,} passages its build takes minutes)"]}


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def passes(row: dict[str, Any]) -> bool:
    """The scale target for the index wayhome chooses."""
    return bool(row["p50_ms"] <= MAX_P50_MS and row["recall"] >= MIN_RECALL)

"""The dense (FAISS) backend: exact below the size threshold, IVF above, tuned for recall, loaded memory-mapped."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.bench.scale import synthetic
from bot.index import dense


@pytest.fixture(scope="module")
def clustered() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """3,000 clustered vectors, 100 held-out queries and their exact top-10."""
    import faiss

    base, queries = synthetic(3000, 100, seed=7)
    _, exact = faiss.knn(queries, base, 10, metric=faiss.METRIC_INNER_PRODUCT)
    return base, queries, exact


def test_kind_is_chosen_by_corpus_size() -> None:
    assert dense.choose_kind(0, 20_000) == dense.FLAT
    assert dense.choose_kind(20_000, 20_000) == dense.FLAT
    assert dense.choose_kind(20_001, 20_000) == dense.IVF


def test_ivf_lists_grow_with_size_and_keep_enough_training_vectors() -> None:
    assert dense.ivf_lists(10) == 1
    assert dense.ivf_lists(40_000) == 400
    assert dense.ivf_lists(1_000_000) == 2000
    for n in (50, 1000, 25_000, 3_000_000):
        assert n // dense.ivf_lists(n) >= 39


def test_synthetic_vectors_are_clustered_not_uniform(clustered: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    base, queries, exact = clustered
    assert np.allclose(np.linalg.norm(base, axis=1), 1.0, atol=1e-5)
    random_pairs = float(np.mean(np.sum(base[:1000] * base[1000:2000], axis=1)))
    nearest = float(np.mean(np.sum(queries * base[exact[:, 0]], axis=1)))
    assert random_pairs < 0.3 and nearest > 0.6  # uniform 384-d vectors would give ~0.0 and ~0.2



@pytest.mark.parametrize("kind", dense.KINDS)
def test_a_search_among_some_chunks_finds_their_nearest_only(
        kind: str, clustered: tuple[np.ndarray, np.ndarray, np.ndarray], tmp_path: Path) -> None:
    base, queries, _ = clustered
    index = dense.build(base, kind)
    dense.save(index, tmp_path / "dense.faiss")
    loaded = dense.load(tmp_path / "dense.faiss")
    odd = np.arange(1, len(base), 2)
    among = dense.selector(odd)
    for query in queries[:20]:
        scores, ids = dense.search(loaded, query, 10, among=among)
        assert set(ids.tolist()) <= set(odd.tolist()), "only the selected chunks"
        exact = odd[np.argsort(-(base[odd] @ query))[:10]]
        overlap = len(set(ids.tolist()) & set(exact.tolist())) / 10
        assert overlap == 1.0 if kind == dense.FLAT else overlap >= 0.8
        assert list(scores) == sorted(scores, reverse=True)
    if kind != dense.FLAT:
        assert dense.describe(loaded) == dense.describe(index), "the index's own speed/recall knob is kept"

@pytest.mark.parametrize("kind", dense.KINDS)
def test_every_kind_finds_the_exact_neighbours(kind: str, clustered: tuple[np.ndarray, np.ndarray, np.ndarray],
                                               tmp_path: Path) -> None:
    base, queries, exact = clustered
    index = dense.build(base, kind)
    assert dense.describe(index)["type"] == kind
    dense.save(index, tmp_path / "dense.faiss")
    loaded = dense.load(tmp_path / "dense.faiss")
    assert dense.describe(loaded) == dense.describe(index)  # search parameters travel in the file
    found = np.stack([dense.search(loaded, q, 10)[1] for q in queries])
    recall = dense.recall_at(found, exact)
    assert recall == 1.0 if kind == dense.FLAT else recall >= 0.95


def test_approximate_index_is_tuned_to_the_smallest_setting_that_reaches_the_recall(
        clustered: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    base = clustered[0]
    index = dense.build(base, dense.IVF)
    chosen = dense.describe(index)["nprobe"]
    assert 1 <= chosen < index.nlist
    assert dense.tune(index, base) >= dense.TUNE_RECALL
    assert dense.describe(index)["nprobe"] == chosen  # tuning again lands on the same setting
    if chosen > 1:
        smaller = dense.NPROBES[dense.NPROBES.index(chosen) - 1]
        dense.set_search_param(index, smaller)
        queries = dense.perturbed(base[:256], 0)
        import faiss

        _, exact = faiss.knn(queries, base, 10, metric=faiss.METRIC_INNER_PRODUCT)
        assert dense.recall_at(index.search(queries, 10)[1], exact) < dense.TUNE_RECALL


def test_loaded_index_is_memory_mapped(clustered: tuple[np.ndarray, np.ndarray, np.ndarray],
                                       tmp_path: Path) -> None:
    for kind in dense.KINDS:
        path = tmp_path / f"{kind}.faiss"
        dense.save(dense.build(clustered[0], kind), path)
        index = dense.load(path)
        assert str(path) in Path("/proc/self/maps").read_text(), kind
        del index


def test_small_and_empty_inputs() -> None:
    empty = dense.build(np.zeros((0, 8), np.float32), dense.IVF)
    assert empty.ntotal == 0 and dense.describe(empty)["type"] == dense.FLAT
    few = np.eye(3, 8, dtype=np.float32)
    scores, ids = dense.search(dense.build(few, dense.IVF), few[1], 10)
    assert ids[0] == 1 and scores[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="unknown dense index kind"):
        dense.build(few, "lsh")


def test_index_build_records_the_kind_in_the_manifest(fake_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bot.engine import Engine
    from bot.index.build import build_index

    for flat_max, kind in ((1000, dense.FLAT), (5, dense.IVF)):
        settings = fake_settings.model_copy(update={"flat_index_max": flat_max,
                                                    "index_dir": tmp_path / f"index-{kind}"})
        build_index(settings)
        manifest = json.loads((settings.index_dir / "current" / "manifest.json").read_text())
        assert manifest["dense_index"] == kind
        engine = Engine.open(settings)
        assert dense.describe(engine.data.dense_index)["type"] == kind
        assert engine.ask("Who is Maria Andreyeva?").answered

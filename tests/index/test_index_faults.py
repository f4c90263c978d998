"""Index faults: truncated FAISS file, corrupt JSON, a manifest of another model or dimension, missing files
→ a clear error naming the problem and an automatic rebuild where the corpus allows."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine, _query_encoder
from bot.errors import CorpusError, IndexUnavailable
from bot.index import store as index_store
from bot.index.build import build_index
from bot.index.status import ensure_index
from bot.settings import Settings


def _live(settings: Settings) -> Path:
    live = index_store.current_dir(settings.index_dir)
    assert live is not None
    return live


def _edit_manifest(**changes: object) -> Callable[[Path], None]:
    def edit(live: Path) -> None:
        manifest = json.loads((live / "manifest.json").read_text())
        manifest.update(changes)
        (live / "manifest.json").write_text(json.dumps(manifest))
    return edit


def _truncate(name: str, size: int) -> Callable[[Path], None]:
    def cut(live: Path) -> None:
        with open(live / name, "r+b") as handle:
            handle.truncate(size)
    return cut


FAULTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated faiss": (_truncate("dense.faiss", 100), "dense.faiss: index file is corrupt"),
    "empty faiss": (_truncate("dense.faiss", 0), "dense.faiss: index file is corrupt"),
    "truncated vectors": (_truncate("vectors.npy", 200), "vectors.npy: index file is corrupt"),
    "corrupt chunks json": (lambda live: (live / "chunks.json").write_text('[{"chunk_id": '),
                            "chunks.json: index file is corrupt"),
    "chunks json of the wrong shape": (lambda live: (live / "chunks.json").write_text("[1, 2, 3]"),
                                       "chunks.json: index file is corrupt"),
    "corrupt articles json": (lambda live: (live / "articles.json").write_bytes(b"\xff\xfe garbage"),
                              "articles.json: index file is corrupt"),
    "corrupt bm25": (lambda live: (live / "bm25" / "vocab.index.json").write_text("{not json"),
                     "bm25: index file is corrupt"),
    "missing vectors": (lambda live: (live / "vectors.npy").unlink(), "missing vectors.npy"),
    "missing bm25 folder": (lambda live: shutil.rmtree(live / "bm25"), "missing bm25"),
    "manifest of another dimension": (_edit_manifest(dim=32), "index files disagree"),
    "manifest of another format": (_edit_manifest(format_version=99), "index format changed"),
    "manifest of another model": (_edit_manifest(model="fake:32"), "embedding model changed (fake:32 → fake:64)"),
    "corrupt manifest": (lambda live: (live / "manifest.json").write_text("{"), "manifest is missing or unreadable"),
    "missing manifest": (lambda live: (live / "manifest.json").unlink(), "manifest is missing or unreadable"),
    "deleted build folder": (lambda live: shutil.rmtree(live), "no index has been built"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault_is_reported_and_rebuilt(fake_settings: Settings, fault: str) -> None:
    build_index(fake_settings)
    damage, message = FAULTS[fault]
    damage(_live(fake_settings))
    notes: list[str] = []
    data = ensure_index(fake_settings, notify=notes.append)
    err = "\n".join(notes)
    assert message in err, err
    assert "2 articles:" in err and "Traceback" not in err
    assert len(data.chunks) == data.dense_index.ntotal > 0
    index_store.load(fake_settings.index_dir)  # the new index is sound
    answer = Engine.open(fake_settings).ask("How many followers does the Way Home channel have?")
    assert answer.answered


def test_corrupt_index_without_a_corpus_is_a_clear_error(fake_settings: Settings) -> None:
    build_index(fake_settings)
    _truncate("dense.faiss", 10)(_live(fake_settings))
    shutil.rmtree(fake_settings.corpus_dir)
    with pytest.raises(CorpusError, match="corpus folder not found"):
        ensure_index(fake_settings)


def test_stale_index_with_a_bad_new_article_keeps_serving_the_previous_one(
        fake_settings: Settings) -> None:
    build_index(fake_settings)
    (fake_settings.corpus_dir / "bad.md").write_text("---\ntitle: [\n---\nBody.")
    notes: list[str] = []
    data = ensure_index(fake_settings, notify=notes.append)
    err = "\n".join(notes)
    assert "bad.md: malformed YAML front matter" in err and "answering from the previous one" in err
    assert data.manifest.article_count == 2
    notes.clear()
    data = ensure_index(fake_settings, skip_bad=True, notify=notes.append)
    assert "bad.md" in "\n".join(notes)


def test_no_index_and_a_bad_article_is_an_error(fake_settings: Settings) -> None:
    (fake_settings.corpus_dir / "bad.md").write_bytes(b"\xff")
    with pytest.raises(Exception, match="bad.md: is not valid UTF-8"):
        ensure_index(fake_settings)


def test_missing_query_encoder_export_is_an_index_error(fake_settings: Settings, tmp_path: Path) -> None:
    build_index(fake_settings)
    data = index_store.load(fake_settings.index_dir)
    data.manifest = data.manifest.replace(model="all-MiniLM-L6-v2", encoder_dir="encoders/gone")
    broken = fake_settings.index_dir / "encoders" / "gone"
    broken.mkdir(parents=True)
    (broken / "wayhome_encoder.json").write_text("{")
    with pytest.raises(IndexUnavailable, match="cannot load the query encoder"):
        _query_encoder(fake_settings, data)
    assert not broken.exists(), "a broken export is removed so the rebuild exports it again"

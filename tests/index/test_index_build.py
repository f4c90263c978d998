"""Index build: atomic (a failed build leaves the previous index byte-identical), incremental, and status."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from support import tree

from bot.errors import ArticleError, CorpusError
from bot.index import dense
from bot.index import store as index_store
from bot.index.build import build_index
from bot.index.manifest import FORMAT_VERSION, from_json
from bot.index.status import stale_reasons, status
from bot.settings import Settings

NEW_ARTICLE = "---\ntitle: New\nurl: https://new.example/a\n---\nA brand new article about a vigil in Omsk.\n"


def with_(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update=changes)


def test_build_writes_a_complete_index(fake_settings: Settings) -> None:
    report = build_index(fake_settings)
    assert report.summary().startswith("2 articles: 2 embedded, 0 reused, 0 removed")
    data = index_store.load(fake_settings.index_dir)
    assert len(data.chunks) == report.chunks == data.dense_index.ntotal
    assert data.vectors.shape == (report.chunks, 64)
    assert np.allclose(np.linalg.norm(data.vectors, axis=1), 1.0, atol=1e-5)
    assert data.directory is not None
    manifest = json.loads((data.directory / "manifest.json").read_text())  # the file format, as older builds wrote it
    assert from_json(manifest) == data.manifest
    assert manifest["format_version"] == FORMAT_VERSION and manifest["model"] == "fake:64"
    assert manifest["dim"] == 64 and manifest["chunker"]["max_tokens"] == 128
    assert manifest["counts"] == {"articles": 2, "chunks": report.chunks}
    assert set(manifest["articles"]) == {"dw-2023-12-09-russian-soldiers-wives-bring-them-home.md",
                                         "the-way-home-37000-followers.md"}
    for chunk in data.chunks:  # chunk texts are verbatim slices of their article
        body = (fake_settings.corpus_dir / chunk.article_path).read_text()
        assert chunk.text in body
    live = index_store.current_dir(fake_settings.index_dir)
    assert live is not None and not list(live.rglob("*.pkl")) and not list(live.rglob("*.pickle"))


@pytest.mark.parametrize("stage", ["embed", "faiss", "bm25", "manifest"])
def test_a_failed_build_leaves_the_previous_index_byte_identical(fake_settings: Settings, stage: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    build_index(fake_settings)
    before = tree(fake_settings.index_dir)
    (fake_settings.corpus_dir / "new.md").write_text(NEW_ARTICLE)

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    def half_written(index: object, path: Path) -> None:
        path.write_bytes(b"partial")
        boom()

    if stage == "embed":
        monkeypatch.setattr("bot.encoders.fake.FakeEncoder.encode", boom)
    elif stage == "faiss":
        monkeypatch.setattr(dense, "save", half_written)
    elif stage == "bm25":
        monkeypatch.setattr("bot.index.bm25.KeywordIndex.save", boom)
    else:
        real = index_store._write_json
        monkeypatch.setattr(index_store, "_write_json",
                            lambda path, data, **kw: boom() if path.name == "manifest.json" else real(path, data, **kw))
    with pytest.raises(OSError, match="No space left"):
        build_index(fake_settings)
    assert tree(fake_settings.index_dir) == before
    assert index_store.load(fake_settings.index_dir).manifest.article_count == 2


def test_a_bad_article_leaves_the_previous_index_byte_identical(fake_settings: Settings) -> None:
    build_index(fake_settings)
    before = tree(fake_settings.index_dir)
    (fake_settings.corpus_dir / "bad.md").write_bytes(b"caf\xe9")
    with pytest.raises(ArticleError, match="bad.md"):
        build_index(fake_settings)
    for name in fake_settings.corpus_dir.iterdir():
        name.unlink()
    with pytest.raises(CorpusError):
        build_index(fake_settings)
    assert tree(fake_settings.index_dir) == before


def test_incremental_add_change_remove(fake_settings: Settings) -> None:
    corpus = fake_settings.corpus_dir
    build_index(fake_settings)
    assert build_index(fake_settings).summary().startswith("2 articles: 0 embedded, 2 reused, 0 removed")

    (corpus / "new.md").write_text(NEW_ARTICLE)
    assert build_index(fake_settings).summary().startswith("3 articles: 1 embedded, 2 reused, 0 removed")

    seed = corpus / "the-way-home-37000-followers.md"
    seed.write_text(seed.read_text() + "\nOne more sentence was added to the seed.\n")
    assert build_index(fake_settings).summary().startswith("3 articles: 1 embedded, 2 reused, 0 removed")

    (corpus / "new.md").unlink()
    report = build_index(fake_settings)
    assert report.summary().startswith("2 articles: 0 embedded, 2 reused, 1 removed")

    fresh = index_store.load(fake_settings.index_dir)
    full = build_index(fake_settings, force=True)
    assert full.summary().startswith("2 articles: 2 embedded, 0 reused, 0 removed")
    rebuilt = index_store.load(fake_settings.index_dir)
    assert [c.model_dump() for c in rebuilt.chunks] == [c.model_dump() for c in fresh.chunks]
    assert np.allclose(np.asarray(rebuilt.vectors), np.asarray(fresh.vectors), atol=1e-6)


def test_model_or_chunker_change_forces_a_full_rebuild(fake_settings: Settings) -> None:
    build_index(fake_settings)
    other_model = with_(fake_settings, embedding_model="fake:32")
    assert stale_reasons(other_model) == ["embedding model changed (fake:64 → fake:32)"]
    assert build_index(other_model).summary().startswith("2 articles: 2 embedded, 0 reused")
    assert index_store.load(fake_settings.index_dir).manifest.dim == 32

    smaller = with_(other_model, chunk_max_tokens=64)
    assert stale_reasons(smaller) == ["chunking settings changed"]
    assert build_index(smaller).summary().startswith("2 articles: 2 embedded, 0 reused")
    assert build_index(smaller).summary().startswith("2 articles: 0 embedded, 2 reused")

    live = index_store.current_dir(smaller.index_dir)
    assert live is not None
    manifest = json.loads((live / "manifest.json").read_text())
    manifest["chunker"]["algorithm"] = 1  # an index chunked by an older version of the code
    (live / "manifest.json").write_text(json.dumps(manifest))
    assert stale_reasons(smaller) == ["chunking method changed"]
    assert build_index(smaller).summary().startswith("2 articles: 2 embedded, 0 reused")


def test_old_builds_and_leftovers_are_pruned(fake_settings: Settings) -> None:
    build_index(fake_settings)
    (fake_settings.index_dir / ".tmp-build-leftover").mkdir()
    build_index(fake_settings)
    names = sorted(p.name for p in fake_settings.index_dir.iterdir())
    assert [n for n in names if n.startswith(("build-", ".tmp-build-"))] == [
        os.readlink(fake_settings.index_dir / "current")]


def test_status_reports_counts_and_staleness(fake_settings: Settings) -> None:
    corpus = fake_settings.corpus_dir
    assert status(fake_settings).built is False
    report = build_index(fake_settings)
    current = status(fake_settings)
    assert (current.built, current.articles, current.chunks, current.model) == (True, 2, report.chunks, "fake:64")
    assert current.built_at and current.stale == []

    (corpus / "new.md").write_text(NEW_ARTICLE)
    assert status(fake_settings).stale == ["1 article(s) added: new.md"]
    seed = corpus / "the-way-home-37000-followers.md"
    seed.write_text(seed.read_text() + "\nMore.\n")
    (corpus / "dw-2023-12-09-russian-soldiers-wives-bring-them-home.md").unlink()
    assert status(fake_settings).stale == [
        "1 article(s) added: new.md", "1 article(s) changed: the-way-home-37000-followers.md",
        "1 article(s) removed: dw-2023-12-09-russian-soldiers-wives-bring-them-home.md"]
    build_index(fake_settings)
    assert status(fake_settings).stale == []
    (corpus / "notes.docx").write_bytes(b"PK")  # not an article: does not make the index stale
    assert status(fake_settings).stale == []


def test_skipped_bad_files_do_not_make_the_index_stale(fake_settings: Settings) -> None:
    (fake_settings.corpus_dir / "bad.md").write_bytes(b"\x00\x01binary")
    report = build_index(fake_settings, skip_bad=True)
    assert report.articles == 2 and any("bad.md" in w for w in report.warnings)
    assert stale_reasons(fake_settings) == []
    (fake_settings.corpus_dir / "bad.md").write_text("Now it is a readable article about the vigil.")
    assert stale_reasons(fake_settings) == ["1 article(s) changed: bad.md"]


def test_a_change_in_how_articles_are_read_marks_the_index_stale_and_re_reads_them(fake_settings: Settings) -> None:
    build_index(fake_settings)
    live = index_store.current_dir(fake_settings.index_dir)
    assert live is not None
    manifest = json.loads((live / "manifest.json").read_text())
    manifest["article_reader"] = 1  # built when the reader kept boilerplate it now drops
    (live / "manifest.json").write_text(json.dumps(manifest))
    assert stale_reasons(fake_settings) == ["article reader changed"]
    assert build_index(fake_settings).summary().startswith("2 articles: 2 embedded, 0 reused")
    assert stale_reasons(fake_settings) == []

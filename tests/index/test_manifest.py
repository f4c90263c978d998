"""The typed manifest: read leniently (an older build's fields read as unknown, so it is stale), written back
exactly, never changed in place."""

from __future__ import annotations

import dataclasses

import pytest

from bot.index.manifest import FORMAT_VERSION, ArticleEntry, Manifest, from_json, same_encoders
from bot.index.staleness import settings_mismatches
from bot.settings import Settings

OLD = {"format_version": 1, "model": "fake:64", "dim": 64, "chunker": {"max_tokens": 128},
       "counts": {"articles": 1, "chunks": 3}, "articles": {"a.md": {"hash": "h", "chunks": [0, 3]}}}


def test_an_older_build_reads_with_unknown_fields_and_is_stale() -> None:
    manifest = from_json(OLD)
    assert manifest.article_count == 1 and manifest.chunk_count == 3 and manifest.dim == 64
    assert manifest.articles == {"a.md": ArticleEntry("h", (0, 3), "")}
    assert manifest.model_max_tokens is None and manifest.keyword_tokenizer is None
    assert manifest.languages == ("en",) and manifest.generic_texts is None
    reasons = settings_mismatches(manifest, Settings(embedding_model="fake:64", _env_file=None))  # type: ignore[call-arg]
    assert "chunking method changed" in reasons and "keyword tokenizer changed" in reasons


@pytest.mark.parametrize("articles", [[], {"a.md": {"hash": "h", "chunks": [0]}}, {"a.md": {"chunks": [0, 1]}},
                                      {"a.md": {"hash": "h", "chunks": [0, True]}}])
def test_malformed_article_entries_leave_nothing_reusable(articles: object) -> None:
    assert from_json({**OLD, "articles": articles}).articles is None


def test_fields_of_the_wrong_type_read_as_unknown() -> None:
    manifest = from_json({"format_version": "1", "dim": "64", "counts": [], "model": 3})
    assert manifest.format_version is None and manifest.dim is None and manifest.model is None
    assert manifest.article_count == 0


def test_written_json_reads_back_the_same_manifest() -> None:
    manifest = Manifest(model="m", dim=8, encoder_dir="encoders/m", chunker={"algorithm": 6},
                        articles={"a.md": ArticleEntry("h", (0, 2), "ru")}, skipped={"b.md": "x"},
                        languages=("en", "ru"), multilingual_model="e5", multilingual_encoder_dir="encoders/e5",
                        generic_texts="d")
    raw = manifest.to_json()
    assert raw["format_version"] == FORMAT_VERSION and raw["articles"]["a.md"]["chunks"] == [0, 2]
    assert from_json(raw) == manifest
    assert "generic_texts" not in Manifest(multilingual_model="").to_json()


def test_a_manifest_is_frozen_and_replace_makes_a_copy() -> None:
    manifest = Manifest(model="m")
    with pytest.raises(dataclasses.FrozenInstanceError):
        manifest.model = "other"  # type: ignore[misc]
    other = manifest.replace(multilingual_model="e5")
    assert manifest.multilingual_model is None and other.multilingual_model == "e5"
    assert same_encoders(manifest, manifest) and not same_encoders(manifest, other)

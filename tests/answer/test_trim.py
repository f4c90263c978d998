"""Trimming a quote to the paragraphs that answer: hand-made passages, no model."""

from __future__ import annotations

import numpy as np
from support import WORDFREQ

from bot.answer.trim import CUT, answering, answering_judged, kept, new_words, paragraph_texts, pieces, trim
from bot.encoders.fake import FakeEncoder
from bot.search.query import analyse
from bot.search.vocabulary import Vocabulary

TROFIMOVA = "Yelena Trofimova, whose only son was conscripted in September 2022, bemoaned his time at the front."
MARIA = ("Maria Andreyeva, a famous activist and a conscript's wife, has been deemed a \u201cforeign agent\u201d and "
         "has been forced to quit her job in August.")
KREMLIN = "The Kremlin has denied suggestions of a second wave of mobilization."
SHE = "She said the movement would keep its channel open."
HOWEVER = "However, the ministry did not answer her letters."


def test_a_quote_keeps_the_answering_paragraph_and_marks_both_cuts() -> None:
    text = f"{TROFIMOVA}\n{MARIA}\n{KREMLIN}"
    quote = trim(text, highlight=MARIA, answers=[False, True, False])
    assert quote == f"{CUT}\n{MARIA}\n{CUT}"
    assert pieces(quote) == [MARIA]


def test_the_highlighted_paragraph_is_kept_even_below_the_line() -> None:
    text = f"{MARIA}\n\n{KREMLIN}"
    assert trim(text, highlight=KREMLIN, answers=[False, False]) == f"{CUT}\n\n{KREMLIN}"


def test_paragraphs_that_lean_on_a_kept_one_stay_with_it_and_so_does_the_one_it_leans_on() -> None:
    text = f"{MARIA}\n{SHE}\n{HOWEVER}\n{KREMLIN}"
    assert trim(text, highlight=MARIA, answers=[True, False, False, False]) == f"{MARIA}\n{SHE}\n{HOWEVER}\n{CUT}"
    # the highlight in a paragraph that leans back keeps the paragraph that says who "she" is
    assert kept(paragraph_texts(text), [False] * 4, anchor=1) == [0, 1, 2]


def test_a_cut_between_two_answering_paragraphs_is_marked_once_with_the_articles_whitespace() -> None:
    text = f"{MARIA}\n\n{KREMLIN}\n\n{TROFIMOVA}\n\n{KREMLIN}"
    quote = trim(text, highlight=MARIA, answers=[True, False, True, False])
    assert quote == f"{MARIA}\n\n{CUT}\n\n{TROFIMOVA}\n\n{CUT}"
    assert pieces(quote) == [MARIA, TROFIMOVA] and all(p in text for p in pieces(quote))


def test_nothing_is_cut_when_every_paragraph_answers_or_there_is_one() -> None:
    text = f"{MARIA}\n{TROFIMOVA}"
    assert trim(text, MARIA, [True, True]) == text
    one = f"{MARIA} {KREMLIN}"  # one paragraph of two sentences: never cut inside a paragraph
    assert trim(one, MARIA, [False]) == one and pieces(one) == [one]


def test_paragraphs_are_scored_by_their_own_cosine_and_coverage_in_one_batch() -> None:
    class Counting(FakeEncoder):
        calls: list[list[str]] = []

        def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
            self.calls.append(list(texts))
            return super().encode(texts, batch_size)

    encoder = Counting()
    query = analyse("Who is Maria Andreyeva?", Vocabulary(df={}, docs=1, lexicon=WORDFREQ))
    vector = np.zeros(encoder.dim, np.float32)  # no cosine: only the words decide here
    quotes = [f"{TROFIMOVA}\n{MARIA}\n{KREMLIN}", MARIA, f"{KREMLIN}\n{SHE}"]
    result = answering(quotes, query, vector, encoder, line=0.5, coverage_weight=1.0)
    assert result == [[False, True, False], [True], [False, False]]
    # one batch; single-paragraph quotes are not encoded, a paragraph met twice is encoded once
    assert len(encoder.calls) == 1 and len(encoder.calls[0]) == 4
    assert answering(quotes, query, vector, encoder, line=0.5, coverage_weight=1.0) == result
    assert len(encoder.calls) == 1  # the same paragraphs again: their vectors are kept
    aligned = encoder.encode([KREMLIN])[0]  # a paragraph close to the question in embedding space passes
    assert answering([f"{MARIA}\n{KREMLIN}"], query, aligned, encoder, 0.5, 1.0) == [[True, True]]


class _Fixed(FakeEncoder):
    """An encoder whose vectors give each paragraph a chosen cosine with the question vector (1, 0, …)."""

    def __init__(self, cosines: dict[str, float]) -> None:
        super().__init__(dim=2)
        self.cosines = cosines

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        out = [[self.cosines[t], (1 - self.cosines[t] ** 2) ** 0.5] for t in texts]
        return np.asarray(out, dtype=np.float32)


def test_a_continuation_near_the_best_paragraph_stays_and_an_unrelated_one_goes() -> None:
    query = analyse("What does the movement want?", Vocabulary(df={}, docs=1, lexicon=WORDFREQ))
    vector = np.asarray([1.0, 0.0], np.float32)
    encoder = _Fixed({MARIA: 0.8, SHE: 0.4, KREMLIN: 0.16})
    # below the quotable line (0.5), but 0.4 is (0.4-0.15)/(0.8-0.15) = 38 % of the way from the floor to the
    # best paragraph (kept); the Kremlin paragraph is 2 % of the way (dropped)
    assert answering([f"{MARIA}\n{SHE}\n{KREMLIN}"], query, vector, encoder, 0.5, 1.0, floor=0.15) == [
        [True, True, False]]
    # no paragraph above the floor: none is kept on the relative rule
    low = _Fixed({MARIA: 0.1, KREMLIN: 0.12})
    assert answering([f"{MARIA}\n{KREMLIN}"], query, vector, low, 0.5, 1.0, floor=0.15) == [[False, False]]


def test_a_passage_judged_by_its_language_pair_keeps_its_paragraphs_above_the_pairs_floor_or_near_its_best() -> None:
    """Across languages the question's words are not the passage's: each paragraph is judged on the pair's
    scale alone (``judge``: cosine to standard units, unrelated text at 0)."""
    vector = np.asarray([1.0, 0.0], np.float32)
    encoder = _Fixed({MARIA: 0.9, SHE: 0.5, KREMLIN: 0.3})
    judge = lambda cosine: (cosine - 0.3) / 0.1  # noqa: E731 - the pair's standard units: 6, 2, 0
    # the floor (3) keeps Maria; "She…" (2) is a third of the way to the best (6): kept; the Kremlin (0) goes
    assert answering_judged(f"{MARIA}\n{SHE}\n{KREMLIN}", vector, encoder, judge, 3.0) == [True, True, False]
    # above a floor no paragraph reaches (7): the best paragraph and those a quarter of the way to it stay
    near = _Fixed({MARIA: 0.9, SHE: 0.46, KREMLIN: 0.44})  # 6, 1.6 (27 % of 6), 1.4 (23 %)
    assert answering_judged(f"{MARIA}\n{SHE}\n{KREMLIN}", vector, near, judge, 7.0) == [True, True, False]
    # nothing above unrelated text: only the highlight's paragraph will be kept (``trim``'s anchor)
    assert answering_judged(f"{SHE}\n{KREMLIN}", vector, _Fixed({SHE: 0.2, KREMLIN: 0.25}), judge, 3.0) == [
        False, False]
    assert answering_judged(MARIA, vector, encoder, judge, 99.0) == [True]  # one paragraph: quoted whole


def test_a_paragraph_holding_a_question_word_the_kept_ones_lack_stays() -> None:
    """"When was the Ivanovo chat founded?": the highlight's paragraph names the chat, the next one says when it
    was founded; neither reaches the line alone. The Kremlin paragraph holds no word of the question."""
    chat = 'The chat is called "Waiting Together - Ivanovo", and it is still busy at night.'
    founded = "The group has 527 members. It was founded in March 2023 by Oksana Belyaeva."
    query = analyse("When was the Ivanovo chat founded?", Vocabulary(df={}, docs=1, lexicon=WORDFREQ))
    text = f"{chat}\n\n{founded}\n\n{KREMLIN}"
    assert new_words(paragraph_texts(text), [0], query) == [1]
    assert trim(text, chat, [False, False, False], query) == f"{chat}\n\n{founded}\n\n{CUT}"
    assert trim(text, chat, [False, False, False]) == f"{chat}\n\n{CUT}"  # without the question: as before
    # a word already in a kept paragraph adds nothing: "chat" again
    again = f"{chat}\n\n{KREMLIN} The chat was mentioned."
    assert new_words(paragraph_texts(again), [0], query) == []

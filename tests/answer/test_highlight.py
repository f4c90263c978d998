"""The highlight: the sentence of a passage that best answers the question, verbatim."""

from __future__ import annotations

import pytest
from support import WORDFREQ

from bot.answer.highlight import best_sentence, sentences, wanted_kind
from bot.search.query import analyse
from bot.search.vocabulary import Vocabulary
from bot.text.normalize import keyword_tokens

PASSAGE = ("In recent years, Russian women have become increasingly vocal in demanding the return of their loved "
           "ones from Ukraine. This grassroots movement, known as \u201cThe Way Home,\u201d has gained significant "
           "traction, with over 37,000 followers on its Telegram channel. Police quickly dispersed the group in "
           "November 2023. Maria Andreyeva, a famous activist, was deemed a \u201cforeign agent\u201d.")


@pytest.fixture
def vocab() -> Vocabulary:
    tokens = keyword_tokens(PASSAGE)
    return Vocabulary(df={t: 1 for t in tokens}, docs=10, words={}, lexicon=WORDFREQ)


@pytest.mark.parametrize(("question", "start"), [
    ("How many followers does the Way Home channel have?", "This grassroots movement"),
    ("how many folowers on telegram", "This grassroots movement"),
    ("When did the police disperse the group?", "Police quickly dispersed"),
    ("Who is Maria Andreyeva?", "Maria Andreyeva"),
    ("What do Russian women demand?", "In recent years"),
])
def test_the_best_answering_sentence_is_highlighted_verbatim(vocab: Vocabulary, question: str, start: str) -> None:
    highlight = best_sentence(PASSAGE, analyse(question, vocab))
    assert highlight.startswith(start)
    assert highlight in PASSAGE and highlight in sentences(PASSAGE)


def test_the_kind_of_answer_breaks_ties_between_equally_matching_sentences() -> None:
    text = "The movement grew. The movement had 37,000 followers by winter."
    vocab = Vocabulary(df={t: 1 for t in keyword_tokens(text)}, docs=5, lexicon=WORDFREQ)
    assert best_sentence(text, analyse("How many in the movement?", vocab)) == "The movement had 37,000 followers by winter."
    assert best_sentence(text, analyse("the movement", vocab)) == "The movement grew."  # first on ties
    assert wanted_kind("How many?") is not None and wanted_kind("Why?") is None


def test_a_passage_of_one_unsplittable_sentence_is_its_own_highlight(vocab: Vocabulary) -> None:
    text = "no sentence end here just words about the way home"
    assert best_sentence(text, analyse("anything at all", vocab)) == text

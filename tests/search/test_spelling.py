"""Spelling: what a question word the corpus does not know stands for (no model, no index)."""

from __future__ import annotations

from support import vocabulary

from bot.search.query import analyse
from bot.search.spelling import correct
from bot.text.normalize import keyword_tokens


def test_misspelt_names_are_corrected_against_the_corpus() -> None:
    vocab = vocabulary()
    assert correct("tsukanva", vocab) == "tsukanova"
    assert correct("folowers", vocab) == "followers"
    query = analyse("who is olga tsukanva", vocab)
    assert query.corrections == {"tsukanva": "tsukanova"}
    assert "Olga tsukanova" in query.dense_text or "olga tsukanova" in query.dense_text
    assert query.tokens == keyword_tokens("olga tsukanova")


def test_real_english_words_are_not_turned_into_corpus_words() -> None:
    vocab = vocabulary()
    assert vocab.lexicon.is_common("mean") and correct("mean", vocab) is None  # not "men"
    assert correct("lasagna", vocab) is None


def test_a_close_relative_stands_for_a_word_the_corpus_lacks() -> None:
    vocab = vocabulary()
    assert correct("withdrawn", vocab) in {"withdraw", "withdrawal"}


def test_a_typo_of_an_everyday_word_is_not_turned_into_a_rarer_corpus_word() -> None:
    vocab = vocabulary("reply", "movement", "wives")
    query = analyse("how many wives realy take part in the movment", vocab)
    assert query.corrections == {"realy": "really", "movment": "movement"}  # not "reply", not "moment"
    assert keyword_tokens("reply")[0] not in query.weights and keyword_tokens("movement")[0] in query.weights
    assert "really" in query.dense_text

"""Vocabulary: how telling a question word is, and which corpus words are one family (no model, no index)."""

from __future__ import annotations

from support import vocabulary

from bot.search.query import analyse


def test_a_word_weighs_as_its_most_common_form_whatever_inflection_is_typed() -> None:
    vocab = vocabulary("russian", "russians", "mobilised", "mobilized", "mobilization")
    rarity = vocab.lexicon.rarity
    assert rarity("russians") > rarity("russian")  # "Russians" is rarer English than "Russian"…
    weights = [analyse(q, vocab).weights for q in ("Russians", "Russian")]
    assert weights[0] == weights[1]  # …but both ask about the same thing
    assert analyse("mobilised", vocab).weights == analyse("mobilization", vocab).weights


def test_words_one_ending_apart_are_one_family() -> None:
    vocab = vocabulary("russia", "russian", "serve", "service", "part", "party", "war")
    stems = vocab.words
    assert vocab.family(stems["russia"]) == (stems["russian"],)
    assert vocab.family(stems["russian"]) == (stems["russia"],)
    assert vocab.family(stems["serve"]) == (stems["service"],)
    assert vocab.family(stems["part"]) == () and vocab.family(stems["war"]) == ()  # "party" is another word

"""Query analysis: the movement's name, multi-word names, token weights (no model, no index)."""

from __future__ import annotations

from support import vocabulary

from bot.search.query import NAME, PHRASE, analyse, name_phrases, proper_names, split_name
from bot.text.normalize import keyword_tokens


def test_naming_the_movement_searches_both_names_as_one_concept() -> None:
    vocab = vocabulary()
    assert split_name(["what", "is", "put", "domoi"]) == (["what", "is"], [("put", "domoi")])
    query = analyse("How many followers does Put Domoy have?", vocab)
    assert NAME in query.weights and "domoi" not in query.weights
    assert {"put", "domoi", "way", "home"} <= set(query.tokens)
    assert "Put' Domoi (The Way Home)" in query.dense_text


def test_the_plain_english_way_home_weighs_little() -> None:
    vocab = vocabulary()
    typed_name = analyse("put domoi", vocab).weights[NAME]
    plain = analyse("the best way home from the airport", vocab).weights
    assert plain[NAME] < typed_name / 3
    assert plain[keyword_tokens("airport")[0]] > plain[NAME]


def test_unknown_names_weigh_more_than_unknown_common_words() -> None:
    vocab = vocabulary()
    weights = analyse("What did the Vietnam veterans eat?", vocab).weights
    assert weights["vietnam"] > weights[keyword_tokens("veterans")[0]]
    rarity = vocab.lexicon.rarity
    assert rarity("lasagna") > rarity("weather") > rarity("think")


def test_multi_word_names_are_found_but_not_sentence_starts() -> None:
    assert name_phrases("How many soldiers died in World War II?") == [["world", "war", "ii"]]
    assert name_phrases("Who wrote War and Peace?") == [["war", "and", "peace"]]
    assert name_phrases("What is the Council of Mothers and Wives?") == [["council", "of", "mothers", "and", "wives"]]
    assert name_phrases("Olga Tsukanova was arrested") == []  # "Olga" opens the sentence
    assert {"vietnam", "fifa"} <= proper_names("What caused the Vietnam War? Who won the FIFA cup?")


def test_a_multi_word_name_is_its_own_weighted_concept() -> None:
    vocab = vocabulary()
    query = analyse("How many soldiers died in World War II?", vocab)
    assert query.phrases == {PHRASE + "world war ii": ("world", "war", "ii")}
    assert query.weights[PHRASE + "world war ii"] > 0

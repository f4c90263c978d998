"""Query handling for real typing: folding, name variants, spelling, typos, weights (no model, no index)."""

from __future__ import annotations

import pytest

from bot.search.query import NAME, PHRASE, analyse, name_phrases, proper_names, split_name
from bot.search.spelling import correct
from bot.search.vocabulary import Vocabulary
from bot.text.lexicon import is_common, rarity
from bot.text.normalize import keyword_tokens, words

CORPUS_WORDS = ("olga tsukanova followers channel telegram withdraw withdrawal mobilization conscripts men put domoi "
                "way home theater square vernyom rebyat 617000 troops war peace world negotiations").split()


@pytest.fixture
def vocab() -> Vocabulary:
    """A small corpus vocabulary: every word in 3 of 40 documents."""
    stems = {w: keyword_tokens(w)[0] for w in CORPUS_WORDS}
    return Vocabulary(df={s: 3 for s in stems.values()}, docs=40, words=stems)


@pytest.mark.parametrize("typed", ["Put' Domoi", "put domoi", "Put Domoy", "PUT DOMOJ", "Путь домой", "Put’ domoi"])
def test_every_spelling_of_the_movement_folds_to_one_form(typed: str) -> None:
    assert words(typed) == ["put", "domoi"]


def test_apostrophes_case_and_thousands_separators_are_folded() -> None:
    assert words("Putin's") == words("putins") == ["putins"]
    assert words("617,000 troops") == words("617000 troops") == words("617 000 troops") == ["617000", "troops"]
    assert keyword_tokens("MOBILISATION") == keyword_tokens("mobilization")
    assert keyword_tokens("Theatre") == keyword_tokens("theater")


def test_question_words_carry_no_weight() -> None:
    assert keyword_tokens("What happened, who is it and how many were there?") == []


def test_misspelt_names_are_corrected_against_the_corpus(vocab: Vocabulary) -> None:
    assert correct("tsukanva", vocab) == "tsukanova"
    assert correct("folowers", vocab) == "followers"
    query = analyse("who is olga tsukanva", vocab)
    assert query.corrections == {"tsukanva": "tsukanova"}
    assert "Olga tsukanova" in query.dense_text or "olga tsukanova" in query.dense_text
    assert query.tokens == keyword_tokens("olga tsukanova")


def test_real_english_words_are_not_turned_into_corpus_words(vocab: Vocabulary) -> None:
    assert is_common("mean") and correct("mean", vocab) is None  # not "men"
    assert correct("lasagna", vocab) is None


def test_a_close_relative_stands_for_a_word_the_corpus_lacks(vocab: Vocabulary) -> None:
    assert correct("withdrawn", vocab) in {"withdraw", "withdrawal"}


def test_naming_the_movement_searches_both_names_as_one_concept(vocab: Vocabulary) -> None:
    assert split_name(["what", "is", "put", "domoi"]) == (["what", "is"], [("put", "domoi")])
    query = analyse("How many followers does Put Domoy have?", vocab)
    assert NAME in query.weights and "domoi" not in query.weights
    assert {"put", "domoi", "way", "home"} <= set(query.tokens)
    assert "Put' Domoi (The Way Home)" in query.dense_text


def test_the_plain_english_way_home_weighs_little(vocab: Vocabulary) -> None:
    typed_name = analyse("put domoi", vocab).weights[NAME]
    plain = analyse("the best way home from the airport", vocab).weights
    assert plain[NAME] < typed_name / 3
    assert plain[keyword_tokens("airport")[0]] > plain[NAME]


def test_unknown_names_weigh_more_than_unknown_common_words(vocab: Vocabulary) -> None:
    weights = analyse("What did the Vietnam veterans eat?", vocab).weights
    assert weights["vietnam"] > weights[keyword_tokens("veterans")[0]]
    assert rarity("lasagna") > rarity("weather") > rarity("think")


def test_multi_word_names_are_found_but_not_sentence_starts() -> None:
    assert name_phrases("How many soldiers died in World War II?") == [["world", "war", "ii"]]
    assert name_phrases("Who wrote War and Peace?") == [["war", "and", "peace"]]
    assert name_phrases("What is the Council of Mothers and Wives?") == [["council", "of", "mothers", "and", "wives"]]
    assert name_phrases("Olga Tsukanova was arrested") == []  # "Olga" opens the sentence
    assert {"vietnam", "fifa"} <= proper_names("What caused the Vietnam War? Who won the FIFA cup?")


def test_a_multi_word_name_is_its_own_weighted_concept(vocab: Vocabulary) -> None:
    query = analyse("How many soldiers died in World War II?", vocab)
    assert query.phrases == {PHRASE + "world war ii": ("world", "war", "ii")}
    assert query.weights[PHRASE + "world war ii"] > 0


def test_a_word_weighs_as_its_most_common_form_whatever_inflection_is_typed() -> None:
    stems = {w: keyword_tokens(w)[0] for w in ("russian", "russians", "mobilised", "mobilized", "mobilization")}
    vocab = Vocabulary(df={s: 3 for s in stems.values()}, docs=40, words=stems)
    assert rarity("russians") > rarity("russian")  # "Russians" is rarer English than "Russian"…
    weights = [analyse(q, vocab).weights for q in ("Russians", "Russian")]
    assert weights[0] == weights[1]  # …but both ask about the same thing
    assert analyse("mobilised", vocab).weights == analyse("mobilization", vocab).weights


def test_a_typo_of_an_everyday_word_is_not_turned_into_a_rarer_corpus_word() -> None:
    stems = {w: keyword_tokens(w)[0] for w in ("reply", "movement", "wives")}
    vocab = Vocabulary(df={s: 3 for s in stems.values()}, docs=40, words=stems)
    query = analyse("how many wives realy take part in the movment", vocab)
    assert query.corrections == {"realy": "really", "movment": "movement"}  # not "reply", not "moment"
    assert keyword_tokens("reply")[0] not in query.weights and keyword_tokens("movement")[0] in query.weights
    assert "really" in query.dense_text


def test_words_one_ending_apart_are_one_family() -> None:
    stems = {w: keyword_tokens(w)[0] for w in ("russia", "russian", "serve", "service", "part", "party", "war")}
    vocab = Vocabulary(df={s: 3 for s in stems.values()}, docs=40, words=stems)
    assert vocab.family(stems["russia"]) == (stems["russian"],)
    assert vocab.family(stems["russian"]) == (stems["russia"],)
    assert vocab.family(stems["serve"]) == (stems["service"],)
    assert vocab.family(stems["part"]) == () and vocab.family(stems["war"]) == ()  # "party" is another word

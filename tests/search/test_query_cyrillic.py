"""Russian words in a question are no misspelt English: transliterated, they are corrected only to another
ending of the same word (a name's case), never to a different English word («года» is not "god")."""

from __future__ import annotations

from support import vocabulary

from bot.search.query import analyse
from bot.text.normalize import stem


def test_a_transliterated_russian_word_is_not_respelt_as_an_english_one() -> None:
    vocab = vocabulary("god", "media", "mobilization")
    query = analyse("Что критиковали семьи военных осенью 2023 года? у меня муж", vocab)
    assert query.corrections == {}
    assert "god" not in query.tokens and stem("goda") in query.tokens


def test_a_russian_name_in_another_case_still_finds_its_english_spelling() -> None:
    query = analyse("Кто такая Ольга Цукановой?", vocabulary("olga", "tsukanova"))
    assert query.corrections == {"tsukanovoi": "tsukanova"}


def test_latin_words_are_still_corrected() -> None:
    assert analyse("who is olga tsukanva", vocabulary("olga", "tsukanova")).corrections == {"tsukanva": "tsukanova"}


def test_a_name_in_another_transliteration_is_the_corpus_word() -> None:
    vocab = vocabulary("nizhneoziorsk", "dostoevskii", "iaga", "baba", "yoga", "savrasova")  # folded Russian
    assert analyse("the free legal office in Nizhneozyorsk", vocab).corrections == {"nizhneozyorsk": "nizhneoziorsk"}
    assert analyse("when did dostoyevsky write", vocab).corrections == {"dostoyevsky": "dostoevskii"}
    assert analyse("baba yaga", vocab).corrections == {"yaga": "iaga"}  # not the everyday "yoga"


def test_a_russian_spelling_of_an_english_written_name_is_that_name() -> None:
    vocab = vocabulary("yulia", "yershova", "kovalyova")
    assert analyse("Кто такая Юлия Ершова?", vocab).corrections == {"iuliia": "yulia", "ershova": "yershova"}
    assert analyse("Что сказала Ковалёва", vocab).corrections == {"kovaliova": "kovalyova"}


def test_common_english_words_are_not_read_as_transliterations() -> None:
    assert analyse("what did they say yesterday", vocabulary("esterdai")).corrections == {}


def test_russian_words_weigh_by_how_common_they_are_in_russian() -> None:
    """«что», «было», «на» are everyday Russian, not rare words: a passage that lacks them loses little; a
    passage that lacks «плакате» or the name loses much (all six unknown to the corpus: same idf)."""
    weights = analyse("что было написано на плакате гришковой", vocabulary("media")).weights
    assert max(weights["chto"], weights["bylo"], weights["na"]) < 0.1 * weights["napisano"]
    assert weights["napisano"] < weights["plakat"] == weights["grishkovoi"]


def test_an_english_word_spelt_like_a_folded_russian_one_keeps_its_english_weight() -> None:
    vocab = vocabulary("media")
    assert analyse("на", vocab).weights["na"] < analyse("NA", vocab).weights["na"]  # "na" is rare English

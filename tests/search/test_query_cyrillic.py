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

"""A question is read once: cleaned, cut for search, its language decided (and carried to the renderers)."""

from __future__ import annotations

from bot.text.question import read_question


def test_a_question_is_cleaned_trimmed_and_its_language_decided_once() -> None:
    question = read_question("  Кто   такая\u200b Мария Андреева?  ", 1000)
    assert question.search == "Кто такая Мария Андреева?" and question.language == "ru"
    assert question.has_word and not question.trimmed


def test_a_long_question_is_searched_by_its_first_characters() -> None:
    question = read_question("Who is Maria Andreyeva? " * 10, 30)
    assert question.trimmed and question.search == ("Who is Maria Andreyeva? " * 2)[:30]
    assert question.language == "en"


def test_a_question_without_words_has_nothing_to_search() -> None:
    question = read_question(" ?! … ", 1000)
    assert not question.has_word and question.language == "en" and not question.trimmed


def test_lone_surrogates_are_repaired_in_the_text_kept() -> None:
    assert read_question("Who\ud800 is she?", 1000).text == "Who\ufffd is she?"

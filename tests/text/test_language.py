"""The question's language: lingua for the script's languages, plus transliterated Russian."""

from __future__ import annotations

import pytest

from bot.text.language import detect_language, interface_language


@pytest.mark.parametrize(("question", "language"), [
    ("Сколько подписчиков у канала «Путь домой»?", "ru"),
    ("Bobrinsky что говорит про выборы", "ru"),  # mixed: judged by its Cyrillic words
    ("kto takaya mariya andreeva", "ru"),  # transliterated
    ("put domoi skolko podpischikov", "ru"),
    ("Who is Maria Andreyeva?", "en"),
    ("Maria Andreyeva", "en"),  # a bare name belongs to no language: English interface
    ("olga katz brother", "en"),
    ("how many followers does the channel have", "en"),
    ("???", "en"),
    ("", "en"),
])
def test_detect_language(question: str, language: str) -> None:
    assert detect_language(question) == language


def test_ukrainian_is_not_called_russian() -> None:
    assert detect_language("Скільки підписників має канал і чому їх так багато?") == "uk"


@pytest.mark.parametrize(("preferred", "question", "chosen"), [
    ("ru", "en", "ru"), ("ru-RU", "en", "ru"), ("en", "ru", "en"), (None, "ru", "ru"), ("de", "ru", "ru"),
    ("de", "fr", "en"), ("", "en", "en"),
])
def test_interface_language_prefers_the_users_own(preferred: str | None, question: str, chosen: str) -> None:
    assert interface_language(preferred, question) == chosen


@pytest.mark.parametrize("question", [
    "доброе утро", "рецепт салянки мясной сборной", "Какова длина реки Драва?",
    "Сколько ступенек ведёт на вершину Белфорта в Брюгге?", "как проходила мобилизация в СССР в 1941 году",
])
def test_short_russian_questions_are_russian_not_bulgarian_or_ukrainian(question: str) -> None:
    assert detect_language(question) == "ru"


def test_belarusian_letters_still_go_to_the_detector() -> None:
    assert detect_language("Колькі падпісчыкаў у канала і чаму іх так шмат?") in {"be", "uk"}

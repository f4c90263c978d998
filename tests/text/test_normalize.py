"""Folding for real typing: the movement's name variants, apostrophes, case, thousands separators (no model)."""

from __future__ import annotations

import pytest

from bot.text.normalize import fold, keyword_tokens, translit_key, words


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


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("Nizhneozyorsk", "Нижнеозёрск"), ("Dostoyevsky", "Достоевский"), ("Yulia", "Юлия"), ("Dmitry", "Дмитрий"),
    ("Yekaterinburg", "Екатеринбург"), ("Andreyeva", "Андреева"), ("Solovyov", "Соловьёв"), ("Ilyich", "Ильич"),
    ("Khabarovsk", "Хабаровск"), ("Kovalyova", "Ковалёва"), ("Svetloyarsk", "Светлоярск"),
])
def test_media_and_folded_spellings_of_a_russian_name_share_a_key(latin: str, cyrillic: str) -> None:
    assert translit_key(fold(latin)) == translit_key(fold(cyrillic))


def test_different_names_keep_different_keys() -> None:
    assert translit_key(fold("Andreyeva")) != translit_key(fold("Andreyev"))
    assert translit_key("year") != translit_key("yard")

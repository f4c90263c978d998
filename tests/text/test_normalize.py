"""Folding for real typing: the movement's name variants, apostrophes, case, thousands separators (no model)."""

from __future__ import annotations

import pytest

from bot.text.normalize import keyword_tokens, words


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

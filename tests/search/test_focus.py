"""A question's focus (no model): what it asks once the corpus's background names (Moscow, Putin…) are set aside.
The rule that uses it is tested in ``tests/answer/test_decision_rules.py``."""

from __future__ import annotations

from bot.search.focus import focus_text
from bot.text.names import DENSE_NAME


def test_the_focus_of_a_question_leaves_out_background_names_only() -> None:
    names = frozenset({"moscow", "putin", "russian", "vladimir"})
    assert focus_text("How many people live in Moscow?", names) == "How many people live in ?"
    assert focus_text("How tall is Vladimir Putin?", names) == "How tall is ?"
    assert focus_text("What share of Russians is afraid?", names) == "What share of is afraid?"
    assert focus_text("Who is Olga Katz?", names) is None  # nothing to set aside: no second encoding
    assert focus_text(f"Is {DENSE_NAME} in Moscow?", names) == f"Is {DENSE_NAME} in ?"
    assert focus_text("How many people live in Moscow?", frozenset()) is None

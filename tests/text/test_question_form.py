"""Whether a message reads as a question (a group reply to the bot is answered only then)."""

from __future__ import annotations

import pytest

from bot.text.question_form import reads_as_question


@pytest.mark.parametrize("text", [
    "Who is Maria Andreyeva?", "and how did the police react", "protests in Moscow?", "Tell me about the channel",
    "is the movement still active", "Кто такая Мария Андреева", "а как отреагировала полиция", "сколько их",
    "Есть ли у них требования", "Расскажите про канал", "ну почему так", "Maria Andreyeva？",
])
def test_questions(text: str) -> None:
    assert reads_as_question(text)


@pytest.mark.parametrize("text", [
    "thanks", "Thanks, that helps!", "ok 👍", "I agree", "спасибо большое!", "согласна", "ну да", "😂", "", "   ",
    "and so", "Maria Andreyeva",
])
def test_not_questions(text: str) -> None:
    assert not reads_as_question(text)

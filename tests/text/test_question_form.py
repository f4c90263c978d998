"""Whether a message reads as a question (a group reply to the bot is answered only then)."""

from __future__ import annotations

import pytest

from bot.text.question_form import reads_as_question, small_talk


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


@pytest.mark.parametrize("text", [
    "good morning", "Hello!", "Thank you so much!", "thanks a lot", "how are you?", "ok", "bye",
    "спасибо большое", "привет! как дела?", "Добрый вечер", "здравствуйте", "до свидания", "спс",
])
def test_small_talk(text: str) -> None:
    assert small_talk(text)


@pytest.mark.parametrize("text", [
    "hello, who is Maria Andreyeva?", "how are the wives doing", "who are you", "good morning, any news about the "
    "pickets?", "Что нового?", "Как дела у движения?", "спасибо, а кто такая Андреева?", "", "???",
    "thanks thanks thanks thanks thanks thanks thanks",
])
def test_not_small_talk(text: str) -> None:
    assert not small_talk(text)

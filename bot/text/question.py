"""A question as the pipeline reads it, once: its cleaned search text, its language, whether it was trimmed.

Takes the user's text (from argv, the REPL, Telegram) and the settings' ``max_question_chars``; gives a
``Question`` that travels to the answer stage and the renderers, so the language is detected in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.text.language import detect_language
from bot.text.normalize import clean_text
from bot.text.question_form import small_talk
from bot.text.safe import has_word, repair_surrogates


@dataclass(frozen=True)
class Question:
    """``text`` as the user sent it (surrogates repaired); ``search`` what is searched (cleaned, at most
    ``max_chars`` characters); ``language`` the language of ``search`` (ISO 639-1)."""

    text: str
    search: str
    language: str
    trimmed: bool
    has_word: bool  # anything to search for (not only punctuation or whitespace, nor only small talk)


def read_question(text: str, max_chars: int) -> Question:
    """The question ``text`` read once: cleaned, cut to ``max_chars`` characters for search, its language."""
    text = repair_surrogates(text)
    cleaned = " ".join(clean_text(text).split())
    search, letters = cleaned[:max_chars], has_word(cleaned)
    return Question(text=text, search=search, language=detect_language(search) if letters else "en",
                    trimmed=len(cleaned) > max_chars, has_word=letters and not small_talk(cleaned))

"""The language of a question: ISO 639-1 code ("en", "ru", …) from the text alone.

Takes a question; gives a language code. Cyrillic text is Russian unless it has a letter Russian does not use;
then, as for the script and letters of other text, lingua judges (a maintained language detector, run in its
low-accuracy mode, which is fast and light). Latin-script text is English unless it
reads as transliterated Russian ("kto takaya mariya andreeva"): it has no English function word and not
only capitalised names, lingua is not confident it is English, and the same text spelt in Cyrillic
(cyrtranslit) is confidently Russian.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from bot.calibration import WEIGHTS
from bot.text.normalize import STOPWORDS

DEFAULT = "en"
SUPPORTED = ("en", "ru")  # languages the interface speaks
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be", "bg"})  # written in Cyrillic: English models cannot read them
# Letters Russian does not use (Ukrainian, Belarusian, Serbian, Macedonian): only then is Cyrillic text asked of
# lingua. Short Russian questions read as Bulgarian or Ukrainian to it ("доброе утро", "Какова длина реки
# Драва?"), and were then answered in English with an uncalibrated language pair.
_NOT_RUSSIAN = re.compile(r"[іїєґўјљњћђџѕІЇЄҐЎЈЉЊЋЂЏЅ]")
_LATIN_WORD = re.compile(r"[a-z]+")
TRANSLIT_MIN = WEIGHTS.translit_russian  # lingua's confidence that the Cyrillic spelling is Russian
ENGLISH_MAX = WEIGHTS.translit_english_max  # …while the Latin original is at most this likely to be English
_LANGUAGES = ("ENGLISH", "RUSSIAN", "UKRAINIAN", "BELARUSIAN", "BULGARIAN", "GERMAN", "FRENCH", "SPANISH",
              "ITALIAN", "POLISH")


def is_cyrillic(text: str) -> bool:
    """Does ``text`` have a Cyrillic letter?"""
    return _CYRILLIC.search(text) is not None


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _confidences(text: str) -> dict[str, float]:
    values = _detector().compute_language_confidence_values(text)
    return {v.language.iso_code_639_1.name.lower(): float(v.value) for v in values}


def _transliterated_russian(text: str) -> bool:
    """Russian in Latin letters: no English function word, some word not capitalised (a bare name such as
    "Maria Andreyeva" belongs to no language), not English to lingua, confidently Russian once in Cyrillic."""
    words = _LATIN_WORD.findall(text.lower())
    if not words or any(word in STOPWORDS for word in words):
        return False
    if all(word[:1].isupper() for word in re.findall(r"[A-Za-z]+", text)):
        return False
    if _confidences(text).get("en", 0.0) > ENGLISH_MAX:
        return False
    import cyrtranslit

    return _confidences(cyrtranslit.to_cyrillic(" ".join(words), "ru")).get("ru", 0.0) >= TRANSLIT_MIN


@lru_cache(maxsize=4096)
def detect_language(text: str) -> str:
    """"en", "ru" or another ISO 639-1 code; "en" for text without letters."""
    if _CYRILLIC.search(text):
        if not _NOT_RUSSIAN.search(text):
            return "ru"
        found = _confidences(cyrillic_words(text))
        best = max(found, key=lambda code: found[code]) if found else "ru"
        return best if best in CYRILLIC_LANGUAGES else "ru"
    if _transliterated_russian(text):
        return "ru"
    return DEFAULT


def cyrillic_words(text: str) -> str:
    """The Cyrillic words of ``text`` (mixed questions are judged by their Cyrillic part)."""
    return " ".join(w for w in text.split() if _CYRILLIC.search(w)) or text


def interface_language(preferred: str | None, question_language: str = DEFAULT) -> str:
    """The interface language: the user's own (Telegram's language_code, "ru-RU" → "ru") when supported,
    else the question's when supported, else English."""
    for code in (preferred or "", question_language):
        short = code.split("-")[0].lower()
        if short in SUPPORTED:
            return short
    return DEFAULT

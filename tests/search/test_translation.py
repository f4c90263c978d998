"""A question's words carried into the corpus's other language (``bot.search.translation``), on hand-made
vectors: the nearest corpus word in the other script, from ``CROSS.word_translation``."""

from __future__ import annotations

import numpy as np

from bot.calibration import CROSS
from bot.index.words import CorpusWords
from bot.search.query import Query
from bot.search.translation import Translations


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, np.float32)
    return vector / np.linalg.norm(vector)


LEAVE, HOLIDAY, OTPUSK = unit(1, 0.2, 0), unit(0.3, 1, 0), unit(1, 0.25, 0.05)
WORDS = CorpusWords(["en", "en", "ru"], ["leave", "holiday", "отпуск"], ["leav", "holiday", "otpusk"],
                    np.stack([LEAVE, HOLIDAY, OTPUSK]))


def query(text: str, *tokens: str) -> Query:
    return Query(text=text, dense_text=text, tokens=list(tokens), weights=dict.fromkeys(tokens, 1.0))


def test_a_corpus_word_is_carried_to_the_nearest_word_of_the_other_script_from_the_line() -> None:
    assert float(OTPUSK @ LEAVE) >= CROSS.word_translation > float(OTPUSK @ HOLIDAY)
    words = Translations(WORDS)
    asked = query("когда отпуск", "kogda", "otpusk")
    assert words.unknown(words.asked(asked)) == ["когда"], "«отпуск» is the corpus's: its stored vector"
    assert words.translate(words.asked(asked), {}) == {"otpusk": {"leav"}}
    assert words.translate(words.asked(query("leave", "leav")), {}) == {"leav": {"otpusk"}}


def test_a_word_the_corpus_lacks_is_carried_by_its_vector_encoded_at_question_time() -> None:
    words = Translations(WORDS)
    asked = query("отпуска мужа", "otpuska", "muzha")
    assert words.unknown(words.asked(asked)) == ["отпуска", "мужа"]
    found = words.translate(words.asked(asked), {"отпуска": unit(1, 0.22, 0.02), "мужа": unit(0, 0, 1)})
    assert found == {"otpuska": {"leav"}}, "«мужа» is near no English word of the corpus"


def test_holding_names_the_candidates_with_a_carried_word() -> None:
    class Keyword:
        def scores(self, tokens: list[str]) -> np.ndarray:
            return np.array([1.0, 0.0, 1.0]) if tokens == ["leav"] else np.zeros(3)

    words = Translations(WORDS)
    found = words.holding(words.asked(query("отпуск", "otpusk")), {}, Keyword(), [0, 1])  # type: ignore[arg-type]
    assert found == {"otpusk": {0}}

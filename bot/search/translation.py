"""A question's words carried into the corpus's other languages by the multilingual model.

Takes the corpus's words with their vectors (``bot.index.words``) and a question (its weighted tokens, and the
vectors of those of its words the corpus does not use, each encoded alone: ``bot.encoders.cache.word_vectors``);
gives, per question token, the keyword token of the nearest corpus word in each other script — when its cosine
reaches ``CROSS.word_translation``. Ranking across languages counts a passage that holds such a word as holding the
question's word (``Searcher._shared``), as it counts the names and numbers that transliteration carries.
"""

from __future__ import annotations

import numpy as np

from bot.calibration import CROSS
from bot.index.bm25 import KeywordIndex
from bot.index.words import WORD, CorpusWords, script_language
from bot.search.query import Query
from bot.text.normalize import keyword_tokens


class Translations:
    """The corpus's words by language, ready to look question words up among them."""

    def __init__(self, words: CorpusWords) -> None:
        self.tokens: dict[str, list[str]] = {}
        rows: dict[str, list[int]] = {}
        for i, (language, token) in enumerate(zip(words.languages, words.tokens, strict=True)):
            rows.setdefault(language, []).append(i)
            self.tokens.setdefault(language, []).append(token)
        self.vectors = {language: np.asarray(words.vectors[ids], np.float32) for language, ids in rows.items()}
        self.known = {key: i for i, key in enumerate(zip(words.languages, words.tokens, strict=True))}
        self.all = words.vectors

    @staticmethod
    def asked(query: Query) -> dict[str, str]:
        """The question's words of four letters or more that it weighs, with their tokens."""
        asked: dict[str, str] = {}
        for word in dict.fromkeys(w.lower() for w in WORD.findall(query.text)):
            tokens = keyword_tokens(word)
            if len(tokens) == 1 and tokens[0] in query.weights:
                asked.setdefault(word, tokens[0])
        return asked

    def unknown(self, asked: dict[str, str]) -> list[str]:
        """The ``asked`` words whose token the corpus does not use in their script: they need encoding (the
        others take the vector of the corpus's form of their token)."""
        return [w for w, t in asked.items() if (script_language(w), t) not in self.known]

    def translate(self, asked: dict[str, str], encoded: dict[str, np.ndarray]) -> dict[str, set[str]]:
        """Question token -> the token of its nearest corpus word in each other script (``asked``: the
        question's words and tokens; ``encoded``: the vectors of its ``unknown`` words)."""
        found: dict[str, set[str]] = {}
        for word, token in asked.items():
            own = script_language(word)
            row = self.known.get((own, token))
            vector = np.asarray(self.all[row], np.float32) if row is not None else encoded.get(word)
            if vector is None:
                continue
            for language, matrix in self.vectors.items():
                if language == own or not len(matrix):
                    continue
                cosines = matrix @ vector
                best = int(np.argmax(cosines))
                if cosines[best] >= CROSS.word_translation:
                    found.setdefault(token, set()).add(self.tokens[language][best])
        return found

    def holding(self, asked: dict[str, str], encoded: dict[str, np.ndarray], keyword: KeywordIndex,
                candidates: list[int]) -> dict[str, set[int]]:
        """Per question token, the ``candidates`` that hold a word it translates to (``translate``)."""
        found: dict[str, set[int]] = {}
        for token, words in self.translate(asked, encoded).items():
            scores = [keyword.scores([w]) for w in words]
            found[token] = {i for i in candidates if any(s[i] > 0 for s in scores)}
        return found

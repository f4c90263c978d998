"""The corpus's words in the multilingual space: a dictionary between its languages that the index measures.

Takes the build's chunks and the multilingual encoder; gives, per script (Cyrillic words are Russian, Latin
ones English), one surface form per keyword token — its most frequent — and that word's vector (embedded as a
question, alone). A question the multilingual model reads carries its words into the corpus's other language
through them (``bot.search.translation``): «подписчиков» finds "subscribers", «отпуск» "leave". Stored with the
index (``WORDS_FILE``, ``WORD_VECTORS``); an incremental build embeds only the words it has not seen.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.encoders.base import Encoder, encode_queries
from bot.models import Chunk
from bot.text.language import is_cyrillic
from bot.text.normalize import STOPWORDS, keyword_tokens

WORDS_FILE, WORD_VECTORS = "words_ml.json", "words_ml.npy"
WORD = re.compile(r"[^\W\d_]{4,}")  # words of four letters or more: shorter ones are names' initials or function words


def script_language(word: str) -> str:
    """"ru" for a word in Cyrillic letters, else "en"."""
    return "ru" if is_cyrillic(word) else "en"


@dataclass
class CorpusWords:
    """One row per (language, keyword token): the token's most frequent surface word and its vector."""

    languages: list[str]
    words: list[str]
    tokens: list[str]
    vectors: np.ndarray

    def write(self, folder: Path) -> None:
        data = {"languages": self.languages, "words": self.words, "tokens": self.tokens}
        (folder / WORDS_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        np.save(folder / WORD_VECTORS, np.ascontiguousarray(self.vectors, np.float32), allow_pickle=False)

    @classmethod
    def read(cls, folder: Path) -> CorpusWords | None:
        """The stored words, or None for an index built without them (or unreadable ones)."""
        try:
            data = json.loads((folder / WORDS_FILE).read_text(encoding="utf-8"))
            vectors = np.load(folder / WORD_VECTORS, allow_pickle=False)
            words = cls(list(data["languages"]), list(data["words"]), list(data["tokens"]), vectors)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return words if len(words.words) == len(words.tokens) == len(words.languages) == len(vectors) else None


def surface_words(texts: list[str]) -> list[tuple[str, str, str]]:
    """(language, word, token) for each keyword token of ``texts``: its most frequent lower-case form."""
    counts = Counter(w.lower() for text in texts for w in WORD.findall(text))
    best: dict[tuple[str, str], str] = {}
    for word, _ in counts.most_common():
        tokens = keyword_tokens(word)
        if len(tokens) == 1 and word not in STOPWORDS:
            best.setdefault((script_language(word), tokens[0]), word)
    return [(language, word, token) for (language, token), word in sorted(best.items())]


def embed_words(encoder: Encoder, chunks: list[Chunk], previous: CorpusWords | None) -> CorpusWords:
    """The chunks' words and their vectors; a word the previous build embedded keeps its vector."""
    rows = surface_words([c.text for c in chunks])
    known = {w: i for i, w in enumerate(previous.words)} if previous is not None else {}
    vectors = np.zeros((len(rows), encoder.dim), np.float32)
    todo = [i for i, (_, word, _) in enumerate(rows) if word not in known]
    for i, (_, word, _) in enumerate(rows):
        if word in known and previous is not None:
            vectors[i] = previous.vectors[known[word]]
    if todo:
        vectors[todo] = encode_queries(encoder, [rows[i][1] for i in todo])
    return CorpusWords([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], vectors)

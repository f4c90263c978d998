"""The corpus's words in the multilingual space (``bot.index.words``): one form per token and script, their
vectors stored with the index, reused by the next build."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.encoders.fake import FakeEncoder
from bot.index.words import CorpusWords, embed_words, script_language, surface_words
from bot.models import Chunk


class Counting(FakeEncoder):
    def __init__(self) -> None:
        super().__init__(16)
        self.seen: list[str] = []

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return self.encode(texts)


def chunk(text: str) -> Chunk:
    return Chunk(chunk_id="a:0", article_path="a.md", start=0, end=len(text), paragraph=0, text=text)


def test_each_token_of_each_script_keeps_its_most_frequent_form() -> None:
    rows = surface_words(["Жёны требуют вернуть мужей. Жёны пишут письма. Жене", "The wives wrote; a wife writes."])
    words = {(language, word) for language, word, _ in rows}
    assert ("ru", "жёны") in words and ("ru", "требуют") in words and ("en", "wives") in words
    assert len({token for _, _, token in rows}) == len(rows), "one row per token and script"
    assert all(len(word) >= 4 for _, word, _ in rows), "short words are initials or function words"
    assert script_language("мужей") == "ru" and script_language("wives") == "en"


def test_a_build_embeds_only_the_words_the_previous_one_did_not(tmp_path: Path) -> None:
    encoder = Counting()
    first = embed_words(encoder, [chunk("Жёны требуют вернуть мужей")], None)
    assert sorted(encoder.seen) == sorted(first.words)
    encoder.seen.clear()
    second = embed_words(encoder, [chunk("Жёны требуют вернуть мужей. Wives demand")], first)
    assert sorted(encoder.seen) == ["demand", "wives"]
    row = second.words.index("требуют")
    assert np.array_equal(second.vectors[row], first.vectors[first.words.index("требуют")])
    second.write(tmp_path)
    read = CorpusWords.read(tmp_path)
    assert read is not None and read.words == second.words and np.array_equal(read.vectors, second.vectors)


def test_an_index_without_its_words_or_with_broken_ones_reads_as_none(tmp_path: Path) -> None:
    assert CorpusWords.read(tmp_path) is None
    embed_words(FakeEncoder(16), [chunk("Жёны требуют")], None).write(tmp_path)
    (tmp_path / "words_ml.json").write_text('{"languages": [], "words": ["x"], "tokens": []}')
    assert CorpusWords.read(tmp_path) is None

"""Chunking: sentence-aligned, paragraph-aware, within the model's token budget, exact character spans."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.encoders.fake import FakeEncoder
from bot.ingest.chunking import ChunkParams, chunk_article, paragraphs, sentence_spans, windows
from bot.ingest.corpus import read_article
from bot.models import Article, Chunk, Source

COUNT = FakeEncoder().count_tokens  # words + 2 special tokens, like a real tokenizer's [CLS] … [SEP]


def _article(body: str, path: str = "a.md") -> Article:
    return Article(source=Source(path=path), body=body, content_hash="x")


def _sentences(body: str) -> list[str]:
    return [body[s.start : s.end] for s in sentence_spans(body)]


def _check_invariants(body: str, chunks: list[Chunk], params: ChunkParams) -> None:
    """Spans exact, token budget met (with the encoder's own count), every word of the body covered."""
    for n, chunk in enumerate(chunks):
        assert chunk.text == body[chunk.start : chunk.end]
        assert chunk.text == chunk.text.strip() and chunk.text
        # ``lead`` is exactly the whitespace between the previous chunk and this one, when they touch
        gap = body[chunks[n - 1].end : chunk.start] if n else ""
        assert chunk.lead == (gap if gap.isspace() else "")
    counts = COUNT([c.text for c in chunks])
    assert max(counts, default=0) <= params.max_tokens
    covered = [False] * len(body)
    for chunk in chunks:
        covered[chunk.start : chunk.end] = [True] * (chunk.end - chunk.start)
    assert all(covered[i] for i, ch in enumerate(body) if not ch.isspace()), "text lost between chunks"


def test_sentences_of_the_seed_article_are_never_cut(corpus_dir) -> None:  # type: ignore[no-untyped-def]
    article, _ = read_article(corpus_dir / "dw-2023-12-09-russian-soldiers-wives-bring-them-home.md", corpus_dir)
    params = ChunkParams(max_tokens=64, min_tokens=20, overlap_sentences=1)
    chunks = chunk_article(article, params, COUNT)
    _check_invariants(article.body, chunks, params)
    sentences = [(s.start, s.end) for s in sentence_spans(article.body)]
    starts, ends = {s for s, _ in sentences}, {e for _, e in sentences}
    for chunk in chunks:  # every chunk starts at a sentence start and ends at a sentence end
        assert chunk.start in starts and chunk.end in ends, chunk.text


def test_sentence_splitter_handles_abbreviations_and_quotes() -> None:
    body = 'Mr. Putin said "no." Then Dr. Smith left at 5 p.m. on Dec. 9. The U.S. reacted.'
    assert _sentences(body) == ['Mr. Putin said "no."', "Then Dr. Smith left at 5 p.m. on Dec. 9.",
                                "The U.S. reacted."]


def test_paragraphs_are_respected() -> None:
    first = " ".join(f"First paragraph sentence number {i}." for i in range(8))
    second = " ".join(f"Second paragraph sentence number {i}." for i in range(8))
    body = f"{first}\n\n{second}"
    params = ChunkParams(max_tokens=120, min_tokens=20, overlap_sentences=1)
    chunks = chunk_article(_article(body), params, COUNT)
    assert [c.text for c in chunks] == [first, second]
    assert [c.paragraph for c in chunks] == [0, 1]


def test_short_paragraphs_are_joined_until_min_tokens() -> None:
    body = "Short one.\n\nShort two.\n\nShort three."
    chunks = chunk_article(_article(body), ChunkParams(max_tokens=64, min_tokens=20), COUNT)
    assert [c.text for c in chunks] == [body]


def test_one_line_paragraphs_are_paragraphs() -> None:
    body = "First line ends here.\nSecond line is a paragraph too.\nthird line continues\nthe sentence."
    assert [body[a:b] for a, b in paragraphs(body)] == ["First line ends here.", "Second line is a paragraph too.",
                                                        "third line continues\nthe sentence."]


def test_chunks_fit_the_budget_with_overlap_inside_a_paragraph() -> None:
    body = " ".join(f"Sentence {i} has exactly six words." for i in range(40))  # 6 words + 2 = 8 tokens each
    params = ChunkParams(max_tokens=34, min_tokens=10, overlap_sentences=1)
    chunks = chunk_article(_article(body), params, COUNT)
    _check_invariants(body, chunks, params)
    assert len(chunks) > 5
    for prev, nxt in zip(chunks, chunks[1:], strict=False):
        last_sentence = _sentences(prev.text)[-1]
        assert nxt.text.startswith(last_sentence), "neighbouring passages share one sentence"
        assert nxt.start < prev.end


def test_no_overlap_when_disabled_or_across_paragraphs() -> None:
    body = " ".join(f"Sentence {i} has exactly six words." for i in range(20))
    chunks = chunk_article(_article(body), ChunkParams(max_tokens=34, min_tokens=10, overlap_sentences=0), COUNT)
    assert all(a.end < b.start for a, b in zip(chunks, chunks[1:], strict=False))


def test_an_over_long_sentence_is_split_at_words_to_fit() -> None:
    body = "Short start. " + " ".join(f"w{i}" for i in range(300)) + " end. Short finish."
    params = ChunkParams(max_tokens=50, min_tokens=10, overlap_sentences=1)
    chunks = chunk_article(_article(body), params, COUNT)
    _check_invariants(body, chunks, params)
    assert all(not re.match(r"\d", c.text) for c in chunks), "cut inside a word"


def test_one_enormous_word_is_split_between_characters_with_a_character_counting_tokenizer() -> None:
    def per_char(texts: list[str]) -> list[int]:  # a tokenizer that makes one token per 4 characters
        return [len(t) // 4 + 2 for t in texts]

    body = "Start. " + "x" * 5000 + " end."
    params = ChunkParams(max_tokens=128)
    chunks = chunk_article(_article(body), params, per_char)
    assert max(per_char([c.text for c in chunks])) <= 128
    assert "".join(c.text for c in chunks).replace(" ", "") == body.replace(" ", "")


def test_chunk_ids_and_article_paths() -> None:
    body = "\n\n".join(" ".join(f"Paragraph {p} sentence {i} here." for i in range(10)) for p in range(3))
    chunks = chunk_article(_article(body, "dir/x.md"), ChunkParams(max_tokens=40, min_tokens=10), COUNT)
    assert [c.chunk_id for c in chunks] == [f"dir/x.md#{i}" for i in range(len(chunks))]
    assert {c.article_path for c in chunks} == {"dir/x.md"}
    assert [c.paragraph for c in chunks] == sorted(c.paragraph for c in chunks)


def test_long_paragraphs_are_segmented_in_windows_at_sentence_ends() -> None:
    text = "Mr. Smith went home. He said \"fine.\" Then more. " * 400
    spans = windows(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert all(text[a:b].endswith("Then more. ") for a, b in spans[:-1])
    assert windows("x" * 9000) == [(0, 4000), (4000, 8000), (8000, 9000)]


def test_pathological_punctuation_is_chunked_in_linear_time() -> None:
    import time

    body = "(a. " * 25_000  # pysbd alone is quadratic on this
    started = time.perf_counter()
    chunks = chunk_article(_article(body.strip()), ChunkParams(), COUNT)
    assert chunks and time.perf_counter() - started < 60


_WORD = st.text(alphabet=st.characters(categories=("L", "N"), max_codepoint=0x4FF), min_size=1, max_size=12)
_SEP = st.sampled_from([" ", " ", " ", ". ", "? ", "! ", ", ", "\n", "\n\n", ' "', '." ', "… ", " — "])


@st.composite
def bodies(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(_WORD, _SEP), min_size=1, max_size=120))
    return "".join(w + s for w, s in parts).strip()


@settings(max_examples=150)
@given(body=bodies(), max_tokens=st.integers(16, 80), min_tokens=st.integers(0, 40),
       overlap=st.integers(0, 2))
def test_any_text_chunks_exactly_within_budget(body: str, max_tokens: int, min_tokens: int, overlap: int) -> None:
    params = ChunkParams(max_tokens=max_tokens, min_tokens=min_tokens, overlap_sentences=overlap)
    chunks = chunk_article(_article(body), params, COUNT)
    _check_invariants(body, chunks, params)


def test_a_paragraph_that_leans_on_the_previous_one_joins_its_chunk() -> None:
    intro = "Olga Katz runs a Telegram channel with thirty thousand users and wrote in November about a dialog."
    more = "She was trying to convince officials that service should be limited; her brother was killed."
    other = "Vladimir Solovyov published a list of chat channels which he alleged were run from abroad."
    params = ChunkParams(max_tokens=64, min_tokens=10)
    chunks = chunk_article(_article(f"{intro}\n\n{more}\n\n{other}"), params, COUNT)
    assert [c.text for c in chunks] == [f"{intro}\n\n{more}", other]
    too_long = ChunkParams(max_tokens=28, min_tokens=10)  # both do not fit: the paragraphs stay apart
    assert len(chunk_article(_article(f"{intro}\n\n{more}"), too_long, COUNT)) == 2


def test_each_chunk_knows_the_heading_it_falls_under() -> None:
    body = ("Vigils and flash mobs\n\nWomen held vigils in Moscow on November 7 without a permit.\n\n"
            "Photos of the women spread quickly on social networks and in the chats.")
    chunks = chunk_article(_article(body), ChunkParams(max_tokens=20, min_tokens=5), COUNT)
    assert chunks[0].text.startswith("Vigils and flash mobs") and chunks[0].heading == ""
    assert [c.heading for c in chunks[1:]] == ["Vigils and flash mobs"] * (len(chunks) - 1)

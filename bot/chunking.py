"""Sentence-aware chunking: paragraphs → sentences (pysbd) → passages that fit the model.

Every chunk is an exact slice of the article body (``body[start:end]``); a sentence is never cut unless it
alone exceeds the model's maximum sequence length, in which case it is split at word boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .models import Article, Chunk

TokenCounter = Callable[[list[str]], list[int]]
# A paragraph ends at a blank line, or at a line break after sentence-final punctuation (one-line paragraphs).
_BREAK = re.compile(r"\n[ \t]*\n\s*|(?<=[.!?\"'\u201d\u2019)\]])[ \t]*\n\s*")
SPECIAL_TOKENS = 2


@dataclass(frozen=True)
class ChunkParams:
    """Chunker parameters; recorded in the manifest (a change forces a full rebuild)."""

    max_tokens: int = 128
    min_tokens: int = 40
    overlap_sentences: int = 1


@dataclass
class Span:
    start: int
    end: int
    paragraph: int
    tokens: int = 0


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def paragraphs(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text separated by blank lines, trimmed."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in [*_BREAK.finditer(body), None]:
        end = match.start() if match else len(body)
        piece = body[cursor:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((cursor + lead, cursor + len(piece.rstrip())))
        cursor = match.end() if match else len(body)
    return spans


def sentence_spans(body: str) -> list[Span]:
    """Sentence spans of the whole body, each tagged with its paragraph number."""
    spans: list[Span] = []
    for number, (p_start, p_end) in enumerate(paragraphs(body)):
        para = body[p_start:p_end]
        cursor = 0
        for sentence in _segmenter().segment(para):
            text = sentence.strip()
            if not text:
                continue
            pos = para.find(text, cursor)
            if pos < 0:
                continue
            spans.append(Span(p_start + pos, p_start + pos + len(text), number))
            cursor = pos + len(text)
    return spans


def split_long(body: str, span: Span, budget: int, count: TokenCounter) -> list[Span]:
    """Split an over-long sentence at word boundaries into pieces within ``budget`` tokens."""
    words = [m.span() for m in re.finditer(r"\S+", body[span.start : span.end])]
    if len(words) <= 1:
        return [span]
    half = len(words) // 2
    left = Span(span.start, span.start + words[half - 1][1], span.paragraph)
    right = Span(span.start + words[half][0], span.end, span.paragraph)
    pieces: list[Span] = []
    for piece in (left, right):
        piece.tokens = count([body[piece.start : piece.end]])[0] - SPECIAL_TOKENS
        pieces.extend([piece] if piece.tokens <= budget else split_long(body, piece, budget, count))
    return pieces


def fit_sentences(body: str, spans: list[Span], params: ChunkParams, count: TokenCounter) -> list[Span]:
    """Token-count every sentence; split those that alone exceed the budget."""
    budget = params.max_tokens - SPECIAL_TOKENS
    counts = count([body[s.start : s.end] for s in spans]) if spans else []
    fitted: list[Span] = []
    for span, tokens in zip(spans, counts, strict=True):
        span.tokens = tokens - SPECIAL_TOKENS
        fitted.extend([span] if span.tokens <= budget else split_long(body, span, budget, count))
    return fitted


def pack(spans: list[Span], params: ChunkParams) -> list[list[Span]]:
    """Group sentences into chunks: within the budget, breaking at paragraphs once ``min_tokens`` is met."""
    budget = params.max_tokens - SPECIAL_TOKENS
    groups: list[list[Span]] = []
    current: list[Span] = []
    for span in spans:
        size = sum(s.tokens for s in current)
        new_paragraph = bool(current) and span.paragraph != current[-1].paragraph
        if current and (size + span.tokens > budget or (new_paragraph and size >= params.min_tokens)):
            groups.append(current)
            keep = current[-params.overlap_sentences :] if params.overlap_sentences else []
            if new_paragraph or len(keep) >= len(current):
                keep = []
            current = list(keep)
            while current and sum(s.tokens for s in current) + span.tokens > budget:
                current.pop(0)
        current.append(span)
    if current:
        groups.append(current)
    return groups


def chunk_article(article: Article, params: ChunkParams, count: TokenCounter) -> list[Chunk]:
    """All chunks of one article, verified to fit ``params.max_tokens``."""
    body = article.body
    groups = pack(fit_sentences(body, sentence_spans(body), params, count), params)
    chunks: list[Chunk] = []
    for group in groups:
        start, end = group[0].start, group[-1].end
        chunks.append(Chunk(chunk_id=f"{article.source.path}#{len(chunks)}", article_path=article.source.path,
                            start=start, end=end, paragraph=group[0].paragraph, text=body[start:end]))
    too_long = [c.chunk_id for c, n in zip(chunks, count([c.text for c in chunks]), strict=True)
                if n > params.max_tokens]
    if too_long:
        raise AssertionError(f"chunker produced chunks over {params.max_tokens} tokens: {too_long}")
    return chunks

"""Quotes hold what answers: the paragraphs of a quote that carry evidence for the question, cuts marked "…".

A passage (or a merge of touching passages) may hold several short paragraphs — wire copy and Telegram posts
are one-line paragraphs — of which only one answers: "Who is Maria Andreyeva?" must not also quote the next
paragraph about the Kremlin. A quote keeps, in article order:

- every paragraph with its own evidence for the question (its cosine plus weighted keyword coverage, the
  same measure and the same quotable line, ``min_passage``, that every quoted passage must reach);
- a paragraph holding a word of the question that no other kept paragraph holds (``new_words``);
- the paragraph holding the highlighted sentence;
- the context of a kept paragraph: the paragraph before one that leans back on it ("She…", "However…",
  the chunker's own test, ``bot.ingest.chunking.leans_back``), and the paragraphs after it that lean on it.

Every kept paragraph is exactly as in the article, with the article's whitespace between neighbours; each
dropped run of paragraphs becomes one line holding only ``CUT`` ("…"), so ``pieces`` gives the verbatim
parts back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from bot.answer.highlight import sentence_score
from bot.calibration import RETRIEVAL, WEIGHTS
from bot.encoders.base import Encoder
from bot.encoders.cache import text_vectors
from bot.ingest.chunking import leans_back, paragraphs
from bot.search.query import Query
from bot.text.normalize import keyword_tokens

CUT = "\u2026"


def paragraph_texts(text: str) -> list[str]:
    """The paragraphs of a quote (one-line paragraphs included), verbatim."""
    return [text[start:end] for start, end in paragraphs(text)]


def kept(texts: Sequence[str], answering: Sequence[bool], anchor: int) -> list[int]:
    """Indices of the paragraphs to quote, in order: those ``answering``, the ``anchor`` (the highlight's), and
    the paragraphs that a kept one leans on or that lean on a kept one."""
    keep = {i for i, yes in enumerate(answering) if yes} | {anchor}
    leaning = [leans_back(t) for t in texts]
    for i in sorted(keep, reverse=True):  # back from each kept paragraph while it leans on the one before
        while i > 0 and leaning[i]:
            keep.add(i - 1)
            i -= 1
    for i in range(1, len(texts)):  # forward: a paragraph leaning on a kept one ("She was also…")
        if leaning[i] and i - 1 in keep:
            keep.add(i)
    return sorted(keep)


def anchor_of(texts: Sequence[str], highlight: str) -> int:
    """The paragraph holding the highlighted sentence (the first one when none does)."""
    return next((i for i, t in enumerate(texts) if highlight and highlight in t), 0)


def join_kept(text: str, keep: Sequence[int]) -> str:
    """The kept paragraphs of ``text`` with the whitespace between neighbours, each cut marked by a ``CUT``
    line (the separator around it is the one that followed the last kept paragraph, or preceded the next)."""
    spans = paragraphs(text)
    if not spans or len(keep) == len(spans):
        return text
    parts: list[str] = []
    for n, i in enumerate(keep):
        start, end = spans[i]
        gap = text[spans[i - 1][1] : start] if i > 0 else text[end : spans[i + 1][0]]
        if n == 0 and i > 0:
            parts.append(CUT + gap)
        elif n > 0 and keep[n - 1] != i - 1:
            parts.append(gap + CUT + gap)
        elif n > 0:
            parts.append(gap)
        parts.append(text[start:end])
    last = keep[-1]
    if last < len(spans) - 1:
        parts.append(text[spans[last][1] : spans[last + 1][0]] + CUT)
    return "".join(parts)


def new_words(texts: Sequence[str], keep: Sequence[int], query: Query | None) -> list[int]:
    """The paragraphs, in order, not in ``keep`` that hold a word of the question no paragraph kept so far
    holds: a quote covers every question word its passage covers ("When was the chat founded?": the chat's
    paragraph is the highlight's, "It was founded in March 2023 by…" the next)."""
    if query is None:
        return []
    wanted = {t for t, w in query.weights.items() if w > 0}
    covered = set().union(*(wanted & _words(texts[i]) for i in keep))
    added = []
    for i, text in enumerate(texts):
        fresh = wanted & _words(text) - covered
        if i not in keep and fresh:
            added.append(i)
            covered |= fresh
    return added


# A paragraph's keyword tokens, kept: passages come back question after question, and folding every paragraph of
# every quoted passage again took 12 of an English question's 31 ms on a 260-passage mixed index (session 12).
@lru_cache(maxsize=RETRIEVAL.text_vectors_kept)
def _words(text: str) -> frozenset[str]:
    return frozenset(keyword_tokens(text))


def trim(text: str, highlight: str, answers: Sequence[bool], query: Query | None = None) -> str:
    """``text`` without the paragraphs that neither answer, nor add a word of ``query`` the others lack,
    nor give context (see the module docstring); ``answers[i]``: does paragraph ``i`` (of
    ``paragraph_texts(text)``) reach the quotable line."""
    texts = paragraph_texts(text)
    if len(texts) <= 1:
        return text
    anchor = anchor_of(texts, highlight)
    keep = kept(texts, answers, anchor)
    added = set(new_words(texts, keep, query))
    if added:
        keep = kept(texts, [yes or i in added for i, yes in enumerate(answers)], anchor)
    return join_kept(text, keep)


def pieces(quote: str) -> list[str]:
    """The verbatim parts of a trimmed quote (the text between its ``CUT`` lines), each a slice of the
    article."""
    parts: list[str] = []
    current: list[str] = []
    for line in quote.splitlines(keepends=True):
        if line.strip() == CUT:
            parts.append("".join(current))
            current = []
        else:
            current.append(line)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def answering(quotes: Sequence[str], query: Query, vector: np.ndarray | None, encoder: Encoder | None,
              line: float, coverage_weight: float, floor: float = 0.0) -> list[list[bool]]:
    """For each quote, whether each of its paragraphs has evidence of its own: its cosine to the question
    (``vector``, in ``encoder``'s space) plus ``coverage_weight`` times its weighted share of the question's
    words reaches the quotable ``line`` — or stands, above the space's ``floor`` (the cosine of unrelated
    text), at least ``WEIGHTS.paragraph_share`` of the way to the quote's best paragraph (a continuation
    that answers less directly: "If the state were to comply…" after the paragraph naming its speaker). The
    paragraphs of all multi-paragraph quotes are encoded in one batch; a quote of one paragraph is not
    scored (it is quoted whole)."""
    split = [paragraph_texts(q) for q in quotes]
    batch = [t for texts in split if len(texts) > 1 for t in texts]
    cosines = iter([0.0] * len(batch))
    if batch and vector is not None and encoder is not None:
        cosines = iter((text_vectors(encoder, batch) @ vector).tolist())
    result: list[list[bool]] = []
    for texts in split:
        if len(texts) <= 1:
            result.append([True] * len(texts))
            continue
        scores = [next(cosines) + coverage_weight * sentence_score(t, query, None) for t in texts]
        near = floor + WEIGHTS.paragraph_share * (max(scores) - floor)
        result.append([score >= line or score > floor and score >= near for score in scores])
    return result


def answering_judged(quote: str, vector: np.ndarray, encoder: Encoder, judge: Callable[[float], float],
                     line: float) -> list[bool]:
    """Whether each paragraph of ``quote`` has evidence of its own in the multilingual space, where cosines
    mean something only on their language pair's scale: ``judge`` turns a paragraph's cosine to the question
    (``vector``, ``encoder``'s space) into the pair's standard units (``PairLine.judged``, where unrelated
    text sits at 0), and a paragraph answers at the pair's quotable ``line`` (its floor) or at
    ``WEIGHTS.paragraph_share`` of the way from 0 to the quote's best paragraph — the same rule as
    ``answering``'s, on the scale the passage itself was judged on. Keyword coverage is not added: across
    languages the question's words are not the passage's."""
    texts = paragraph_texts(quote)
    if len(texts) <= 1:
        return [True] * len(texts)
    scores = [judge(c) for c in (text_vectors(encoder, texts) @ vector).tolist()]
    near = WEIGHTS.paragraph_share * max(max(scores), 0.0)
    return [score >= line or score > 0.0 and score >= near for score in scores]

"""Sentence-aware chunking: paragraphs → sentences (pysbd) → passages that fit the model.

Every chunk is an exact slice of the article body (``body[start:end]``) whose token count, measured with the
model's own tokenizer, fits its maximum sequence length. A sentence is never cut unless it alone exceeds that
length, in which case it is split at word boundaries (or, for one over-long "word", between characters).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.models import Article, Chunk

TokenCounter = Callable[[list[str]], list[int]]
# A paragraph ends at a blank line, or at a line break after sentence-final punctuation (one-line paragraphs).
_BREAK = re.compile(r"\n[ \t]*\n\s*|(?<=[.!?\"'\u201d\u2019)\]])[ \t]*\n\s*")
SPECIAL_TOKENS = 2
# Paragraphs longer than this are segmented in windows cut after a sentence end (see ``windows``).
WINDOW = 4000
# A likely sentence end for cutting windows: a lower-case word (not "Mr."), final punctuation, closing
# quotes, space, then a capital letter.
_SENTENCE_END = re.compile(r"[a-z0-9]{2}[.!?\u2026][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z])")
# Bump when the chunking algorithm changes: the manifest records it, so old indexes are rebuilt in full.
ALGORITHM = 6
# A paragraph opening with one of these words leans on the one before ("She was trying…", "However, …"):
# it joins the previous chunk when both fit, so a passage does not lose who "she" is or what is contrasted.
CONTINUES = frozenset("""she he they it her his their its this these those but however yet still also then
    moreover furthermore nevertheless nonetheless instead thus therefore hence""".split())
_FIRST_WORD = re.compile(r"[\"'\u201c\u2018(]*([A-Za-z]+)")
# A heading: a one-sentence paragraph of at most this many characters without sentence-final punctuation.
HEADING_MAX_CHARS = 100
_FINAL = tuple('.!?:;"\'\u201d\u2019)]\u2026')


@dataclass(frozen=True)
class ChunkParams:
    """Chunker parameters; recorded in the manifest (a change forces a full rebuild)."""

    max_tokens: int = 128
    min_tokens: int = 40
    overlap_sentences: int = 1
    algorithm: int = ALGORITHM


@dataclass
class Span:
    start: int
    end: int
    paragraph: int
    tokens: int = 0
    heading: bool = False
    continues: bool = False  # first sentence of a paragraph that leans on the previous one


@lru_cache(maxsize=8)
def _segmenter(language: str = "en"):  # type: ignore[no-untyped-def]
    """pysbd's rules for ``language`` (English rules for a language pysbd does not know)."""
    import pysbd
    from pysbd.languages import LANGUAGE_CODES

    return pysbd.Segmenter(language=language if language in LANGUAGE_CODES else "en", clean=False)


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


def windows(text: str, size: int = WINDOW) -> list[tuple[int, int]]:
    """Cut a long paragraph into pieces of at most ``size`` characters, preferably after a sentence end.

    pysbd is quadratic on some inputs; segmenting bounded windows keeps ingest linear in the article size.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        limit = start + size
        ends = [m.end() for m in _SENTENCE_END.finditer(text, start + size // 2, limit)]
        cut = ends[-1] if ends else text.rfind(" ", start + 1, limit) + 1 or limit
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def _segment(text: str, language: str = "en") -> list[tuple[int, int]]:
    """Sentence (start, end) offsets in ``text`` that cover all of its non-space characters."""
    starts: list[int] = []
    cursor = 0
    # The processor alone: Segmenter.segment would also map sentences back to offsets with one regex per
    # sentence (slow, and it drops sentences it cannot find); the offsets are found here instead.
    for sentence in _segmenter(language).processor(text).process():
        piece = sentence.strip()
        pos = text.find(piece, cursor) if piece else -1
        if pos >= 0:
            starts.append(pos)
            cursor = pos + len(piece)
    if not starts or text[: starts[0]].strip():
        starts.insert(0, 0)
    bounds = [*starts, len(text)]
    spans: list[tuple[int, int]] = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        piece = text[lo:hi]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((lo + lead, lo + len(piece.rstrip())))
    return spans


def is_heading(paragraph: str) -> bool:
    """A short one-line paragraph that does not end like a sentence ("Vigils, flash mobs and intimidation")."""
    return len(paragraph) <= HEADING_MAX_CHARS and "\n" not in paragraph and not paragraph.endswith(_FINAL)


def sentence_spans(body: str, language: str = "en") -> list[Span]:
    """Sentence spans of the whole body, each tagged with its paragraph number (and whether it is a heading)."""
    spans: list[Span] = []
    for number, (p_start, p_end) in enumerate(paragraphs(body)):
        para = body[p_start:p_end]
        if is_heading(para):
            spans.append(Span(p_start, p_end, number, heading=True))
            continue
        first = len(spans)
        for w_start, w_end in windows(para):
            base = p_start + w_start
            spans.extend(Span(base + lo, base + hi, number) for lo, hi in _segment(para[w_start:w_end], language))
        spans[first].continues = leans_back(para)
    return spans


def leans_back(paragraph: str) -> bool:
    """Does the paragraph open with a pronoun or connective that refers to the paragraph before it?"""
    match = _FIRST_WORD.match(paragraph)
    return match is not None and match.group(1).lower() in CONTINUES


def split_long(body: str, span: Span, budget: int, count: TokenCounter) -> list[Span]:
    """Split an over-long sentence into pieces within ``budget`` tokens: at word boundaries, or between
    characters when a single "word" (a URL, a blob) is itself too long."""
    text = body[span.start : span.end]
    words = [m.span() for m in re.finditer(r"\S+", text)]
    if len(words) > 1:
        half = len(words) // 2
        cuts = [(0, words[half - 1][1]), (words[half][0], len(text))]
    elif len(text) > 1:
        cuts = [(0, len(text) // 2), (len(text) // 2, len(text))]
    else:
        return [span]
    pieces: list[Span] = []
    for lo, hi in cuts:
        piece = Span(span.start + lo, span.start + hi, span.paragraph)
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
    """Group sentences into chunks: within the budget, breaking at paragraphs once ``min_tokens`` is met;
    a heading always starts a chunk (it introduces what follows, never ends what precedes)."""
    budget = params.max_tokens - SPECIAL_TOKENS
    paragraph_tokens: dict[int, int] = {}
    for span in spans:
        paragraph_tokens[span.paragraph] = paragraph_tokens.get(span.paragraph, 0) + span.tokens
    groups: list[list[Span]] = []
    current: list[Span] = []
    for span in spans:
        size = sum(s.tokens for s in current)
        new_paragraph = bool(current) and span.paragraph != current[-1].paragraph
        joined = span.continues and paragraph_tokens[span.paragraph] <= budget - size  # leans back, fits whole
        if current and (size + span.tokens > budget or span.heading
                        or (new_paragraph and size >= params.min_tokens and not joined)):
            groups.append(current)
            keep = current[-params.overlap_sentences :] if params.overlap_sentences else []
            if new_paragraph or span.heading or len(keep) >= len(current):
                keep = []
            current = list(keep)
            while current and sum(s.tokens for s in current) + span.tokens > budget:
                current.pop(0)
        current.append(span)
    if current:
        groups.append(current)
    return groups


def _fits(body: str, groups: list[list[Span]], params: ChunkParams, count: TokenCounter) -> list[list[Span]]:
    """Check every packed chunk with the real token count (joining sentences may add tokens) and split any
    that exceeds ``max_tokens`` between its sentences."""
    counts = count([body[g[0].start : g[-1].end] for g in groups]) if groups else []
    result: list[list[Span]] = []
    for group, tokens in zip(groups, counts, strict=True):
        if tokens <= params.max_tokens or len(group) == 1:
            result.append(group)
            continue
        half = len(group) // 2
        result.extend(_fits(body, [group[:half], group[half:]], params, count))
    return result


def chunk_article(article: Article, params: ChunkParams, count: TokenCounter, language: str = "en") -> list[Chunk]:
    """All chunks of one article, each verified to fit ``params.max_tokens`` as ``count`` counts tokens (the
    model that reads the article's language), sentences split by the rules of its ``language``."""
    body = article.body
    spans = sentence_spans(body, language)
    groups = _fits(body, pack(fit_sentences(body, spans, params, count), params), params, count)
    chunks: list[Chunk] = []
    heading = ""
    for group in groups:
        start, end = group[0].start, group[-1].end
        if group[0].heading:
            heading = body[group[0].start : group[0].end]
        gap = body[chunks[-1].end : start] if chunks else ""
        chunks.append(Chunk(chunk_id=f"{article.source.path}#{len(chunks)}", article_path=article.source.path,
                            start=start, end=end, paragraph=group[0].paragraph, text=body[start:end],
                            heading="" if group[0].heading else heading, lead=gap if gap.isspace() else ""))
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What the encoder sees for a chunk: its text, led by the section heading it falls under (context that a
    passage such as "Asked whether mobilised soldiers should…" lacks on its own). Measured with ``wayhome
    eval``: the heading helps; the article title as well did not (it pulls an article's passages together)."""
    heading = chunk.heading.lstrip("#").strip()
    return f"{heading}\n\n{chunk.text}" if heading else chunk.text

"""Near-duplicate merging: one result per passage, citing every article that carries it.

Two ranked chunks are the same result when they overlap or touch in one article (neighbouring chunks share a
sentence, or one paragraph follows the other: the result then quotes their union, still a verbatim slice of
the article, so the lower-ranked chunk's own sentences are not lost — a lede and the paragraph that gives its
reason are one answer), or when two articles carry the same text: nearly identical embeddings, or most word
trigrams of the shorter one found in the other (a paragraph chunked differently in each).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from bot.calibration import RETRIEVAL, Thresholds
from bot.models import Chunk
from bot.search.hybrid import Hit
from bot.text.normalize import words

SHINGLE = RETRIEVAL.shingle


@dataclass
class Group:
    """The best-ranked chunk of a set of duplicates, the span it quotes, and the chunks of other articles it
    stands for."""

    hit: Hit
    start: int
    end: int
    text: str
    others: list[int] = field(default_factory=list)
    members: list[int] = field(default_factory=list)
    lead: str = ""  # the whitespace before ``start`` in the article, when it follows an earlier chunk

    @classmethod
    def of(cls, hit: Hit, chunk: Chunk) -> Group:
        return cls(hit, chunk.start, chunk.end, chunk.text, members=[hit.index], lead=chunk.lead)

    def overlaps(self, chunk: Chunk) -> bool:
        return chunk.start < self.end and self.start < chunk.end

    def touches(self, chunk: Chunk) -> bool:
        """Does ``chunk`` follow or precede the quoted span with only whitespace between?"""
        return chunk.start - len(chunk.lead) == self.end or self.start - len(self.lead) == chunk.end

    def extend(self, chunk: Chunk, max_chars: int) -> bool:
        """Quote the union with an overlapping or touching chunk of the same article (both are slices of one
        body, and so is the union: the whitespace between is kept), unless it would exceed ``max_chars``.
        Whether the quote was widened."""
        start, end = min(self.start, chunk.start), max(self.end, chunk.end)
        if end - start > max_chars or not (self.overlaps(chunk) or self.touches(chunk)):
            return False
        if self.overlaps(chunk):
            head = chunk.text[: max(0, self.start - chunk.start)]
            tail = chunk.text[self.end - chunk.start :] if chunk.end > self.end else ""
        elif chunk.start >= self.end:
            head, tail = "", chunk.lead + chunk.text
        else:
            head, tail = chunk.text + self.lead, ""
        if chunk.start < self.start:
            self.lead = chunk.lead
        self.start, self.end, self.text = start, end, head + self.text + tail
        return True


@lru_cache(maxsize=4096)
def shingles(text: str) -> frozenset[tuple[str, ...]]:
    """Word trigrams of a text (folded words), or the single word tuple of a very short one."""
    folded = words(text)
    if len(folded) < SHINGLE:
        return frozenset([tuple(folded)]) if folded else frozenset()
    return frozenset(tuple(folded[i : i + SHINGLE]) for i in range(len(folded) - SHINGLE + 1))


def containment(a: str, b: str) -> float:
    """Share of the shorter text's trigrams found in the other text."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def overlaps(a: Chunk, b: Chunk) -> bool:
    """Chunks of one article sharing characters."""
    return a.article_path == b.article_path and a.start < b.end and b.start < a.end


def same_text(a: Chunk, b: Chunk, cosine: float, min_cosine: float, min_overlap: float) -> bool:
    """Chunks of two articles that quote the same passage."""
    return a.article_path != b.article_path and (cosine >= min_cosine or containment(a.text, b.text) >= min_overlap)


def merge_duplicates(hits: list[Hit], chunks: list[Chunk], vectors: np.ndarray, min_cosine: float = Thresholds.duplicate_cosine,
                     min_overlap: float = Thresholds.duplicate_overlap) -> list[Group]:
    """Fold ranked ``hits`` into groups: a chunk overlapping a better-ranked one of the same article widens its
    quote (up to two chunks' length), and so does one that touches it (``join_touching``); the same text in
    another article is cited by it (``others``)."""
    block = np.asarray(vectors[[h.index for h in hits]], dtype=np.float32) if hits else np.zeros((0, 1))
    row = {h.index: n for n, h in enumerate(hits)}
    groups: list[Group] = []
    for hit in hits:
        chunk = chunks[hit.index]
        for group in groups:
            best = chunks[group.hit.index]
            if best.article_path == chunk.article_path and group.overlaps(chunk):
                group.extend(chunk, max_chars=RETRIEVAL.widen * max(len(best.text), len(chunk.text)))
                group.members.append(hit.index)
                break
            if any(overlaps(chunks[i], chunk) for i in group.others):
                break
            cosine = float(block[row[group.hit.index]] @ block[row[hit.index]])
            if same_text(best, chunk, cosine, min_cosine, min_overlap):
                group.others.append(hit.index)
                break
        else:
            groups.append(Group.of(hit, chunk))
    return join_touching(groups, chunks)


def join_touching(groups: list[Group], chunks: list[Chunk]) -> list[Group]:
    """Join each group to a better-ranked one whose quote it continues or precedes in the same article (up to
    two chunks' length). Groups standing for the same text in several articles stay as they are, so that
    text is still quoted from the newest article carrying it."""
    joined: list[Group] = []
    for group in groups:
        chunk = chunks[group.hit.index]
        for better in joined:
            best = chunks[better.hit.index]
            if (best.article_path != chunk.article_path or better.others or group.others
                    or group.text != chunk.text or not better.touches(chunk)):
                continue
            limit = RETRIEVAL.widen * max(len(best.text), len(chunk.text)) + len(chunk.lead) + len(better.lead)
            if better.extend(chunk, limit):
                better.members.extend(group.members)
                break
        else:
            joined.append(group)
    return joined

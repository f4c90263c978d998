"""From a question to an ``Answer``: relevance decision, duplicate merging, highlights, ordering."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .highlight import best_sentence
from .models import Answer, Chunk, Passage, Source
from .search import Hit, Searcher, SearchResult
from .text_normalize import clean_text

USAGE = ("Ask a question about the Way Home (Put' Domoi) movement, e.g. "
         "“How many followers does the Way Home channel have?”")
NOT_FOUND = ("I found nothing about that in my articles. I can answer questions about the Way Home (Put' Domoi) "
             "movement: its members, their protests and demands, and the state's response — for example "
             "“Who is Maria Andreyeva?” or “How did the authorities react to the protests?”. "
             "Send /sources to see the articles I quote.")
MAX_RESULTS = 12


@dataclass(frozen=True)
class Relevance:
    """Thresholds for the 'is anything relevant here' decision, calibrated on the eval set."""

    min_dense: float = 0.42
    min_dense_with_keywords: float = 0.25
    min_keyword_share: float = 0.5
    duplicate_cosine: float = 0.93
    min_passage_dense: float = 0.2


def is_relevant(result: SearchResult, rel: Relevance) -> bool:
    """Both retrievers vote: a strong dense match, or a fair one backed by the question's own words."""
    if not result.hits:
        return False
    share = len(set(result.matched_tokens)) / max(1, len(set(result.query_tokens)))
    if result.top_dense >= rel.min_dense:
        return True
    return share >= rel.min_keyword_share and result.top_dense >= rel.min_dense_with_keywords


def _overlaps(a: Chunk, b: Chunk) -> bool:
    return a.article_path == b.article_path and a.start < b.end and b.start < a.end


def merge_duplicates(hits: list[Hit], chunks: list[Chunk], vectors: np.ndarray, rel: Relevance) -> list[tuple[Hit, list[int]]]:
    """Keep the best of overlapping chunks; fold near-identical passages of other articles into one result."""
    kept: list[tuple[Hit, list[int]]] = []
    for hit in hits:
        chunk = chunks[hit.index]
        duplicate = False
        for best, others in kept:
            if _overlaps(chunks[best.index], chunk):
                duplicate = True
            elif float(np.dot(vectors[best.index], vectors[hit.index])) >= rel.duplicate_cosine:
                others.append(hit.index)
                duplicate = True
            if duplicate:
                break
        if not duplicate:
            kept.append((hit, []))
    return kept


def _passage(rank: int, hit: Hit, top: float, others: list[int], data_chunks: list[Chunk],
             sources: dict[str, Source], tokens: list[str]) -> Passage:
    chunk = data_chunks[hit.index]
    also = [sources[data_chunks[i].article_path] for i in others]
    also = [s for s in {s.path: s for s in also}.values() if s.path != chunk.article_path]
    return Passage(rank=rank, score=round(hit.fused / top, 4) if top else 0.0, text=chunk.text,
                   highlight=best_sentence(chunk.text, tokens), source=sources[chunk.article_path],
                   chunk_id=chunk.chunk_id, also_in=also)


def answer_question(searcher: Searcher, question: str, k: int, max_chars: int = 1000,
                    rel: Relevance | None = None) -> Answer:
    """Answer ``question`` with up to ``k`` quoted passages (and more for /more), or refuse honestly."""
    rel = rel or Relevance()
    cleaned = " ".join(clean_text(question).split())
    if not any(ch.isalnum() for ch in cleaned):
        return Answer(question=question, answered=False, message=USAGE)
    trimmed = len(cleaned) > max_chars
    query = cleaned[:max_chars]
    result = searcher.search(query)
    if not is_relevant(result, rel):
        return Answer(question=question, answered=False, message=NOT_FOUND, trimmed=trimmed)
    data = searcher.data
    hits = [h for h in result.hits if h.dense >= rel.min_passage_dense or h.keyword > 0]
    hits.sort(key=lambda h: (-round(h.fused, 6), _newest_first(data.sources[data.chunks[h.index].article_path])))
    merged = merge_duplicates(hits, data.chunks, data.vectors, rel)[:MAX_RESULTS]
    top = merged[0][0].fused if merged else 1.0
    passages = [_passage(i + 1, hit, top, others, data.chunks, data.sources, result.query_tokens)
                for i, (hit, others) in enumerate(merged)]
    message = "Question trimmed for search." if trimmed else ""
    return Answer(question=question, answered=bool(passages), message=message if passages else NOT_FOUND,
                  results=passages[:k], more=passages[k:], trimmed=trimmed)


def _newest_first(source: Source) -> int:
    """Sort key: newer publication dates first, undated last."""
    digits = source.published.replace("-", "")
    return -int(digits) if digits.isdigit() else 0

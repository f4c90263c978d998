"""From a question to an ``Answer``: relevance decision, duplicate merging, highlights, ordering.

Relevance is decided on evidence from both retrievers for the same passage: its cosine similarity to the
question (dense) plus the weighted share of the question's words it contains (keyword coverage). Off-topic
questions fail on both counts — a question about the Vietnam war may share "war" and "soldiers" with the
corpus and be fairly close to it in embedding space, but not both strongly in one passage.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import texts
from bot.answer.highlight import best_sentence
from bot.answer.merge import Group, merge_duplicates
from bot.models import Answer, Passage, Source
from bot.search.hybrid import COVERAGE_WEIGHT, Hit, Searcher, SearchResult
from bot.text.normalize import clean_text
from bot.text.safe import has_word

MAX_RESULTS = 12


@dataclass(frozen=True)
class Relevance:
    """Thresholds of the 'is anything relevant here' decision, calibrated with ``wayhome eval``.

    A passage's evidence is ``cosine + coverage_weight * coverage``; the question is answered when some
    passage reaches ``min_evidence`` with a cosine of at least ``min_cosine`` (words alone, in a passage the
    encoder finds unrelated, are no evidence: "my internet is not working" in an article that mentions the
    internet) — and, when the question names the corpus's background names (Moscow, Putin…), some passage
    also reaches ``min_focus`` with the cosine of the question without them (``focus +
    focus_coverage_weight * coverage``). Passages below ``min_passage`` are never quoted; for that test,
    question words found in the previous chunk of the article count at ``context_share`` (it says who "she"
    is). Measured choices: min_focus 0.45 refused one more off-topic question but left a blind on-topic one
    0.005 above the line; 0.40 keeps a margin.
    """

    min_evidence: float = 0.69
    min_cosine: float = 0.15
    coverage_weight: float = COVERAGE_WEIGHT
    min_focus: float = 0.40
    focus_coverage_weight: float = 0.5
    min_passage: float = 0.50
    context_share: float = 0.5
    duplicate_cosine: float = 0.95
    duplicate_overlap: float = 0.6


def evidence(hit: Hit, rel: Relevance, context: float = 0.0) -> float:
    """Dense and keyword evidence that ``hit`` is about the question (``context``: share of the credit for
    question words found only in the previous chunk of its article)."""
    return hit.dense + rel.coverage_weight * (hit.coverage + context * hit.context)


def is_relevant(result: SearchResult, rel: Relevance) -> bool:
    """Does any candidate carry enough evidence from both retrievers together — and, for a question naming
    background names, enough once they are set aside?"""
    if not any(evidence(hit, rel) >= rel.min_evidence and hit.dense >= rel.min_cosine for hit in result.hits):
        return False
    return not result.focused or any(hit.focus + rel.focus_coverage_weight * hit.coverage >= rel.min_focus
                                     for hit in result.hits)


def newest_first(source: Source) -> int:
    """Sort key: newer publication dates first, undated last."""
    digits = source.published.replace("-", "")[:8]
    return -int(digits.ljust(8, "0")) if digits.isdigit() else 0


def _order(result: SearchResult, searcher: Searcher, rel: Relevance) -> list[Hit]:
    """Quotable hits by fused score; equal scores (e.g. duplicates) newest article first."""
    data = searcher.data
    hits = [h for h in result.hits if evidence(h, rel, rel.context_share) >= rel.min_passage]
    return sorted(hits, key=lambda h: (-round(h.fused, 4),
                                       newest_first(data.sources[data.chunks[h.index].article_path])))


def _passage(rank: int, group: Group, top: float, searcher: Searcher, result: SearchResult) -> Passage:
    """One result; of the articles that carry its very text, the newest is quoted and the others cited."""
    data = searcher.data
    carriers = [group.hit.index, *(i for i in group.others if group.text in data.chunks[i].text)]
    lead = min(carriers, key=lambda i: newest_first(data.sources[data.chunks[i].article_path]))
    chunk = data.chunks[lead]
    also = [data.sources[data.chunks[i].article_path] for i in [group.hit.index, *group.others]]
    also = [s for s in {s.path: s for s in also}.values() if s.path != chunk.article_path]
    also.sort(key=newest_first)
    return Passage(rank=rank, score=round(group.hit.fused / top, 4) if top > 0 else 0.0, text=group.text,
                   highlight=best_sentence(group.text, result.query), source=data.sources[chunk.article_path],
                   chunk_id=chunk.chunk_id, also_in=also)


def answer_question(searcher: Searcher, question: str, k: int, max_chars: int = 1000,
                    rel: Relevance | None = None) -> Answer:
    """Answer ``question`` with up to ``k`` quoted passages (and more for /more), or refuse honestly."""
    rel = rel or Relevance()
    cleaned = " ".join(clean_text(question).split())
    if not has_word(cleaned):
        return Answer(question=question, answered=False, message=texts.USAGE)
    trimmed = len(cleaned) > max_chars
    result = searcher.search(cleaned[:max_chars])
    if not is_relevant(result, rel):
        return Answer(question=question, answered=False, message=texts.NOT_FOUND, trimmed=trimmed)
    data = searcher.data
    groups = merge_duplicates(_order(result, searcher, rel), data.chunks, data.vectors, rel.duplicate_cosine,
                              rel.duplicate_overlap)[:MAX_RESULTS]
    top = groups[0].hit.fused if groups else 1.0
    passages = [_passage(i + 1, g, top, searcher, result) for i, g in enumerate(groups)]
    message = "Question trimmed for search." if trimmed else ""
    return Answer(question=question, answered=bool(passages), message=message if passages else texts.NOT_FOUND,
                  results=passages[:k], more=passages[k:], trimmed=trimmed)

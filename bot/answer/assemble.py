"""From a question to an ``Answer``: relevance decision, duplicate merging, highlights, ordering.

Relevance is decided on evidence from both retrievers for the same passage: its cosine similarity to the
question (dense) plus the weighted share of the question's words it contains (keyword coverage). Off-topic
questions fail on both counts — a question about the Vietnam war may share "war" and "soldiers" with the
corpus and be fairly close to it in embedding space, but not both strongly in one passage.
"""

from __future__ import annotations

from bot.answer.highlight import best_sentence
from bot.answer.merge import Group, merge_duplicates
from bot.answer.relevance import Thresholds, is_relevant, quotable, relevance_for
from bot.answer.trim import answering, answering_judged, paragraph_texts, trim
from bot.calibration import RETRIEVAL
from bot.encoders.base import Encoder
from bot.models import Answer, Notice, Passage, Source
from bot.search.hybrid import Hit, Searcher, SearchResult
from bot.text.question import Question

MAX_RESULTS = RETRIEVAL.max_results
_DAY = len("YYYYMMDD")  # a publication date as digits, for ordering


def newest_first(source: Source) -> int:
    """Sort key: newer publication dates first, undated last."""
    digits = source.published.replace("-", "")[:_DAY]
    return -int(digits.ljust(_DAY, "0")) if digits.isdigit() else 0


def _order(result: SearchResult, searcher: Searcher, rel: Thresholds) -> list[Hit]:
    """Quotable hits by rank (``Hit.order``: the fused score, compared across languages in standard units);
    equal scores (e.g. duplicates) newest article first."""
    data = searcher.data
    hits = [h for h in result.hits if quotable(h, rel, result)]
    return sorted(hits, key=lambda h: (-round(h.order, RETRIEVAL.score_decimals),
                                       newest_first(data.sources[data.chunks[h.index].article_path])))


def _passage(rank: int, group: Group, top: float, searcher: Searcher, result: SearchResult,
             answers: list[bool]) -> Passage:
    """One result; of the articles that carry its very text, the newest is quoted and the others cited; of
    its paragraphs, those that answer (``answers``) and their context (``bot.answer.trim``)."""
    data = searcher.data
    carriers = [group.hit.index, *(i for i in group.others if group.text in data.chunks[i].text)]
    lead = min(carriers, key=lambda i: newest_first(data.sources[data.chunks[i].article_path]))
    chunk = data.chunks[lead]
    also = [data.sources[data.chunks[i].article_path] for i in [group.hit.index, *group.others]]
    also = [s for s in {s.path: s for s in also}.values() if s.path != chunk.article_path]
    also.sort(key=newest_first)
    highlight = best_sentence(group.text, result.query)
    return Passage(rank=rank, score=round(group.hit.order / top, RETRIEVAL.score_decimals) if top > 0 else 0.0,
                   text=trim(group.text, highlight, answers, result.query), highlight=highlight,
                   source=data.sources[chunk.article_path],
                   chunk_id=chunk.chunk_id, also_in=also)


def _encoder(searcher: Searcher, result: SearchResult) -> Encoder:
    """The encoder of the space ``result``'s cosines are in."""
    other = searcher.ml_encoder
    return other if other is not None and result.model == other.model != searcher.encoder.model else searcher.encoder


def _answering(groups: list[Group], searcher: Searcher, result: SearchResult, rel: Thresholds) -> list[list[bool]]:
    """Which paragraphs of the quotes shown first answer (``bot.answer.trim``), by the rule that let the
    passage itself be quoted (``quotable``): a passage the question's model reads by its cosine and keyword
    coverage against that model's thresholds (``answering``); one only its language pair judges (an English
    question's Russian passage) in the multilingual space on that pair's scale (``answering_judged``).
    Scoring encodes the paragraphs at question time, so only the passages shown now are trimmed (those behind
    "More" are quoted whole)."""
    flags = [[True] * len(paragraph_texts(g.text)) for g in groups]
    read = [i for i, g in enumerate(groups) if g.hit.language in result.readable or not g.hit.calibrated]
    scored = answering([groups[i].text for i in read], result.query, result.vector, _encoder(searcher, result),
                       rel.min_passage, rel.coverage_weight, rel.min_cosine)
    for i, answered in zip(read, scored, strict=True):
        flags[i] = answered
    for i in sorted(set(range(len(groups))) - set(read)):
        flags[i] = _judged(groups[i], searcher, result)
    return flags


def _judged(group: Group, searcher: Searcher, result: SearchResult) -> list[bool]:
    """``answering_judged`` for a passage its language pair judges (quoted whole without the multilingual
    model's view of the question)."""
    line = result.lines.get(group.hit.language)
    offset = result.offsets.get(group.hit.language)
    if line is None or offset is None or searcher.ml_encoder is None or result.ml_vector is None:
        return [True] * len(paragraph_texts(group.text))
    return answering_judged(group.text, result.ml_vector, searcher.ml_encoder,
                            lambda cosine: line.judged(cosine, offset), line.floor)


def decide(searcher: Searcher, question: str, language: str,
            rel: Thresholds | None) -> tuple[SearchResult, Thresholds]:
    """The search to answer from (one search: passages in other languages come with their pairs' standard
    scores, ``bot.search.languages``), and its model's thresholds for questions in ``language``."""
    result = searcher.search(question, language)
    return result, rel or relevance_for(result.model, language)


def answer_question(searcher: Searcher, question: Question, k: int, rel: Thresholds | None = None) -> Answer:
    """Answer ``question`` with up to ``k`` quoted passages (and more for /more), or refuse honestly."""
    if not question.has_word:
        return Answer(question=question.text, answered=False, notice=Notice.USAGE)
    language, trimmed = question.language, question.trimmed
    result, rel = decide(searcher, question.search, language, rel)
    if not is_relevant(result, rel):
        return Answer(question=question.text, language=language, answered=False, notice=Notice.NOT_FOUND,
                      trimmed=trimmed)
    data = searcher.data
    groups = merge_duplicates(_order(result, searcher, rel), data.chunks, data.vectors, rel.duplicate_cosine,
                              rel.duplicate_overlap)[:MAX_RESULTS]
    top = groups[0].hit.order if groups else 1.0
    answers = _answering(groups[:k], searcher, result, rel) + [[True] * len(paragraph_texts(g.text))
                                                               for g in groups[k:]]
    passages = [_passage(i + 1, g, top, searcher, result, a) for i, (g, a) in enumerate(zip(groups, answers,
                                                                                           strict=True))]
    notice = (Notice.TRIMMED if trimmed else None) if passages else Notice.NOT_FOUND
    return Answer(question=question.text, language=language, answered=bool(passages), notice=notice,
                  results=passages[:k], more=passages[k:], trimmed=trimmed)

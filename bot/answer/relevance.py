"""The answer-or-refuse decision and its thresholds, one calibration per embedding model.

Takes a ``SearchResult`` (whose ``model`` says which model's cosines it holds); gives whether anything in it
answers the question. Cosine thresholds only hold for the model they were measured with: each model has its
own thresholds, kept with every other weight in ``bot.calibration``. A model without them is refused
(``UncalibratedModel``), never run on another model's numbers.
"""

from __future__ import annotations

from bot.calibration import Thresholds, UncalibratedModel, thresholds_for
from bot.search.hybrid import Hit, SearchResult

__all__ = ["Thresholds", "UncalibratedModel", "answers", "evidence", "is_relevant", "quotable", "relevance_for"]


def evidence(hit: Hit, rel: Thresholds, context: float = 0.0) -> float:
    """Dense and keyword evidence that ``hit`` is about the question (``context``: share of the credit for
    question words found only in the previous chunk of its article)."""
    return hit.dense + rel.coverage_weight * (hit.coverage + context * hit.context)


def answers(hit: Hit, rel: Thresholds, result: SearchResult) -> bool:
    """Does ``hit`` answer on its own: above its language pair's line measured on this corpus (a passage in
    another language than the question's, or any passage of a question the multilingual model reads), else
    with enough evidence from both retrievers together by the question model's thresholds? Measured in
    session 6 on the seed corpus's Russian sets: the pair's line alone hit@1 0.869, on-topic refused 4.4 %,
    off-topic refused 71.8 %; the line and the model's tuned thresholds together 0.794, 13.1 %, 85.5 % (those
    thresholds leaned on Russian words misread as English ones, see ``bot.search.query``); XQuAD's ru→en
    on-topic refused 19.3 % against 29.8 %."""
    line = result.lines.get(hit.language) if hit.calibrated else None
    if line is not None:
        return hit.judged is not None and hit.judged >= line.line
    return evidence(hit, rel) >= rel.min_evidence and hit.dense >= rel.min_cosine


def quotable(hit: Hit, rel: Thresholds, result: SearchResult) -> bool:
    """May ``hit`` be quoted in an answer: above its pair's floor, or ``min_passage`` with its context."""
    line = result.lines.get(hit.language) if hit.calibrated else None
    if line is not None and hit.language not in result.readable:
        return hit.judged is not None and hit.judged >= line.floor
    return evidence(hit, rel, rel.context_share) >= rel.min_passage


def is_relevant(result: SearchResult, rel: Thresholds) -> bool:
    """Does any candidate answer (``answers``) — and, for a question naming background names, enough once
    they are set aside?"""
    if not any(answers(hit, rel, result) for hit in result.hits):
        return False
    if rel.min_contrast is not None and result.contrast is not None and result.contrast < rel.min_contrast:
        return False
    return not result.focused or any(hit.focus + rel.focus_coverage_weight * hit.coverage >= rel.min_focus
                                     for hit in result.hits)


def relevance_for(model: str, language: str = "") -> Thresholds:
    """The calibrated thresholds of ``model`` for questions in ``language`` (``UncalibratedModel`` when it
    has none)."""
    return thresholds_for(model, language)

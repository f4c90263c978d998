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
    """Does ``hit`` answer on its own? A passage the question's model reads: with enough evidence from both
    retrievers together by that model's thresholds — and, when it is judged by its language pair (every
    passage of a question in the multilingual space), above the pair's line measured on this corpus too. A
    passage the question's model cannot read (a Russian one for an English question): by that line alone.
    (The line alone for every judged pair was measured in session 6: on the seed corpus Russian off-topic
    refused 71.8 % against 79.0 % with the model's tuned thresholds; both together, 83.9 %.)"""
    line = result.lines.get(hit.language) if hit.calibrated else None
    above = line is not None and hit.standard is not None and hit.standard >= line.line
    if line is not None and hit.language not in result.readable:
        return above
    return (line is None or above) and evidence(hit, rel) >= rel.min_evidence and hit.dense >= rel.min_cosine


def quotable(hit: Hit, rel: Thresholds, result: SearchResult) -> bool:
    """May ``hit`` be quoted in an answer: above its pair's floor, or ``min_passage`` with its context."""
    line = result.lines.get(hit.language) if hit.calibrated else None
    if line is not None and hit.language not in result.readable:
        return hit.standard is not None and hit.standard >= line.floor
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

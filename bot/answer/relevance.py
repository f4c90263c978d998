"""The answer-or-refuse decision and its thresholds, one calibration per embedding model.

Takes a ``SearchResult`` (whose ``model`` says which model's cosines it holds); gives whether anything in it
answers the question. Cosine thresholds only hold for the model they were measured with: each model has its
own thresholds, kept with every other weight in ``bot.calibration``. A model without them is refused
(``UncalibratedModel``), never run on another model's numbers.
"""

from __future__ import annotations

from bot.calibration import Thresholds, UncalibratedModel, thresholds_for
from bot.search.hybrid import Hit, SearchResult

__all__ = ["Thresholds", "UncalibratedModel", "evidence", "is_relevant", "relevance_for"]


def evidence(hit: Hit, rel: Thresholds, context: float = 0.0) -> float:
    """Dense and keyword evidence that ``hit`` is about the question (``context``: share of the credit for
    question words found only in the previous chunk of its article)."""
    return hit.dense + rel.coverage_weight * (hit.coverage + context * hit.context)


def is_relevant(result: SearchResult, rel: Thresholds) -> bool:
    """Does any candidate carry enough evidence from both retrievers together — and, for a question naming
    background names, enough once they are set aside?"""
    if not any(evidence(hit, rel) >= rel.min_evidence and hit.dense >= rel.min_cosine for hit in result.hits):
        return False
    if rel.min_contrast is not None and result.contrast is not None and result.contrast < rel.min_contrast:
        return False
    return not result.focused or any(hit.focus + rel.focus_coverage_weight * hit.coverage >= rel.min_focus
                                     for hit in result.hits)


def relevance_for(model: str, language: str = "") -> Thresholds:
    """The calibrated thresholds of ``model`` for questions in ``language`` (``UncalibratedModel`` when it
    has none)."""
    return thresholds_for(model, language)

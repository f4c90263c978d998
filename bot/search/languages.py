"""One ranking for passages in several languages.

Takes hits that carry, besides their fused score in the question's own space, their multilingual cosine in
standard units of their (question language, passage language) pair (``bot.index.calibrate``); gives each an
``order``. Within one passage language the best evidence orders the passages (the fused score, where the
question's model reads that language; the standard score where it does not — MiniLM reads no Russian); across
languages the standard scores compare them: the passages of each language take, in their own order, the
standard scores of that language's passages, best first. An English question on an English-only corpus (one
language) keeps its order; a Russian passage competes with English ones on the scale where both were measured
against the same unrelated questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.calibration import CROSS


class Ranked(Protocol):
    index: int
    dense: float
    fused: float
    coverage: float
    shared: float
    standard: float | None
    calibrated: bool
    language: str
    order: float


def rank_across(hits: Sequence[Ranked], by_fused: bool) -> None:
    """Set ``order`` on ``hits`` of several languages (``by_fused``: the question's model reads every language,
    so its fused score orders each language's passages; otherwise calibrated passages go by standard score).
    Hits of one language only, or without standard scores, keep ``order`` as it is."""
    languages = {h.language for h in hits}
    if len(languages) <= 1 or any(h.standard is None for h in hits):
        return
    for language in languages:
        group = [h for h in hits if h.language == language]
        own = sorted(group, key=lambda h: -(h.fused if by_fused or not h.calibrated else _across(h, by_fused)))
        scale = sorted((_across(h, by_fused) for h in group), reverse=True)
        for hit, value in zip(own, scale, strict=True):
            hit.order = value


def _across(hit: Ranked, by_fused: bool) -> float:
    """A hit's score on the scale shared by every language: its standard score plus its ``words``."""
    return float(hit.standard or 0) + words(hit, by_fused)


def words(hit: Ranked, by_fused: bool) -> float:
    """A hit's keyword evidence in standard units — the words a passage in any language can carry
    (``Hit.shared``: names, numbers) for a question its model reads in one language only (an English question),
    all the question's words when its model reads every language (a Russian question on Russian passages keeps
    its words' evidence)."""
    return CROSS.shared_words * (hit.coverage if by_fused else hit.shared)

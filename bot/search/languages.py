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
        own = sorted(group, key=lambda h: -(h.fused if by_fused or not h.calibrated else _across(h)))
        scale = sorted((_across(h) for h in group), reverse=True)
        for hit, value in zip(own, scale, strict=True):
            hit.order = value


def _across(hit: Ranked) -> float:
    """A hit's score on the scale shared by every language: its standard score plus its ``words``."""
    return float(hit.standard or 0) + words(hit)


def words(hit: Ranked) -> float:
    """A hit's keyword evidence in standard units: only the words a passage in any language can carry
    (``Hit.shared``: names, numbers), whichever model read the question. Within a language, the fused score
    still orders passages by all their words.

    Until session 10 a question the multilingual model reads (a Russian one) brought all its words' coverage
    to the shared scale. An English passage can match only names and numbers of a Russian
    question, so Russian passages on the same subject outranked the English one that answered. Measured with
    shared words only, against all words (hit@1 ru→en; every set seen): XQuAD even articles 0.717 → 0.733,
    blind_xl set1 0.633 → 0.667, set2 0.667 → 0.700, set4 0.400 → 0.440, set7 0.520 → 0.560, set8 0.240 →
    0.320, wiki7 0.760 → 0.760. ru→ru, en→ru and en→en were the same on every set."""
    return CROSS.shared_words * hit.shared

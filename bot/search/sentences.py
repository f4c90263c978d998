"""Passages in another language than the question's, ordered again by their best sentences.

Takes the ranked hits of a search, the question's vector in the multilingual space, that space's encoder and
passage vectors, the passages' texts and the pairs' lines; changes the ``order`` of the best
``CROSS.sentence_top`` hits of each language other than the question's. Across languages a passage has little
keyword evidence (the question's words are not its words), so the multilingual model's cosine to the whole
passage orders it, and the one sentence that answers is diluted by the rest. Each of those hits is scored by
the key that ordered it (its fused score where the multilingual model read the question, else its standard
score plus the names and numbers it shares with the question), with the mean of its passage cosine and the
best cosine of one of its sentences or two neighbouring sentences (encoded at question time, kept per encoder:
``bot.encoders.cache``) for its passage cosine; the hits take, in that order, the ranking keys they held
between them, so how languages compare is left as it was.

Measured in session 9 on development sets only (all seen), ``wayhome eval`` figures in tests/eval/README.md;
simulated on the 8 best passages of the other language, the first answering one ranked first for 34 → 37 of
50 cross-language questions of blind_xl/set4, 92 → 97 of 240 XQuAD questions (even articles), 85 → 86 of 110
of set1+set2; within the first three for 39 → 44, 108 → 109, 95 → 99. The cost: the units of the
``CROSS.sentence_top`` passages per other language (4 since session 12, which kept these figures) encoded one by
one at question time, about 90 ms on 2 vCPUs for passages not seen before, nothing once they are kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

from bot.calibration import CROSS, RETRIEVAL
from bot.encoders.base import Encoder
from bot.encoders.cache import text_vectors
from bot.index.manifest import PairLine
from bot.ingest.chunking import sentence_spans
from bot.search.languages import Ranked, words


# Splitting a passage into sentences (pysbd) took ~3 ms a passage, 25 ms of every question that reorders 8:
# passages are immutable and come back question after question, so their units are kept.
@lru_cache(maxsize=RETRIEVAL.text_vectors_kept)
def units(text: str, language: str) -> tuple[str, ...]:
    """The sentences of a passage and each two neighbouring ones (the passage itself when it has one)."""
    found = [text[s.start : s.end].strip() for s in sentence_spans(text, language)]
    found = [s for s in found if s]
    if len(found) <= 1:
        return (text,)
    return (*found, *(f"{a} {b}" for a, b in zip(found, found[1:], strict=False)))


def reorder_across(hits: Sequence[Ranked], language: str, vector: np.ndarray, encoder: Encoder,
                   passages: np.ndarray, texts: Sequence[str], lines: Mapping[str, PairLine],
                   by_fused: bool, top: int = CROSS.sentence_top) -> None:
    """Order again the ``top`` best hits (by ``order``) of each passage language other than
    ``language`` (the question's) that has a pair line in ``lines``: by the key that ordered them (``_key``),
    the mean of the passage's cosine and its best unit's standing for the passage's cosine. ``passages``: the
    multilingual vectors of every chunk; ``texts``: their texts."""
    for other in sorted({h.language for h in hits} - {language}):
        line = lines.get(other)
        group = sorted((h for h in hits if h.language == other), key=lambda h: -h.order)[:top]
        if line is None or not group[1:]:
            continue
        split = [units(texts[h.index], other) for h in group]
        flat = text_vectors(encoder, [u for pieces in split for u in pieces]) @ vector
        bounds = np.cumsum([0] + [len(pieces) for pieces in split])
        whole = np.asarray(passages[[h.index for h in group]], np.float32) @ vector
        scores = [_key(hit, float(np.mean([whole[n], flat[bounds[n]:bounds[n + 1]].max()])), line, by_fused)
                  for n, hit in enumerate(group)]
        keys = [h.order for h in group]
        for n, key in zip(sorted(range(len(group)), key=lambda n: -scores[n]), keys, strict=True):
            group[n].order = key


def _key(hit: Ranked, cosine: float, line: PairLine, by_fused: bool) -> float:
    """The key a language's passages are ordered by (``languages.rank_across``) with ``cosine`` for the
    passage's own: its fused score where the question's model reads it (``by_fused``: the multilingual model's
    cosine plus its keyword coverage), else its standard score plus its shared words."""
    if by_fused:
        return hit.fused - hit.dense + cosine
    return line.standard(cosine) + words(hit)

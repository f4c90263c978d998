"""The sentence of a passage that best answers the question — always a verbatim substring of the passage.

Scored lexically (no model call at query time): the weighted share of the question's words the sentence
contains (the same weights as retrieval: rare in the corpus and in English counts more), plus a small bonus
when the sentence holds the kind of thing asked for — a number for "how many", a date for "when", a name for
"who". Ties go to the earlier sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.calibration import RETRIEVAL, WEIGHTS
from bot.ingest.chunking import sentence_spans
from bot.search.query import NAME, Query
from bot.text.names import MONTHS
from bot.text.normalize import keyword_tokens, stem, words

ANSWER_BONUS = WEIGHTS.answer_bonus
_NUMBER = re.compile(r"\d")
_MONTHS = "|".join(m.lower() for m in MONTHS) + ("|spring|summer|autumn|fall|winter|week|year|month|ago|later|since|"
                                                  "until|before|after|yesterday|today")
_DATE = re.compile(rf"\b(?:1[89]\d\d|20\d\d|{_MONTHS})\b", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+")
_ASKS = (
    (re.compile(r"\bhow\s+(?:many|much)\b|\bwhat\s+(?:number|percentage|share)\b", re.I), _NUMBER),
    (re.compile(r"\bwhen\b|\bwhat\s+(?:date|year|month|day)\b|\bhow\s+long\b", re.I), _DATE),
    (re.compile(r"\bwho\b|\bwhose\b", re.I), _NAME),
)


def sentences(text: str) -> list[str]:
    """Verbatim sentences of a passage."""
    return list(_sentences(text))


# Passages are immutable and highlighted again for every question that finds them: splitting and tokenising
# them once (not per query) keeps the warm query path within its 5 ms budget (see ``wayhome bench``).
@lru_cache(maxsize=8192)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(text[s.start : s.end] for s in sentence_spans(text)) or (text,)


@lru_cache(maxsize=32768)
def _tokens(sentence: str) -> frozenset[str]:
    return frozenset(keyword_tokens(sentence))


@lru_cache(maxsize=32768)
def _stem_pairs(sentence: str) -> frozenset[tuple[str, ...]]:
    stems = [stem(w) for w in words(sentence)]
    return frozenset(zip(stems, stems[1:], strict=False))


def wanted_kind(question: str) -> re.Pattern[str] | None:
    """What the question asks for, as a pattern a good answer sentence matches (None: no particular kind)."""
    for asks, answer in _ASKS:
        if asks.search(question):
            return answer
    return None


def sentence_score(sentence: str, query: Query, kind: re.Pattern[str] | None) -> float:
    """Weighted share of the question's words in ``sentence``, plus the answer-kind bonus."""
    found: set[str] = set(_tokens(sentence))
    if query.name_forms:
        pairs = _stem_pairs(sentence)
        if any(tuple(form) in pairs for form in query.name_forms):
            found.add(NAME)
    score = query.coverage(found)
    if kind is not None and kind.search(sentence):
        score += ANSWER_BONUS
    return score


def best_sentence(text: str, query: Query) -> str:
    """The sentence of ``text`` that best answers ``query`` (the first one on ties)."""
    kind = wanted_kind(query.text)
    best, best_score = "", -1.0
    for sentence in sentences(text):
        score = sentence_score(sentence, query, kind)
        if score > best_score + RETRIEVAL.tie:
            best, best_score = sentence, score
    return best or text

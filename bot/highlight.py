"""The sentence of a passage that best answers the question (a verbatim substring of the passage)."""

from __future__ import annotations

from .chunking import sentence_spans
from .text_normalize import keyword_tokens


def sentences(text: str) -> list[str]:
    """Verbatim sentences of a passage."""
    return [text[s.start : s.end] for s in sentence_spans(text)] or [text]


def best_sentence(text: str, question_tokens: list[str]) -> str:
    """Highest keyword overlap with the question (distinct stems, then rarer/longer ones); first on ties."""
    wanted = set(question_tokens)
    best, best_score = "", (-1.0, 0.0)
    for sentence in sentences(text):
        tokens = set(keyword_tokens(sentence))
        hits = tokens & wanted
        score = (float(len(hits)), sum(len(t) for t in hits) / 100.0)
        if score > best_score:
            best, best_score = sentence, score
    return best or text

"""Whether a message reads as a question: used where people talk to each other as well as to the bot (a
reply to the bot in a group), so that "thanks", "ok" or "😂" get no answer.

Takes: a message's text. Gives: ``reads_as_question`` — true for a question mark anywhere, or a first word
(after "and", "but", "а", "и"…) that asks (who, how, is, tell…; кто, как, сколько, расскажите…), or Russian
"ли" as its second word ("Есть ли…"). Pure; English and Russian.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
LEADING = frozenset({"and", "but", "so", "then", "ok", "okay", "also", "а", "и", "но", "ну", "так", "тогда",
                     "ещё", "еще", "также", "хорошо"})
ASKING = frozenset({
    # English: question words, auxiliaries that open a question, requests.
    "who", "whom", "whose", "what", "which", "when", "where", "why", "how", "is", "are", "was", "were", "do",
    "does", "did", "can", "could", "should", "would", "will", "has", "have", "had", "may", "might", "tell",
    "show", "explain", "list", "find", "give", "describe", "any", "anything",
    # Russian: question words, requests.
    "кто", "кого", "кому", "кем", "ком", "что", "чего", "чему", "чем", "чём", "когда", "где", "куда", "откуда",
    "почему", "зачем", "отчего", "как", "какой", "какая", "какое", "какие", "каких", "каким", "какую", "каков",
    "сколько", "чей", "чья", "чьё", "чье", "чьи", "расскажи", "расскажите", "покажи", "покажите", "объясни",
    "объясните", "найди", "найдите", "подскажи", "подскажите", "правда", "неужели", "разве", "можно",
})


def reads_as_question(text: str) -> bool:
    """True when ``text`` asks something (see the module docstring)."""
    if "?" in text or "？" in text:
        return True
    words = [w.lower() for w in _WORD.findall(text)]
    while words and words[0] in LEADING:
        words = words[1:]
    if not words:
        return False
    return words[0] in ASKING or (len(words) > 1 and words[1] == "ли")

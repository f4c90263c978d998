"""Whether a message reads as a question, and whether it is only small talk.

Takes: a message's text. Gives:
- ``reads_as_question``: used where people talk to each other as well as to the bot (a reply to the bot in a
  group), so that "thanks", "ok" or "😂" get no answer. True for a question mark anywhere, or a first word
  (after "and", "but", "а", "и"…) that asks (who, how, is, tell…; кто, как, сколько, расскажите…), or Russian
  "ли" as its second word ("Есть ли…").
- ``small_talk``: a short message made only of greetings, thanks, farewells and "how are you" ("good morning",
  "спасибо большое", "привет! как дела?"). It asks nothing an article could answer; searched, its words met
  whatever passage mentioned a morning or a greeting, and a quote came back.
Pure; English and Russian.
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


SMALL_TALK_WORDS = 6  # longer messages say something more
SMALL_TALK = frozenset({
    # English: greetings, thanks, farewells, acknowledgements, "how are you".
    "hi", "hello", "hey", "hiya", "yo", "greetings", "good", "morning", "afternoon", "evening", "night", "day",
    "thanks", "thank", "thx", "ty", "cheers", "much", "very", "so", "a", "lot", "you", "u", "all", "everyone",
    "bye", "goodbye", "see", "later", "ok", "okay", "fine", "great", "cool", "nice", "yes", "no", "yeah",
    "nope", "how", "are", "is", "it", "going", "doing", "what", "whats", "s", "up", "sup", "there", "again",
    "please", "sorry", "welcome", "bot", "dear", "friend", "and", "to", "the", "too",
    # Russian: the same.
    "привет", "приветик", "здравствуйте", "здравствуй", "здрасьте", "добрый", "доброе", "доброй", "день",
    "утро", "вечер", "ночи", "спокойной", "спасибо", "спс", "благодарю", "большое", "огромное", "пожалуйста",
    "пока", "до", "свидания", "встречи", "как", "дела", "делишки", "жизнь", "ты", "вы", "у", "тебя", "вас",
    "поживаешь", "поживаете", "что", "хорошо", "отлично", "ок", "окей", "ладно", "понятно", "ясно",
    "да", "нет", "ага", "угу", "всем", "вам", "тебе", "и", "очень", "бот", "ботик", "салют", "хай", "извините",
    "прости", "простите",
})


def small_talk(text: str) -> bool:
    """True when ``text`` is only greetings, thanks or "how are you" (see the module docstring)."""
    words = [w.lower() for w in _WORD.findall(text)]
    return 0 < len(words) <= SMALL_TALK_WORDS and all(w in SMALL_TALK for w in words)

"""Query analysis for real typing: folding, the movement's name variants, name phrases, token weights.

A question becomes (a) stemmed keyword tokens for BM25, misspelt words corrected against the corpus
vocabulary, (b) a weight per token — how much it tells about what is asked — and (c) a cleaned text for the
dense encoder (corrections applied, the movement's transliterated name spelled out). Nothing here is keyed to
particular articles: the vocabulary and frequencies come from the index (``vocabulary``), corrections from
``spelling``, general English from ``lexicon``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot.calibration import WEIGHTS
from bot.search.spelling import relative, respell, transliterated
from bot.search.vocabulary import Vocabulary
from bot.text.names import DENSE_NAME, NAME_FORMS, WORD, opens_sentence
from bot.text.normalize import STOPWORDS, clean_text, keyword_tokens, stem, words

_WORD = re.compile(rf"{WORD}|\d+")
_CYRILLIC = re.compile(r"\w*[\u0400-\u04ff]\w*")
_CONNECTORS = frozenset({"of", "and", "the", "de"})
PHRASE = "\x00phrase:"
PHRASE_WEIGHT = WEIGHTS.phrase  # a multi-word name the passage lacks: half the weight of a word the corpus never uses

NAME = "\x00name"
_NAME_TEXT = re.compile(r"\b(?:put|putj|pout)[\s'`\u2019\u02bc-]*(?:domoi|domoy|domoj)\b|путь\s+домой",
                        re.IGNORECASE)


@dataclass
class Query:
    """An analysed question."""

    text: str
    dense_text: str
    tokens: list[str]  # for BM25, name forms included
    weights: dict[str, float]  # per distinct token (name forms folded into NAME)
    corrections: dict[str, str] = field(default_factory=dict)
    name_forms: list[tuple[str, ...]] = field(default_factory=list)
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # PHRASE key -> content-word stems

    def coverage(self, found: set[str]) -> float:
        """Weighted share of the question's tokens among ``found`` (tokens, or NAME)."""
        total = sum(self.weights.values())
        return sum(w for t, w in self.weights.items() if t in found) / total if total else 0.0

def name_phrases(text: str) -> list[list[str]]:
    """Multi-word names in the question ("World War II", "War and Peace"): runs of capitalised words, joined
    by at most one lower-case "of", "and" or "the", not starting a sentence. Folded words, connectors kept."""
    phrases: list[list[str]] = []
    run: list[str] = []
    for match in [*_WORD.finditer(text), None]:
        word = match.group(0) if match else ""
        if match and word[0].isupper() and not opens_sentence(text, match.start()):
            run.append(word)
            continue
        if match and run and word in _CONNECTORS and run[-1] not in _CONNECTORS:
            run.append(word)
            continue
        while run and run[-1] in _CONNECTORS:
            run.pop()
        if sum(w not in _CONNECTORS for w in run) >= WEIGHTS.phrase_min_words:
            phrases.append([w for part in run for w in words(part)])
        run = []
    return phrases


def proper_names(text: str) -> set[str]:
    """Folded words written as names: capitalised inside a sentence, or in capitals (FIFA, WWII)."""
    names: set[str] = set()
    for match in _WORD.finditer(text):
        word = match.group(0)
        if (word[0].isupper() and not opens_sentence(text, match.start())) or (len(word) > 1 and word.isupper()):
            names.update(words(word))
    return names


def split_name(folded: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The words of the question without the movement's name, and the forms of the name it used."""
    out: list[str] = []
    used: list[tuple[str, str]] = []
    i = 0
    while i < len(folded):
        pair = (folded[i], folded[i + 1]) if i + 1 < len(folded) else ("", "")
        if pair in NAME_FORMS:
            used.append(pair)
            i += len(pair)
            continue
        out.append(folded[i])
        i += 1
    return out, used


def analyse(question: str, vocab: Vocabulary) -> Query:
    """Tokens, weights, corrections and the dense text of ``question``."""
    text = " ".join(clean_text(question).split())
    rest, used = split_name(words(text))
    names = proper_names(text)
    cyrillic = set(words(" ".join(_CYRILLIC.findall(text))))  # transliterated: «года» is "goda", not "god"
    tokens: list[str] = []
    corrections: dict[str, str] = {}
    weights: dict[str, float] = {}
    for word in rest:
        if word in STOPWORDS:
            continue
        token = stem(word)
        if token not in vocab.df and not word.isdigit():  # a Russian word is no English misspelling: at most
            # a name in another transliteration, or the name with another ending
            fixed = (transliterated(word, vocab) or relative(word, vocab)) if word in cyrillic \
                else respell(word, vocab)
            if fixed:
                corrections[word] = fixed
                word, token = fixed, vocab.words.get(fixed) or stem(fixed)
                if word in STOPWORDS:
                    continue
        tokens.append(token)
        weights.setdefault(token, vocab.weight(token, word, named=word in names, russian=word in cyrillic))
    forms: list[tuple[str, ...]] = []
    if used:  # search every form; weigh the name by the form typed ("way home" is also plain English)
        forms = [tuple(stem(w) for w in form) for form in NAME_FORMS]
        tokens.extend(t for form in forms for t in form)
        weights[NAME] = max(vocab.weight(stem(w), w) for form in used for w in form)
    phrases = {}
    for phrase in name_phrases(text):
        stems = tuple(stem(corrections.get(w, w)) for w in phrase if w not in STOPWORDS)
        if len(stems) >= WEIGHTS.phrase_min_words and " ".join(stems) not in {" ".join(f) for f in forms}:
            phrases[PHRASE + " ".join(stems)] = stems
            weights[PHRASE + " ".join(stems)] = PHRASE_WEIGHT * vocab.idf(PHRASE)
    return Query(text, dense_text(text, corrections), tokens, weights, corrections, forms, phrases)


def dense_text(text: str, corrections: dict[str, str]) -> str:
    """The question for the encoder: corrected words, the movement's name spelled out in full."""
    out = _NAME_TEXT.sub(DENSE_NAME, text)
    if corrections:
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(corrections, key=len, reverse=True)))
                             + r")\b", re.IGNORECASE)
        out = pattern.sub(lambda m: corrections.get(m.group(0).lower(), m.group(0)), out)
    return out


def has_phrase(text: str, stems: tuple[str, ...]) -> bool:
    """Does ``text`` name the phrase: at least half of its neighbouring word pairs adjacent (stop words
    aside), so "Moscow's Theatre Square" matches "Moscow's central Theatre Square" but "World War II" does not
    match a text that mentions the world and a war?"""
    pairs = _token_pairs(text)
    wanted = list(zip(stems, stems[1:], strict=False))
    return sum(pair in pairs for pair in wanted) >= WEIGHTS.phrase_pairs * len(wanted)


@lru_cache(maxsize=4096)
def _token_pairs(text: str) -> frozenset[tuple[str, str]]:
    tokens = keyword_tokens(text)
    return frozenset(zip(tokens, tokens[1:], strict=False))

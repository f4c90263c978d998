"""Query analysis for real typing: folding, the movement's name variants, typo correction, token weights.

A question becomes (a) stemmed keyword tokens for BM25, misspelt words corrected against the corpus
vocabulary, (b) a weight per token — how much it tells about what is asked — and (c) a cleaned text for the
dense encoder (corrections applied, the movement's transliterated name spelled out). Nothing here is keyed to
particular articles: the vocabulary and frequencies come from the index, general English from ``lexicon``.
"""

from __future__ import annotations

import bisect
import math
import os
import re
from dataclasses import dataclass, field

from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import extract

from bot.calibration import RETRIEVAL, SPELLING, WEIGHTS
from bot.text.lexicon import everyday_typo, is_common, rarity, zipf
from bot.text.names import DENSE_NAME, NAME_FORMS, WORD, opens_sentence
from bot.text.normalize import STOPWORDS, clean_text, stem, words

# Words that say what kind of information is asked for, not what about ("how did X respond", "what is the
# situation"): weak evidence either way, whether or not the corpus happens to use them.
INTENT_WORDS = frozenset(stem(w) for w in """respond responds responded response responses react reacts reacted
    reaction reactions reply replied answer answered comment commented think thinks thought opinion opinions
    view views feel feels believe believes role impact effect effects consequence consequences result results
    reason reasons purpose situation status detail details information info example examples story stories news
    latest update updates describe explain summary overview background deal handle handled treat treated""".split())
INTENT_WEIGHT = WEIGHTS.intent
# A word the corpus never uses: a proper name ("Vietnam", "FIFA") says the question is about something else;
# a common word is as likely a paraphrase ("commanders" for "officials") and counts for less.
UNKNOWN_WEIGHT = WEIGHTS.unknown
_WORD = re.compile(rf"{WORD}|\d+")
_CONNECTORS = frozenset({"of", "and", "the", "de"})
# Stems one such ending apart are one word for coverage: "Russia" and "Russian", "serve" and "service" (stems
# "serv", "servic"), "know" and "known". Measured: more endings ("-al", "-er", "-ment") changed nothing.
FAMILY_ENDINGS = ("n", "an", "ian", "ic")
FAMILY_MIN_STEM = SPELLING.family_min_stem
PHRASE = "\x00phrase:"
PHRASE_WEIGHT = WEIGHTS.phrase  # a multi-word name the passage lacks: half the weight of a word the corpus never uses

NAME = "\x00name"
_NAME_TEXT = re.compile(r"\b(?:put|putj|pout)[\s'`\u2019\u02bc-]*(?:domoi|domoy|domoj)\b|путь\s+домой",
                        re.IGNORECASE)


@dataclass
class Vocabulary:
    """What the corpus knows: stem document frequencies and the surface words behind each stem."""

    df: dict[str, int]
    docs: int
    words: dict[str, str] = field(default_factory=dict)  # surface word -> stem

    def __post_init__(self) -> None:
        self._sorted = sorted(self.words)
        self._forms: dict[str, list[str]] = {}  # stem -> the corpus words behind it
        self._family: dict[str, tuple[str, ...]] = {}
        for surface, token in self.words.items():
            self._forms.setdefault(token, []).append(surface)

    def family(self, token: str) -> tuple[str, ...]:
        """Corpus stems one ``FAMILY_ENDINGS`` ending longer or shorter than ``token`` (cached)."""
        cache = self._family
        if token not in cache:
            longer = [token + end for end in FAMILY_ENDINGS]
            shorter = [token[: -len(end)] for end in FAMILY_ENDINGS if token.endswith(end)]
            cache[token] = tuple(t for t in [*longer, *shorter]
                                 if t != token and len(t) >= FAMILY_MIN_STEM and t in self.df) \
                if len(token) >= FAMILY_MIN_STEM else ()
        return cache[token]

    def prefixed(self, prefix: str) -> list[str]:
        """Corpus words starting with ``prefix``."""
        start = bisect.bisect_left(self._sorted, prefix)
        end = bisect.bisect_left(self._sorted, prefix + "\uffff")
        return self._sorted[start:end]

    def idf(self, token: str) -> float:
        """BM25-style idf; a token the corpus never uses gets the highest value."""
        n = self.df.get(token, 0)
        smooth = RETRIEVAL.idf_smoothing
        return math.log(1.0 + (self.docs - n + smooth) / (n + smooth))

    def rarity(self, token: str, word: str) -> float:
        """English rarity of a question word, as its most common form: "Russians" weighs as "Russian" and
        "mobilised" as "mobilization", whichever inflection or spelling the question happened to use."""
        return min([rarity(word), *(rarity(form) for form in self._forms.get(token, ()))])

    def weight(self, token: str, word: str, named: bool = False) -> float:
        """How telling a query word is: rare in the corpus (idf) and rare in English (rarity of its most
        common form, squared); words of intent ("respond", "situation") count little, and so do common words
        the corpus lacks."""
        weight = self.idf(token) * self.rarity(token, word) ** WEIGHTS.rarity_power
        if token in INTENT_WORDS:
            return weight * INTENT_WEIGHT
        return weight if token in self.df or named else weight * UNKNOWN_WEIGHT


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


def max_edits(word: str) -> int:
    """Edits allowed when correcting a word: none for short words, one up to 7 letters, two above."""
    return 0 if len(word) < SPELLING.min_word else 1 if len(word) < SPELLING.one_edit_below else SPELLING.max_edits


def correct(word: str, vocab: Vocabulary) -> str | None:
    """The corpus word a question word not in the corpus stands for: a misspelling (Damerau-Levenshtein, same
    first letter, most frequent on ties) unless it is a real English word, else a close relative sharing a
    long prefix ("withdrawn" → "withdraw"). None when there is neither."""
    if not vocab.words or len(word) < SPELLING.min_word:
        return None
    return relative(word, vocab) if is_common(word) else misspelt(word, vocab) or relative(word, vocab)


def respell(word: str, vocab: Vocabulary) -> str | None:
    """What a question word the corpus does not know stands for: its corpus word (``correct``), unless it
    misspells an everyday English word at least ten times as frequent ("realy" is "really", not the corpus's
    "reply"; "movment" stays "movement", not "moment")."""
    fixed = correct(word, vocab)
    everyday = everyday_typo(word)
    if everyday and everyday not in vocab.words and (fixed is None or zipf(everyday) >= zipf(fixed) + SPELLING.everyday_zipf_margin):
        return everyday
    return fixed


def misspelt(word: str, vocab: Vocabulary) -> str | None:
    """The corpus word ``word`` is a misspelling of, if any."""
    limit = max_edits(word)
    near = extract(word, vocab.words.keys(), scorer=DamerauLevenshtein.distance, score_cutoff=limit,
                   limit=SPELLING.candidates)
    found = [(w, d) for w, d, _ in near if w[0] == word[0]]
    if not found:
        return None
    return min(found, key=lambda wd: (wd[1], -vocab.df.get(vocab.words[wd[0]], 0), wd[0]))[0]


def relative(word: str, vocab: Vocabulary) -> str | None:
    """A corpus word sharing a prefix of at least 6 letters and 80% of the shorter word (the longest such)."""
    if len(word) < SPELLING.relative_prefix:
        return None
    best, best_len = None, 0
    for candidate in vocab.prefixed(word[:SPELLING.relative_prefix]):
        shared = len(os.path.commonprefix([word, candidate]))
        if shared >= SPELLING.relative_share * min(len(word), len(candidate)) and shared > best_len:
            best, best_len = candidate, shared
    return best


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
    tokens: list[str] = []
    corrections: dict[str, str] = {}
    weights: dict[str, float] = {}
    for word in rest:
        if word in STOPWORDS:
            continue
        token = stem(word)
        if token not in vocab.df and not word.isdigit():
            fixed = respell(word, vocab)
            if fixed:
                corrections[word] = fixed
                word, token = fixed, vocab.words.get(fixed) or stem(fixed)
                if word in STOPWORDS:
                    continue
        tokens.append(token)
        weights.setdefault(token, vocab.weight(token, word, named=word in names))
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

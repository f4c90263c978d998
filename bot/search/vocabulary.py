"""What the corpus knows, for query analysis: stem document frequencies, the surface words behind each stem,
word families, and how telling a question word is (``Vocabulary.weight``).

Takes the keyword index's term statistics and the index's ``Lexicon`` (general-English word frequencies);
gives idf, rarity and weights.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field

from bot.calibration import RETRIEVAL, SPELLING, WEIGHTS
from bot.text.lexicon import Lexicon
from bot.text.normalize import stem, translit_key

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
# Stems one such ending apart are one word for coverage: "Russia" and "Russian", "serve" and "service" (stems
# "serv", "servic"), "know" and "known". Measured: more endings ("-al", "-er", "-ment") changed nothing.
FAMILY_ENDINGS = ("n", "an", "ian", "ic")
FAMILY_MIN_STEM = SPELLING.family_min_stem


@dataclass
class Vocabulary:
    """What the corpus knows: stem document frequencies and the surface words behind each stem."""

    df: dict[str, int]
    docs: int
    words: dict[str, str] = field(default_factory=dict)  # surface word -> stem
    lexicon: Lexicon = field(kw_only=True)  # how common words are in general English (stored with the index)

    def __post_init__(self) -> None:
        self._sorted = sorted(self.words)
        self._forms: dict[str, list[str]] = {}  # stem -> the corpus words behind it
        self._family: dict[str, tuple[str, ...]] = {}
        self._keys: dict[str, list[str]] | None = None  # translit_key -> corpus words (built on first use)
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

    def transliterations(self, key: str) -> list[str]:
        """Corpus words whose ``translit_key`` is ``key``."""
        if self._keys is None:
            keys: dict[str, list[str]] = {}
            for surface in self._sorted:
                keys.setdefault(translit_key(surface), []).append(surface)
            self._keys = keys
        return self._keys.get(key, [])

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

    def rarity(self, token: str, word: str, russian: bool = False) -> float:
        """English rarity of a question word, as its most common form: "Russians" weighs as "Russian" and
        "mobilised" as "mobilization", whichever inflection or spelling the question happened to use. A word
        written in Cyrillic (``russian``) is as rare as it is in Russian: «что», «было» and «на» are everyday
        words, not unknown ones."""
        if russian:
            return self.lexicon.russian_rarity(word)
        rarity = self.lexicon.rarity
        return min([rarity(word), *(rarity(form) for form in self._forms.get(token, ()))])

    def weight(self, token: str, word: str, named: bool = False, russian: bool = False) -> float:
        """How telling a query word is: rare in the corpus (idf) and rare in English (rarity of its most
        common form, squared); words of intent ("respond", "situation") count little, and so do common words
        the corpus lacks; a Russian word's rarity is its rarity in Russian (``russian``)."""
        weight = self.idf(token) * self.rarity(token, word, russian) ** WEIGHTS.rarity_power
        if token in INTENT_WORDS:
            return weight * INTENT_WEIGHT
        return weight if token in self.df or named else weight * UNKNOWN_WEIGHT

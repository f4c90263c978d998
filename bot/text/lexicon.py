"""How common a word is in general English (wordfreq's Zipf scale: 0 = unknown/rare, 7 = "the").

Used for two query decisions that the corpus alone cannot make: whether an unknown word is a real English
word (then it is not "corrected" into a corpus word) and how much a word the corpus lacks says about the
question (a rare word like "lasagna" weighs more than a common one like "happen").

The figures are wordfreq's (English, "small" list), but the query path does not import wordfreq: importing it
and its regex tokenizer cost 0.2-0.6 s of every cold ``wayhome ask``. ``index build`` writes wordfreq's list
with the index instead (``lexicon.json``, see ``Lexicon.from_wordfreq``): every word of it made of ``[a-z0-9]``
by frequency band (28,000 words, 0.3 MB, loaded in 5 ms), and the everyday words typos are checked against.
``Table.zipf`` reproduces ``wordfreq.zipf_frequency`` for such words — the folded words a query is made of —
step by step (band lookup, digit-sequence estimates, rounding), and ``tests/text/test_lexicon.py`` checks it
is the same number. Any other word, or an index built before the table existed, is still asked of wordfreq.

A ``Lexicon`` is loaded with each index (``IndexData.lexicon``) and handed to what needs word rarity (the
search ``Vocabulary`` and spelling); there is no process-wide table.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from bot.calibration import WEIGHTS
from bot.text.normalize import fold

log = logging.getLogger(__name__)

COMMON = WEIGHTS.common_zipf  # Zipf frequency from which a word counts as a real English word (about 1 per million words)
EVERYDAY = WEIGHTS.everyday_zipf  # …and from which it is an everyday word a typo most likely stands for (about 7,000 words)
LANG, WORDLIST = "en", "small"
RUSSIAN = "ru"
TABLE_FILE = "lexicon.json"  # in an index build folder
RUSSIAN_FILE = "lexicon_ru.json"  # wordfreq's Russian list by folded word, beside it
TABLE_FORMAT = 1
_PLAIN = re.compile(r"[a-z0-9]+")  # words the table answers for: one wordfreq token each
_DIGITS = re.compile(r"[0-9]{2,}")  # wordfreq's digit sequence ``\d[\d.,]+`` within a plain word
# wordfreq.numbers: leading-digit frequencies and the year curve that estimate a digit sequence's frequency
DIGIT_FREQS = (0.009, 0.300, 0.175, 0.124, 0.096, 0.078, 0.066, 0.057, 0.050, 0.045)
YEAR_LOG_PEAK, NOT_YEAR_PROB, REFERENCE_YEAR, PLATEAU_WIDTH = -1.9185, 0.1, 2019, 20

def _benford_freq(text: str) -> float:
    return DIGIT_FREQS[int(text[0])] / 10 ** (len(text) - 1)


def _year_freq(text: str) -> float:
    year = int(text)
    if year <= REFERENCE_YEAR:
        year_log_freq = YEAR_LOG_PEAK - 0.0083 * (REFERENCE_YEAR - year)
    elif REFERENCE_YEAR < year <= REFERENCE_YEAR + PLATEAU_WIDTH:
        year_log_freq = YEAR_LOG_PEAK
    else:
        year_log_freq = YEAR_LOG_PEAK - 0.2 * (year - (REFERENCE_YEAR + PLATEAU_WIDTH))
    return 10.0**year_log_freq + NOT_YEAR_PROB * _benford_freq(text)


def _digit_freq(word: str) -> float:
    """wordfreq's estimate for the digit sequences of ``word`` (a year curve for 4 digits, Benford else)."""
    freq = 1.0
    for digits in _DIGITS.findall(word):
        freq *= _year_freq(digits) if len(digits) == 4 else _benford_freq(digits)
    return freq


class Table:
    """wordfreq's English list as stored with the index: words by band (band i = frequency 10 ** (-i/100))."""

    def __init__(self, bands: list[list[str]], everyday: list[str], source: str = "") -> None:
        self.bands = bands
        self.band = {word: index for index, words in enumerate(bands) for word in words}
        self.everyday = tuple(everyday)
        self.source = source

    @classmethod
    def read(cls, path: Path) -> Table:
        """The table in ``path`` (``to_json``'s JSON); ValueError when it is not one."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != TABLE_FORMAT:
            raise ValueError(f"{path}: not a format-{TABLE_FORMAT} lexicon table")
        return cls(data["bands"], data["everyday"], str(data.get("source", "")))

    def to_json(self) -> dict[str, Any]:
        """The table as ``read`` reads it (written with the index as ``TABLE_FILE``)."""
        return {"format": TABLE_FORMAT, "source": self.source, "bands": self.bands, "everyday": list(self.everyday)}

    @staticmethod
    def covers(word: str) -> bool:
        """Plain folded words (``[a-z0-9]+``): wordfreq reads each as one token, unchanged."""
        return _PLAIN.fullmatch(word) is not None

    def zipf(self, word: str) -> float:
        """``wordfreq.zipf_frequency(word, "en", wordlist="small")`` for a word the table ``covers``: the
        same steps (wordfreq 3.x ``_word_frequency`` for one token), so the same float."""
        minimum = 10**0.0 / 1e9  # zipf_to_freq(0.0): the frequency of an unknown word
        smashed = _DIGITS.sub(lambda m: "0" * len(m.group(0)), word)
        band = self.band.get(smashed)
        if band is None:
            freq = minimum
        else:
            freq = 10 ** (-band / 100)
            if smashed != word:
                freq *= _digit_freq(word)
            freq = 1.0 / (0.0 + 1.0 / freq)
            unrounded = max(freq, minimum)
            freq = round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)
        return round(math.log(freq, 10) + 9, 2)


class Lexicon:
    """How common words are in general English: from the table stored with an index when it has one (read on
    the first lookup), else from wordfreq itself — the same figures either way. ``Lexicon()`` asks wordfreq."""

    def __init__(self, path: Path | None = None, table: Table | None = None, russian_path: Path | None = None,
                 russian: Table | None = None) -> None:
        self.path = path  # a ``TABLE_FILE`` to read on the first lookup
        self._given = table
        self.russian_path = russian_path  # a ``RUSSIAN_FILE`` to read on the first Russian word
        self._given_russian = russian
        self.zipf: Callable[[str], float] = lru_cache(maxsize=65536)(self._zipf)
        self.everyday_typo: Callable[[str], str | None] = lru_cache(maxsize=4096)(self._everyday_typo)

    @classmethod
    def stored_in(cls, directory: Path) -> Lexicon:
        """The lexicon of index build folder ``directory`` (wordfreq's own when it has no table: older builds)."""
        path, russian = directory / TABLE_FILE, directory / RUSSIAN_FILE
        return cls(path if path.is_file() else None, russian_path=russian if russian.is_file() else None)

    @classmethod
    def from_wordfreq(cls) -> Lexicon:
        """wordfreq's English list as a table (for ``index build`` to store); without wordfreq, no table."""
        try:
            import wordfreq
        except ImportError:  # pragma: no cover - see _lookup
            return cls()
        from importlib.metadata import version

        bands = [[w for w in words if _PLAIN.fullmatch(w)] for words in wordfreq.get_frequency_list(LANG, WORDLIST)]
        source = f"wordfreq {version('wordfreq')} {{}} {WORDLIST}"
        return cls(table=Table(bands, list(_wordfreq_everyday()), source.format(LANG)),
                   russian=_folded_table(wordfreq.get_frequency_list(RUSSIAN, WORDLIST), source.format(RUSSIAN)))

    @cached_property
    def table(self) -> Table | None:
        """The table, read once; None when there is none or it cannot be read (wordfreq answers instead)."""
        if self._given is not None or self.path is None:
            return self._given
        try:
            return Table.read(self.path)
        except (OSError, ValueError, KeyError, TypeError) as exc:  # unreadable: wordfreq still knows the answer
            log.warning("cannot read the word-frequency table (%s); asking wordfreq instead", exc)
            return None

    @cached_property
    def russian(self) -> Table | None:
        """wordfreq's Russian list by folded word, read once: from the index, else (an index built before it was
        stored) from wordfreq; None without either."""
        if self._given_russian is not None:
            return self._given_russian
        if self.russian_path is not None:
            try:
                return Table.read(self.russian_path)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("cannot read the Russian word-frequency table (%s); asking wordfreq instead", exc)
        try:
            import wordfreq
        except ImportError:  # pragma: no cover - see _lookup
            return None
        return _folded_table(wordfreq.get_frequency_list(RUSSIAN, WORDLIST), RUSSIAN)

    def russian_rarity(self, word: str) -> float:
        """``rarity`` of a Russian word (folded: «было» is "bylo") by its frequency in Russian: «что», «было»,
        «на» weigh like "what", "was", "on", not like the unknown words they are in English."""
        table = self.russian
        if table is None:
            return self.rarity(word)
        return _rarity(table.zipf(word) if table.covers(word) else 0.0)

    def _zipf(self, word: str) -> float:
        """Zipf frequency of ``word`` in English; 0.0 when unknown (or when wordfreq is unavailable)."""
        table = self.table
        if table is not None and table.covers(word):
            return table.zipf(word)
        lookup = _lookup()
        return lookup(word) if lookup else 0.0

    def is_common(self, word: str) -> bool:
        """A real, reasonably frequent English word."""
        return self.zipf(word) >= COMMON

    def rarity(self, word: str) -> float:
        """From 1.0 (rare or unknown) down to 0.2 (very common): how telling a word is when the corpus lacks it."""
        return _rarity(self.zipf(word))

    @cached_property
    def everyday_words(self) -> tuple[str, ...]:
        """The everyday English words, most frequent first (loaded on the first typo that needs them)."""
        table = self.table
        return table.everyday if table is not None else _wordfreq_everyday()

    @cached_property
    def _everyday_by_letter(self) -> dict[str, tuple[str, ...]]:
        """The everyday words by first letter, each group most frequent first."""
        groups: dict[str, list[str]] = {}
        for word in self.everyday_words:
            groups.setdefault(word[0], []).append(word)
        return {letter: tuple(group) for letter, group in groups.items()}

    def _everyday_typo(self, word: str) -> str | None:
        """The everyday English word that ``word`` (not itself an English word) misspells by one edit, with the
        same first letter — the most frequent one: "realy" → "really", "becuase" → "because"; None if there is
        none. (Only words of the same first letter and a length at most one apart can be one edit away.)"""
        if len(word) < 4 or self.is_common(word):
            return None
        from rapidfuzz.distance import DamerauLevenshtein

        size = len(word)
        for candidate in self._everyday_by_letter.get(word[0], ()):  # most frequent first
            if abs(len(candidate) - size) <= 1 and DamerauLevenshtein.distance(word, candidate, score_cutoff=1) <= 1:
                return candidate
        return None


def _rarity(zipf: float) -> float:
    return min(1.0, max(WEIGHTS.rarity_floor, (WEIGHTS.rarity_top_zipf - zipf) / WEIGHTS.rarity_span))


def _folded_table(bands: list[list[str]], source: str) -> Table:
    """A frequency list's words folded to the letters the keyword index uses (``fold``: «было» is "bylo"), each
    key in the band of its most frequent word."""
    seen: set[str] = set()
    folded: list[list[str]] = []
    for words in bands:
        keys = [key for key in dict.fromkeys(fold(w) for w in words) if _PLAIN.fullmatch(key) and key not in seen]
        seen.update(keys)
        folded.append(keys)
    return Table(folded, [], source)


@lru_cache(maxsize=1)
def _lookup():  # type: ignore[no-untyped-def]
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency; degrade rather than fail
        log.warning("wordfreq is not installed: every unknown word is treated as rare")
        return None

    return lambda word: float(zipf_frequency(word, LANG, wordlist=WORDLIST))


@lru_cache(maxsize=1)
def _wordfreq_everyday() -> tuple[str, ...]:
    """The everyday English words from wordfreq itself, most frequent first."""
    try:
        from wordfreq import top_n_list
    except ImportError:  # pragma: no cover - see _lookup
        return ()
    lookup = _lookup()
    return tuple(w for w in top_n_list(LANG, 10000, wordlist=WORDLIST) if w.isalpha() and lookup(w) >= EVERYDAY)

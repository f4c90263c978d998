"""Spelling: which corpus word a question word the corpus does not know stands for (a misspelling or a close
relative), unless it is a real English word or misspells an everyday one.

Takes a folded question word and the corpus ``Vocabulary`` (with the index's ``Lexicon``); gives the corrected
word or None. Limits are ``bot.calibration.SPELLING``.
"""

from __future__ import annotations

import os

from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import extract

from bot.calibration import SPELLING
from bot.search.vocabulary import Vocabulary
from bot.text.normalize import translit_key


def max_edits(word: str) -> int:
    """Edits allowed when correcting a word: none for short words, one up to 7 letters, two above."""
    return 0 if len(word) < SPELLING.min_word else 1 if len(word) < SPELLING.one_edit_below else SPELLING.max_edits


def correct(word: str, vocab: Vocabulary) -> str | None:
    """The corpus word a question word not in the corpus stands for: a misspelling (Damerau-Levenshtein, same
    first letter, most frequent on ties) unless it is a real English word, else a close relative sharing a
    long prefix ("withdrawn" → "withdraw"). None when there is neither."""
    if not vocab.words or len(word) < SPELLING.min_word:
        return None
    return relative(word, vocab) if vocab.lexicon.is_common(word) else misspelt(word, vocab) or relative(word, vocab)


def respell(word: str, vocab: Vocabulary) -> str | None:
    """What a question word the corpus does not know stands for: its corpus word (``correct``), unless it
    misspells an everyday English word at least ten times as frequent ("realy" is "really", not the corpus's
    "reply"; "movment" stays "movement", not "moment"). A word that is not common English and is another
    transliteration of a corpus word is that word ("yaga" is «яга», folded "iaga", not "yoga")."""
    if not vocab.lexicon.is_common(word) and (same := transliterated(word, vocab)):
        return same
    fixed = correct(word, vocab)
    lexicon = vocab.lexicon
    everyday = lexicon.everyday_typo(word)
    if everyday and everyday not in vocab.words and \
            (fixed is None or lexicon.zipf(everyday) >= lexicon.zipf(fixed) + SPELLING.everyday_zipf_margin):
        return everyday
    return fixed


def transliterated(word: str, vocab: Vocabulary) -> str | None:
    """The corpus word ``word`` writes in another transliteration ("Nizhneozyorsk" and «Нижнеозёрск», folded
    "nizhneoziorsk"; ``translit_key``), the most frequent of them; None for short words."""
    if len(word) < SPELLING.min_word:
        return None
    found = [w for w in vocab.transliterations(translit_key(word)) if w != word]
    return max(found, key=lambda w: (vocab.df.get(vocab.words[w], 0), w)) if found else None


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

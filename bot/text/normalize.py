"""Text normalisation shared by keyword indexing and queries: case, apostrophes, scripts, numbers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

from bot.text.safe import repair_surrogates

_APOSTROPHES = re.compile(r"['\u2019\u02bc\u2018`\u00b4]")
_THOUSANDS = re.compile(r"(?<=\d)[,\u202f\u00a0 .](?=\d{3}\b)")
_TOKEN = re.compile(r"[a-z0-9]+")
_BRITISH = [(re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
            (re.compile(r"(?<=[a-z]{3})tre(s?)$"), r"ter\1"),
            (re.compile(r"(?<=[a-z]{3})our(s|ed|ing|ite|ites)?$"), r"or\1"),
            (re.compile(r"(?<=[a-z]{2})fence(s?)$"), r"fense\1")]
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

# Bump when ``words``/``keyword_tokens`` change: an index tokenised differently is re-tokenised on load.
TOKENIZER_VERSION = 3

# Spelling variants of the same names; keys and values are normalised tokens.
VARIANTS = {
    "domoy": "domoi",
    "domoj": "domoi",
    "domoi": "domoi",
    "pout": "put",
    "putj": "put",
}

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her
    here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself yourselves tell know
    say said please whats many much whos wheres whens hows whys isnt arent wasnt werent dont doesnt didnt
    cant wont hasnt havent happen happens happened happening occur occurs occurred mean means meant meaning
    thing things anything something someone anyone really actually exactly ever get gets got like also long""".split()
)


def clean_text(text: str) -> str:
    """Remove control, zero-width and bidi characters; replace unpaired surrogates."""
    return _INVISIBLE.sub("", repair_surrogates(text))


def fold(text: str) -> str:
    """Lower-case ASCII transliteration, apostrophes dropped, thousands separators removed."""
    text = unicodedata.normalize("NFKC", clean_text(text))
    text = _APOSTROPHES.sub("", text)
    text = unidecode(text).lower()
    text = _APOSTROPHES.sub("", text)
    return _THOUSANDS.sub("", text)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """English Snowball stem of one folded word."""
    return str(_stemmer().stemWord(word))


_TRANSLIT_PAIRS = re.compile(r"kh|x|w|[yj][aoue]")
_TRANSLIT_PAIR = {"kh": "h", "x": "ks", "w": "v", "ya": "ia", "ja": "ia", "yo": "io", "jo": "io", "yu": "iu",
                  "ju": "iu", "ye": "e", "je": "e"}
_TRANSLIT_Y = re.compile(r"[yj]")
_TRANSLIT_II = re.compile(r"i{2,}")


def translit_key(word: str) -> str:
    """One key for the ways a Russian name is written in Latin letters: a folded word (``fold``: «Нижнеозёрск»
    is "nizhneoziorsk", «Достоевский» "dostoevskii") and the spellings of English-language media
    ("Nizhneozyorsk", "Dostoyevsky", "Yulia", "Mikhail"/"Mihail") meet: ya/yo/yu/ye as ia/io/iu/e, y and j as
    i, repeated i once, kh as h, x as ks, w as v."""
    word = _TRANSLIT_PAIRS.sub(lambda m: _TRANSLIT_PAIR[m.group(0)], word)
    return _TRANSLIT_II.sub("i", _TRANSLIT_Y.sub("i", word))


def spelling(word: str) -> str:
    """One spelling per word: name variants unified; British -ise/-isation, -tre, -our, -fence written the
    American way (applied to corpus and queries alike, so a rare false match is harmless)."""
    word = VARIANTS.get(word, word)
    if len(word) < 6:
        return word
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    return word


def words(text: str) -> list[str]:
    """Folded words with spelling variants unified (stop words kept)."""
    return [spelling(w) for w in _TOKEN.findall(fold(text))]


def keyword_tokens(text: str) -> list[str]:
    """Tokens for BM25: folded, stop words removed, stemmed."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]

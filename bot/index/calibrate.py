"""The multilingual space measured against the corpus itself, per (question language, passage language) pair.

Takes the multilingual query encoder, its passage vectors and each passage's language; gives, per pair, the
mean and spread of the cosines between the shipped *null questions* (unrelated questions written for this
purpose in each supported language, ``null_questions/<lang>.txt``, never an eval set) and that language's
passages, and where the null questions' best passages sit in standard units: ``line`` (a high quantile: a
question must beat nearly every unrelated one to be answered) and ``floor`` (a passage below the median null
question's best is not quoted).

Why: cosines of one model are comparable neither across language pairs (multilingual-e5-small scores a
Russian question higher against Russian passages than against English ones, whatever it asks) nor across
corpora. A standard score ``(cosine - mean) / std`` of the pair is: passages in both languages compete fairly
for a question in either, and a line measured on each corpus at build time travels with it.

The answer line and the quote floor are measured on cosines that first lose the question's own closeness to
generic text in the passage's language (``offsets``: the mean of its ``generic_top_k`` best cosines to the
shipped generic texts of that language), as cross-lingual retrieval corrects "hubs" (CSLS): a short, chatty
or garbled question ("Tell me a joke", "lorem ipsum") sits close to every passage of a language and would
pass a line its real neighbours do not. Measured in session 7
(development sets: XQuAD even articles, blind_xl/set1+set2 seen, the seed and Russian-fixture corpora): the
area under the on-topic/off-topic curve of the cross-language score rose from 0.94-0.97 to 0.98-0.99 on three
corpora of four (the seed corpus's Russian questions 0.929 to 0.926).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from bot.calibration import CROSS, RETRIEVAL
from bot.encoders.base import Encoder, encode_queries
from bot.index.manifest import ArticleEntry, PairLine

NULL_DIR = Path(__file__).with_name("null_questions")
BLOCK = 8192  # passages scored at a time (bounded memory on large corpora)
ENGLISH = "en"
MIN_STD = 1e-6
METHOD = "csls-2"  # how pairs are measured: a change recalibrates every index (``null_digest``)


def pair_key(question_language: str, passage_language: str) -> str:
    return f"{question_language}→{passage_language}"


def null_languages() -> tuple[str, ...]:
    """Languages with shipped null questions."""
    return tuple(sorted(p.stem for p in NULL_DIR.glob("*.txt")))


def null_questions(language: str) -> list[str]:
    """The null questions of ``language`` (none when it has no file)."""
    path = NULL_DIR / f"{language}.txt"
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def null_digest() -> str:
    """A short digest of every null question: a change recalibrates the index."""
    text = "\n".join([METHOD, f"{CROSS.line_quantile}:{CROSS.floor_quantile}:{RETRIEVAL.generic_top_k}"]
                     + [f"{lang}:{q}" for lang in null_languages() for q in null_questions(lang)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def chunk_languages(entries: Mapping[str, ArticleEntry] | None, count: int) -> np.ndarray:
    """Each chunk's language, from the articles' entries (English where unknown)."""
    out = np.full(count, ENGLISH, dtype=object)
    for entry in (entries or {}).values():
        lo, hi = entry.chunks
        out[lo:hi] = entry.language or ENGLISH
    return out


def closeness(questions: np.ndarray, texts: np.ndarray, top_k: int | None = None) -> np.ndarray:
    """Each question's (one vector per row) mean cosine to its ``top_k`` nearest ``texts``; zero without texts."""
    k = min(RETRIEVAL.generic_top_k if top_k is None else top_k, len(texts))
    if not k:
        return np.zeros(len(questions), np.float32)
    cosines = np.asarray(questions, np.float32) @ np.asarray(texts, np.float32).T
    return np.partition(cosines, cosines.shape[1] - k, axis=1)[:, -k:].mean(axis=1)


def offsets(questions: np.ndarray, generic: np.ndarray, generic_languages: np.ndarray,
            passage_languages: Iterable[str], top_k: int | None = None) -> dict[str, np.ndarray]:
    """Per passage language, each question's ``closeness`` to the generic texts of that language (to all of
    them where it has none). ``questions`` is one vector per row."""
    out: dict[str, np.ndarray] = {}
    for language in passage_languages:
        rows = np.flatnonzero(generic_languages == language) if len(generic_languages) == len(generic) \
            else np.zeros(0, np.int64)
        out[language] = closeness(questions, generic[rows] if len(rows) else generic, top_k)
    return out


def _moments(total: float, squares: float, count: int) -> tuple[float, float]:
    mean = total / count
    return mean, max(float(np.sqrt(max(squares / count - mean * mean, 0.0))), MIN_STD)


def _pair_stats(queries: np.ndarray, passages: np.ndarray,
                offset: np.ndarray) -> tuple[tuple[float, float], tuple[float, float], np.ndarray]:
    """Mean and spread of every query-passage cosine, the same less each query's ``offset``, and each query's
    best cosine less its offset — in one pass over the passages."""
    raw, less = [0.0, 0.0], [0.0, 0.0]
    count = 0
    best = np.full(len(queries), -np.inf, np.float32)
    for start in range(0, len(passages), BLOCK):
        cosines = queries @ np.asarray(passages[start : start + BLOCK], np.float32).T
        shifted = cosines - offset[:, None]
        for sums, values in ((raw, cosines), (less, shifted)):
            sums[0] += float(values.sum(dtype=np.float64))
            sums[1] += float(np.square(values, dtype=np.float64).sum())
        count += cosines.size
        best = np.maximum(best, shifted.max(axis=1))
    return _moments(raw[0], raw[1], count), _moments(less[0], less[1], count), best


def calibrate(encoder: Encoder, passages: np.ndarray, languages: np.ndarray, generic: np.ndarray,
              generic_languages: np.ndarray) -> dict[str, PairLine]:
    """Every (null-question language, passage language) pair of one space, keyed ``pair_key``; cosines less
    each null question's ``offsets`` (``generic`` with ``generic_languages``: the generic texts' vectors)."""
    out: dict[str, PairLine] = {}
    for language in null_languages():
        questions = null_questions(language)
        if not questions or not len(languages):
            continue
        vectors = np.asarray(encode_queries(encoder, questions), np.float32)
        near = offsets(vectors, generic, generic_languages, sorted(set(languages)))
        for passage_language in sorted(set(languages)):
            rows = np.flatnonzero(languages == passage_language)
            (mean, std), (near_mean, near_std), best = _pair_stats(vectors, np.asarray(passages)[rows],
                                                                   near[passage_language])
            standard = (best - near_mean) / near_std
            out[pair_key(language, passage_language)] = PairLine(
                round(mean, 6), round(std, 6), round(float(np.quantile(standard, CROSS.line_quantile)), 4),
                round(float(np.quantile(standard, CROSS.floor_quantile)), 4), len(questions),
                round(near_mean, 6), round(near_std, 6))
    return out


def pair_line(pairs: Mapping[str, PairLine], question_language: str, passage_language: str) -> PairLine | None:
    """The calibration of a pair; a question language without null questions (a Ukrainian or Bulgarian
    reading of a short Russian question) borrows the strictest one measured for the same passage language."""
    found = pairs.get(pair_key(question_language, passage_language))
    if found is not None:
        return found
    others = [line for key, line in pairs.items() if key.endswith("→" + passage_language)]
    return max(others, key=lambda line: line.line) if others else None

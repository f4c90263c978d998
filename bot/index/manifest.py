"""The index manifest (``manifest.json``): the one module that reads and writes it.

Takes the JSON object a build wrote (of any earlier version: a field it lacks or has in the wrong type reads as
unknown, so the staleness rules in ``staleness`` see an old index as stale and it is rebuilt); gives a frozen,
typed ``Manifest``. ``format_version`` is the index format (``FORMAT_VERSION``): an index of another format
is never loaded.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

FORMAT_VERSION = 1


@dataclass(frozen=True)
class ArticleEntry:
    """One indexed article: its content hash, its chunks' range [lo, hi) and its language."""

    hash: str
    chunks: tuple[int, int]
    language: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"hash": self.hash, "chunks": list(self.chunks), "language": self.language}


@dataclass(frozen=True)
class PairLine:
    """One (question language, passage language) pair of the multilingual space, measured at build against
    the null questions (``bot.index.calibrate``): their cosines' mean and spread, and where their best passages
    sit in standard units — ``line`` (answered above it) and ``floor`` (quoted above it)."""

    mean: float
    std: float
    line: float
    floor: float
    nulls: int
    near_mean: float  # the same null cosines less each question's closeness to generic text (``judged``)
    near_std: float

    def standard(self, cosine: float) -> float:
        """``cosine`` in standard units of this pair's null distribution (the ranking scale)."""
        return (cosine - self.mean) / self.std

    def judged(self, cosine: float, offset: float) -> float:
        """``cosine`` less the question's closeness to generic text in the passage's language (``offset``,
        ``bot.index.calibrate.offsets``), in standard units of the null questions' same scores: the scale of
        ``line`` and ``floor``."""
        return (cosine - offset - self.near_mean) / self.near_std

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Manifest:
    """What a build records: format, models and their export folders, chunker, per-article entries, counts.
    ``None`` means "not recorded" (an older build)."""

    format_version: int | None = FORMAT_VERSION
    model: str | None = None  # the main embedding model (settings.embedding_model)
    dim: int | None = None
    encoder_dir: str = ""  # the main model's ONNX export, relative to the index folder ("" for none)
    chunker: Mapping[str, Any] | None = None  # ChunkParams as a dict
    dense_index: str = ""
    model_max_tokens: int | None = None
    keyword_tokenizer: int | None = None
    article_reader: int | None = None
    built_at: str = ""
    article_count: int = 0
    chunk_count: int = 0
    background: tuple[str, ...] = ()  # the corpus's background names (``background``)
    articles: Mapping[str, ArticleEntry] | None = None  # None when missing or malformed (nothing reusable)
    skipped: Mapping[str, str] = field(default_factory=dict)  # unreadable files' fingerprints
    languages: tuple[str, ...] = ("en",)
    multilingual_model: str | None = None  # "" when the main model serves every language
    multilingual_encoder_dir: str = ""
    generic_texts: str | None = None  # the digest of the generic texts the multilingual model embedded
    pairs: Mapping[str, PairLine] | None = None  # multilingual space per "question→passage" language pair
    null_questions: str | None = None  # the digest of the null questions ``pairs`` were measured with
    generic_languages: tuple[str, ...] = ()  # each generic text's language, in file order (``offsets``)

    def replace(self, **changes: Any) -> Manifest:
        """A copy with ``changes`` (a manifest is never changed in place)."""
        return dataclasses.replace(self, **changes)

    def known_hashes(self) -> dict[str, str]:
        """Content hash of every article the build saw, indexed or skipped."""
        return {path: entry.hash for path, entry in (self.articles or {}).items()} | dict(self.skipped)

    def to_json(self) -> dict[str, Any]:
        """The JSON object ``manifest.json`` holds."""
        out: dict[str, Any] = {
            "format_version": self.format_version, "model": self.model, "dim": self.dim,
            "encoder_dir": self.encoder_dir, "chunker": dict(self.chunker or {}), "dense_index": self.dense_index,
            "model_max_tokens": self.model_max_tokens, "keyword_tokenizer": self.keyword_tokenizer,
            "article_reader": self.article_reader, "built_at": self.built_at,
            "counts": {"articles": self.article_count, "chunks": self.chunk_count},
            "background": list(self.background),
            "articles": {path: entry.to_json() for path, entry in (self.articles or {}).items()},
            "skipped": dict(self.skipped), "languages": list(self.languages),
            "multilingual_model": self.multilingual_model or "",
        }
        if self.multilingual_model:
            out["multilingual_encoder_dir"], out["generic_texts"] = self.multilingual_encoder_dir, self.generic_texts
            if self.pairs is not None:
                out["pairs"] = {key: line.to_json() for key, line in self.pairs.items()}
                out["null_questions"] = self.null_questions
                out["generic_languages"] = list(self.generic_languages)
        return out


def _typed(value: Any, kind: type | tuple[type, ...]) -> Any:
    """``value`` when it is of ``kind`` (bool is not an int here), else None."""
    if isinstance(value, bool) and kind is not bool:
        return None
    return value if isinstance(value, kind) else None


def _entry(value: Any) -> ArticleEntry | None:
    if not isinstance(value, dict):
        return None
    span, digest = value.get("chunks"), value.get("hash")
    if not (isinstance(span, list) and len(span) == 2 and all(_typed(v, int) is not None for v in span)
            and isinstance(digest, str)):
        return None
    return ArticleEntry(digest, (span[0], span[1]), str(value.get("language") or ""))


def _articles(value: Any) -> Mapping[str, ArticleEntry] | None:
    if not isinstance(value, dict):
        return None
    entries = {str(path): _entry(entry) for path, entry in value.items()}
    if any(entry is None for entry in entries.values()):
        return None
    return MappingProxyType({path: entry for path, entry in entries.items() if entry is not None})


def _pairs(value: Any) -> Mapping[str, PairLine] | None:
    """The calibrated pairs, or None when missing or malformed (an older build: recalibrated)."""
    if not isinstance(value, dict):
        return None
    try:
        pairs = {str(key): PairLine(float(line["mean"]), float(line["std"]), float(line["line"]),
                                    float(line["floor"]), int(line["nulls"]), float(line["near_mean"]),
                                    float(line["near_std"])) for key, line in value.items()}
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    if any(line.std <= 0 or line.near_std <= 0 for line in pairs.values()):
        return None
    return MappingProxyType(pairs)


def from_json(raw: dict[str, Any]) -> Manifest:
    """A manifest from its JSON object; fields of an older (or damaged) build read as unknown."""
    counts = raw.get("counts")
    counts = counts if isinstance(counts, dict) else {}
    chunker, skipped = raw.get("chunker"), raw.get("skipped")
    return Manifest(
        format_version=_typed(raw.get("format_version"), int), model=_typed(raw.get("model"), str),
        dim=_typed(raw.get("dim"), int), encoder_dir=str(raw.get("encoder_dir") or ""),
        chunker=MappingProxyType(dict(chunker)) if isinstance(chunker, dict) else None,
        dense_index=str(raw.get("dense_index") or ""), model_max_tokens=_typed(raw.get("model_max_tokens"), int),
        keyword_tokenizer=_typed(raw.get("keyword_tokenizer"), int),
        article_reader=_typed(raw.get("article_reader"), int), built_at=str(raw.get("built_at") or ""),
        article_count=_typed(counts.get("articles"), int) or 0, chunk_count=_typed(counts.get("chunks"), int) or 0,
        background=tuple(str(t) for t in raw.get("background") or ()), articles=_articles(raw.get("articles")),
        skipped=MappingProxyType({str(k): str(v) for k, v in skipped.items()}) if isinstance(skipped, dict) else {},
        languages=tuple(str(code) for code in raw.get("languages") or ["en"]),
        multilingual_model=_typed(raw.get("multilingual_model"), str),
        multilingual_encoder_dir=str(raw.get("multilingual_encoder_dir") or ""),
        generic_texts=_typed(raw.get("generic_texts"), str), pairs=_pairs(raw.get("pairs")),
        null_questions=_typed(raw.get("null_questions"), str),
        generic_languages=tuple(str(code) for code in _typed(raw.get("generic_languages"), list) or ()),
    )


def same_encoders(one: Manifest, other: Manifest) -> bool:
    """Whether two builds were embedded by the same query encoders (a reload can keep the loaded ones)."""
    return (one.model, one.encoder_dir, one.dim, one.multilingual_model, one.multilingual_encoder_dir) == \
        (other.model, other.encoder_dir, other.dim, other.multilingual_model, other.multilingual_encoder_dir)


def read(path: Path) -> Manifest | None:
    """The manifest in file ``path``, or None when it is missing, unreadable or not a JSON object."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return from_json(raw) if isinstance(raw, dict) else None

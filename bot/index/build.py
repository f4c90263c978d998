"""``wayhome index build``: corpus → chunks → embeddings → FAISS + BM25, incremental and atomic."""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from bot.encoders.base import Encoder
from bot.encoders.factory import is_bundled, load_query_encoder
from bot.errors import BuildLockedError, IndexUnavailable
from bot.index import dense
from bot.index import store as index_store
from bot.index.background import background_names
from bot.index.bm25 import KeywordIndex
from bot.index.calibrate import calibrate, chunk_languages, null_digest
from bot.index.manifest import ArticleEntry, Manifest
from bot.index.multilingual import (
    embed_generic,
    embed_multilingual,
    generic_digest,
    generic_languages,
    multilingual_encoder,
    multilingual_model,
    same_encoder,
)
from bot.index.staleness import chunk_params, vector_mismatches
from bot.index.words import embed_words
from bot.ingest.chunking import ChunkParams, chunk_article, embedding_text
from bot.ingest.corpus import READER_VERSION, load_corpus
from bot.models import Article, Chunk
from bot.settings import Settings
from bot.text.language import CYRILLIC_LANGUAGES, detect_language
from bot.text.lexicon import Lexicon
from bot.text.normalize import TOKENIZER_VERSION

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What a build did, for the one-line summary."""

    articles: int = 0
    embedded: int = 0
    reused: int = 0
    removed: int = 0
    chunks: int = 0
    warnings: list[str] = field(default_factory=list)
    directory: Path | None = None

    def summary(self) -> str:
        return (f"{self.articles} articles: {self.embedded} embedded, {self.reused} reused, "
                f"{self.removed} removed ({self.chunks} chunks)")


@contextmanager
def build_lock(index_dir: Path, wait: bool = True) -> Iterator[None]:
    """Serialise builds with a lock file; ``wait=False`` fails at once when another build runs."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / ".lock", "a")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise IndexUnavailable(f"{index_dir}: cannot write to the index folder ({exc.strerror})") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise BuildLockedError(f"{index_dir}: another `wayhome index build` is running; try again when "
                                   "it has finished") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_encoder(settings: Settings, index_dir: Path) -> tuple[Encoder, str]:
    """The encoder for this build and its folder relative to the index (exported once per model)."""
    model = settings.embedding_model
    if is_bundled(model):
        return load_query_encoder(model, None), ""
    from bot.encoders.export import encoder_slug, export_onnx
    from bot.encoders.onnx_encoder import OnnxEncoder

    rel = f"encoders/{encoder_slug(model)}"
    export_onnx(model, index_dir / rel)
    return OnnxEncoder(index_dir / rel, threads=os.cpu_count() or 1), rel


def _previous(index_dir: Path, model: str, params: ChunkParams) -> index_store.IndexData | None:
    """The live index when its vectors can be reused (same format, model, chunker and article reader)."""
    manifest = index_store.read_manifest(index_dir)
    if not manifest or vector_mismatches(manifest, model, params):
        return None
    try:
        previous = index_store.load(index_dir)
    except Exception as exc:  # a corrupt previous index is rebuilt from scratch
        log.warning("previous index not reusable: %s", exc)
        return None
    return previous if _reusable_entries(previous.manifest, len(previous.chunks)) else None


def _reusable_entries(manifest: Manifest, total: int) -> bool:
    """Every manifest entry names a hash and a chunk range inside the stored chunks."""
    if manifest.articles is None:
        return False
    return all(0 <= entry.chunks[0] <= entry.chunks[1] <= total for entry in manifest.articles.values())


def _progress(total: int, desc: str = "embedding", unit: str = "chunk") -> Any:
    """A tqdm bar on a terminal; disabled in pipes and CI."""
    from tqdm import tqdm

    quiet = not sys.stderr.isatty() or bool(os.environ.get("CI"))
    return tqdm(total=total, desc=desc, unit=unit, disable=quiet, file=sys.stderr)


def _embed(encoder: Encoder, chunks: list[Chunk]) -> np.ndarray:
    out = np.zeros((len(chunks), encoder.dim), dtype=np.float32)
    with _progress(len(chunks)) as bar:
        for start in range(0, len(chunks), 256):
            batch = chunks[start : start + 256]
            out[start : start + len(batch)] = encoder.encode([embedding_text(c) for c in batch])
            bar.update(len(batch))
    return out


def _article_chunks(article: Article, params: ChunkParams, encoders: tuple[Encoder, Encoder | None],
                    previous: index_store.IndexData | None) -> tuple[list[Chunk], np.ndarray | None, str]:
    """The article's chunks, with the previous index's vectors when it is unchanged (else None), and its
    language. An article not in English is cut by the multilingual model's token counts (the one that reads
    it), in sentences split by its language's rules."""
    old = (previous.manifest.articles or {}).get(article.source.path) if previous is not None else None
    if previous is not None and old and old.hash == article.content_hash and old.language:
        lo, hi = old.chunks
        return previous.chunks[lo:hi], np.asarray(previous.vectors[lo:hi]), old.language
    language = detect_language(article.body[:2000])
    main, multilingual = encoders
    count = multilingual.count_tokens if multilingual is not None and language != "en" else main.count_tokens
    return chunk_article(article, params, count, language), None, language


def _assemble(articles: list[Article], params: ChunkParams, encoders: tuple[Encoder, Encoder | None],
              previous: index_store.IndexData | None,
              report: BuildReport) -> tuple[list[Chunk], np.ndarray, dict[str, ArticleEntry]]:
    """Chunks and main-model vectors for every article, reusing the previous index's for unchanged ones. With a
    multilingual model, a passage in a Cyrillic-script language gets a zero main-model vector: the English model
    cannot read it (an English question's Russian passage is judged and ranked by its pair's line and standard
    score, from the multilingual vectors), and embedding Russian with it cost more than the multilingual model
    itself (Cyrillic is cut into many word pieces). A Latin-script language, perhaps English misdetected,
    keeps its vector."""
    chunks: list[Chunk] = []
    vectors: list[np.ndarray] = []
    fresh: list[tuple[int, int]] = []
    entries: dict[str, ArticleEntry] = {}
    encoder = encoders[0]
    with _progress(len(articles), "chunking", "article") as bar:
        for article in articles:
            start = len(chunks)
            new, reused, language = _article_chunks(article, params, encoders, previous)
            chunks.extend(new)
            if reused is None:
                vectors.append(np.zeros((len(new), encoder.dim), dtype=np.float32))
                if language not in CYRILLIC_LANGUAGES or encoders[1] is None:
                    fresh.append((start, len(chunks)))
                report.embedded += 1
            else:
                vectors.append(reused)
                report.reused += 1
            entries[article.source.path] = ArticleEntry(article.content_hash, (start, len(chunks)), language)
            bar.update(1)
    matrix = np.concatenate(vectors) if vectors else np.zeros((0, encoder.dim), dtype=np.float32)
    todo = [c for lo, hi in fresh for c in chunks[lo:hi]]
    if todo:
        embedded = _embed(encoder, todo)
        row = 0
        for lo, hi in fresh:
            matrix[lo:hi] = embedded[row : row + hi - lo]
            row += hi - lo
    return chunks, matrix, entries


def _old_articles(index_dir: Path) -> set[str]:
    """Paths of the articles in the live index (for the "removed" count), empty when there is none."""
    manifest = index_store.read_manifest(index_dir)
    return set(manifest.articles or {}) if manifest is not None else set()


def _manifest(settings: Settings, encoder: Encoder, encoder_rel: str, params: ChunkParams,
              entries: dict[str, ArticleEntry], fingerprints: dict[str, str], chunks: list[Chunk]) -> Manifest:
    """The manifest of the main model's build: format, model and dimension, chunker, per-article hashes, chunk
    ranges and languages, counts, the corpus's background names (see ``background``); no multilingual space
    yet (``_multilingual``)."""
    return Manifest(
        model=settings.embedding_model, dim=encoder.dim, encoder_dir=encoder_rel, chunker=MappingProxyType(dict(params.__dict__)),
        dense_index=dense.choose_kind(len(chunks), settings.flat_index_max), model_max_tokens=encoder.max_tokens,
        keyword_tokenizer=TOKENIZER_VERSION, article_reader=READER_VERSION,
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), article_count=len(entries),
        chunk_count=len(chunks), background=tuple(background_names(chunks)), articles=MappingProxyType(entries),
        skipped=MappingProxyType({p: h for p, h in fingerprints.items() if p not in entries}),
        languages=tuple(sorted({e.language for e in entries.values()} or {"en"})), multilingual_model="")


def _multilingual(manifest: Manifest, ml: tuple[Encoder, str] | None, chunks: list[Chunk],
                  previous: index_store.IndexData | None) -> tuple[Manifest, tuple[np.ndarray, np.ndarray] | None]:
    """The manifest with the multilingual model, its export folder, the generic texts' digest and its language
    pairs measured against the null questions (``calibrate``), and that model's passage and generic-text vectors
    (None when the main model serves every language)."""
    if ml is None:
        return manifest, None
    encoder, rel = ml
    digest = generic_digest()
    vectors, generic = embed_multilingual(encoder, chunks, previous), embed_generic(encoder, previous, digest)
    generic_codes = generic_languages()
    pairs = calibrate(encoder, vectors, chunk_languages(manifest.articles, len(chunks)), generic, generic_codes)
    recorded = manifest.replace(multilingual_model=encoder.model, multilingual_encoder_dir=rel, generic_texts=digest,
                                pairs=MappingProxyType(pairs), null_questions=null_digest(),
                                generic_languages=tuple(str(code) for code in generic_codes))
    return recorded, (vectors, generic)


def build_index(settings: Settings, force: bool = False, skip_bad: bool = False, wait: bool = True) -> BuildReport:
    """Build (or incrementally refresh) the index; the previous one stays untouched on any failure."""
    index_dir, corpus_dir = settings.index_dir, settings.corpus_dir
    with build_lock(index_dir, wait=wait):
        corpus = load_corpus(corpus_dir, skip_bad=skip_bad)
        encoder, encoder_rel = build_encoder(settings, index_dir)
        params = chunk_params(settings, encoder.max_tokens)
        ml_model = multilingual_model(settings)
        ml = multilingual_encoder(ml_model, index_dir) if ml_model else None
        previous = None if force else _previous(index_dir, settings.embedding_model, params)
        report = BuildReport(articles=len(corpus.articles), warnings=corpus.warnings)
        chunks, vectors, entries = _assemble(corpus.articles, params, (encoder, ml[0] if ml else None), previous,
                                             report)
        report.removed = len(_old_articles(index_dir) - set(entries))
        manifest, ml_vectors = _multilingual(_manifest(settings, encoder, encoder_rel, params, entries,
                                                       corpus.fingerprints, chunks), ml, chunks, previous)
        kind = manifest.dense_index
        data = index_store.IndexData(manifest, {a.source.path: a.source for a in corpus.articles}, chunks, vectors,
                                     dense.build(vectors, kind), KeywordIndex.build([c.text for c in chunks]),
                                     lexicon=Lexicon.from_wordfreq())
        if ml_vectors is not None:
            data.ml_vectors, data.ml_dense, data.ml_generic = ml_vectors[0], dense.build(ml_vectors[0], kind), \
                ml_vectors[1]
            if ml is not None and len(manifest.languages) > 1:  # words are carried between languages only
                data.ml_words = embed_words(ml[0], chunks, previous.ml_words if previous is not None
                                            and same_encoder(previous, ml[0]) else None)
        report.directory = index_store.write(index_dir, data)
        report.chunks = len(chunks)
    return report

"""The question-answering engine the CLI, REPL and bot share: one loaded index, one warm encoder.

``Engine.reload`` swaps in the index a build has put live since (the running bot polls for it): the new index
is loaded beside the old one, then one assignment swaps them, so each question runs on one index from start to
end, and the old one is freed as soon as the questions still using it finish.
"""

from __future__ import annotations

import gc
import logging
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.answer.assemble import answer_question
from bot.encoders.base import Encoder
from bot.encoders.factory import load_query_encoder
from bot.errors import IndexUnavailable
from bot.index import store as index_store
from bot.index.build import build_index
from bot.index.manifest import same_encoders
from bot.index.status import Notify, ensure_index, log_notes
from bot.models import Answer, CorpusStats, Source
from bot.search.hybrid import Searcher
from bot.settings import Settings
from bot.text.question import Question, read_question

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Loaded:
    """An index and the searcher over it: swapped together, never one without the other."""

    data: index_store.IndexData
    searcher: Searcher


class Engine:
    """Answers questions from an index; safe to call from several threads."""

    def __init__(self, settings: Settings, data: index_store.IndexData, encoder: Encoder) -> None:
        self.settings = settings
        self._loaded = _Loaded(data, Searcher(data, encoder, ml_encoder=_multilingual_encoder(settings, data)))
        self._reload_lock = threading.Lock()
        self._refused: Path | None = None  # a live build that failed to load: not retried until it changes

    @property
    def data(self) -> index_store.IndexData:
        return self._loaded.data

    @property
    def searcher(self) -> Searcher:
        return self._loaded.searcher

    def reload(self) -> bool:
        """Swap in the live index if a build has replaced the one being served; True when it did. The query
        encoders are kept when the new index was built by the same ones. Raises (once per build) when
        the new index cannot be loaded; the old one keeps serving."""
        with self._reload_lock:
            live = index_store.current_dir(self.settings.index_dir)
            old = self._loaded
            if live is None or live in (old.data.directory, self._refused):
                return False
            try:
                data = index_store.load(self.settings.index_dir)
                if same_encoders(data.manifest, old.data.manifest):
                    encoder, ml_encoder = old.searcher.encoder, old.searcher.ml_encoder
                else:
                    encoder, ml_encoder = _query_encoder(self.settings, data), _multilingual_encoder(self.settings, data)
                searcher = Searcher(data, encoder, old.searcher.pool, old.searcher.fusion, ml_encoder=ml_encoder)
            except Exception:  # a corrupt or half-pruned build: keep serving the old index
                self._refused = live
                raise
            self._loaded = _Loaded(data, searcher)  # the swap
            del old, data, searcher
            gc.collect()  # free the old index now (questions still using it hold it until they finish)
            stats = self.stats()
            log.info("index reloaded: %d articles, %d passages", stats.articles, stats.chunks)
            return True

    @classmethod
    def open(cls, settings: Settings, skip_bad: bool = False, notify: Notify = log_notes) -> Engine:
        """Load (building or refreshing when needed) the index and its query encoder; an encoder that cannot
        be loaded or does not match the index is exported again and the index rebuilt. What it does is told
        to ``notify`` (the CLI prints it on stderr; the default logs it)."""
        data = ensure_index(settings, skip_bad=skip_bad, notify=notify)
        try:
            encoder = _query_encoder(settings, data)
        except IndexUnavailable as exc:
            notify(f"{exc}; rebuilding…")
            notify(build_index(settings, force=True, skip_bad=skip_bad).summary())
            data = index_store.load(settings.index_dir)
            encoder = _query_encoder(settings, data)
        return cls(settings, data, encoder)

    def read(self, text: str) -> Question:
        """``text`` read as a question once (cleaned, cut to ``max_question_chars``, its language detected):
        lone surrogates (from a broken client or argv) are replaced, so every renderer can encode it."""
        return read_question(text, self.settings.max_question_chars)

    def ask(self, question: str | Question, k: int | None = None) -> Answer:
        """Quoted passages for ``question`` (or an honest refusal); text is read first (``read``)."""
        if isinstance(question, str):
            question = self.read(question)
        return answer_question(self.searcher, question, k or self.settings.top_k)

    def sources(self) -> list[Source]:
        """The indexed articles, newest first (undated last)."""
        everything = list(self.data.sources.values())
        dated = sorted((s for s in everything if s.published), key=lambda s: s.published, reverse=True)
        return dated + sorted((s for s in everything if not s.published), key=lambda s: s.path)

    def stats(self) -> CorpusStats:
        data = self.data
        dates = sorted(s.published for s in data.sources.values() if s.published)
        return CorpusStats(len(data.sources), len(data.chunks),
                           dates[0] if dates else "", dates[-1] if dates else "")


def _query_encoder(settings: Settings, data: index_store.IndexData) -> Encoder:
    """The encoder that built ``data``; IndexUnavailable (after removing a broken export) when it cannot serve it."""
    encoder_rel = data.manifest.encoder_dir
    encoder_dir = settings.index_dir / encoder_rel if encoder_rel else None
    try:
        encoder = load_query_encoder(str(data.manifest.model), encoder_dir)
    except Exception as exc:  # a deleted or damaged export: remove it so the rebuild exports it again
        if encoder_dir is not None and encoder_dir.resolve().is_relative_to(settings.index_dir.resolve()):
            shutil.rmtree(encoder_dir, ignore_errors=True)
        raise IndexUnavailable(f"{encoder_dir or 'query encoder'}: cannot load the query encoder "
                          f"({type(exc).__name__}: {str(exc)[:160]})") from None
    if encoder.dim != data.manifest.dim:
        raise IndexUnavailable(f"{data.directory}: index vectors have dimension {data.manifest.dim} but the "
                          f"query encoder gives {encoder.dim}")
    return encoder


def _multilingual_encoder(settings: Settings, data: index_store.IndexData) -> Encoder | None:
    """The multilingual model that embedded the index's second vector space (None when it has none)."""
    model = data.manifest.multilingual_model or ""
    if not model or data.ml_vectors is None:
        return None
    rel = data.manifest.multilingual_encoder_dir
    return load_query_encoder(model, settings.index_dir / rel if rel else None)

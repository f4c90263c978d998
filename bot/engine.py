"""The question-answering engine the CLI, REPL and bot share: one loaded index, one warm encoder."""

from __future__ import annotations

import shutil
import sys

from bot.answer.assemble import Relevance, answer_question
from bot.encoders.base import Encoder
from bot.encoders.factory import load_query_encoder
from bot.errors import IndexError_
from bot.index import store as index_store
from bot.index.build import build_index
from bot.index.status import ensure_index
from bot.models import Answer, CorpusStats, Source
from bot.search.hybrid import Searcher
from bot.settings import Settings
from bot.text.safe import repair_surrogates


class Engine:
    """Answers questions from an index; safe to call from several threads."""

    def __init__(self, settings: Settings, data: index_store.IndexData, encoder: Encoder) -> None:
        self.settings = settings
        self.data = data
        self.searcher = Searcher(data, encoder)
        self.relevance = Relevance()

    @classmethod
    def open(cls, settings: Settings, skip_bad: bool = False) -> Engine:
        """Load (building or refreshing when needed) the index and its query encoder; an encoder that cannot
        be loaded or does not match the index is exported again and the index rebuilt."""
        data = ensure_index(settings, skip_bad=skip_bad)
        try:
            encoder = _query_encoder(settings, data)
        except IndexError_ as exc:
            print(f"wayhome: {exc}; rebuilding…", file=sys.stderr)
            print(f"wayhome: {build_index(settings, force=True, skip_bad=skip_bad).summary()}", file=sys.stderr)
            data = index_store.load(settings.index_dir)
            encoder = _query_encoder(settings, data)
        return cls(settings, data, encoder)

    def ask(self, question: str, k: int | None = None) -> Answer:
        """Quoted passages for ``question`` (or an honest refusal). The question is made printable first:
        lone surrogates (from a broken client or argv) are replaced, so every renderer can encode it."""
        return answer_question(self.searcher, repair_surrogates(question), k or self.settings.top_k,
                               self.settings.max_question_chars, self.relevance)

    def sources(self) -> list[Source]:
        """The indexed articles, newest first (undated last)."""
        everything = list(self.data.sources.values())
        dated = sorted((s for s in everything if s.published), key=lambda s: s.published, reverse=True)
        return dated + sorted((s for s in everything if not s.published), key=lambda s: s.path)

    def stats(self) -> CorpusStats:
        dates = sorted(s.published for s in self.data.sources.values() if s.published)
        return CorpusStats(len(self.data.sources), len(self.data.chunks),
                           dates[0] if dates else "", dates[-1] if dates else "")


def _query_encoder(settings: Settings, data: index_store.IndexData) -> Encoder:
    """The encoder that built ``data``; IndexError_ (after removing a broken export) when it cannot serve it."""
    encoder_rel = data.manifest.get("encoder_dir") or ""
    encoder_dir = settings.index_dir / encoder_rel if encoder_rel else None
    try:
        encoder = load_query_encoder(str(data.manifest.get("model")), encoder_dir)
    except Exception as exc:  # a deleted or damaged export: remove it so the rebuild exports it again
        if encoder_dir is not None and encoder_dir.resolve().is_relative_to(settings.index_dir.resolve()):
            shutil.rmtree(encoder_dir, ignore_errors=True)
        raise IndexError_(f"{encoder_dir or 'query encoder'}: cannot load the query encoder "
                          f"({type(exc).__name__}: {str(exc)[:160]})") from None
    if encoder.dim != data.manifest.get("dim"):
        raise IndexError_(f"{data.directory}: index vectors have dimension {data.manifest.get('dim')} but the "
                          f"query encoder gives {encoder.dim}")
    return encoder

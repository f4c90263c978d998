"""The question-answering engine the CLI, REPL and bot share: one loaded index, one warm encoder."""

from __future__ import annotations

from dataclasses import dataclass

from . import index_store
from .answer import Relevance, answer_question
from .encoder_base import Encoder, load_query_encoder
from .index_status import ensure_index
from .models import Answer, Source
from .search import Searcher
from .settings import Settings


@dataclass
class CorpusStats:
    """What /start tells about the corpus."""

    articles: int
    chunks: int
    first_date: str
    last_date: str


class Engine:
    """Answers questions from an index; safe to call from several threads."""

    def __init__(self, settings: Settings, data: index_store.IndexData, encoder: Encoder) -> None:
        self.settings = settings
        self.data = data
        self.searcher = Searcher(data, encoder)
        self.relevance = Relevance()

    @classmethod
    def open(cls, settings: Settings, skip_bad: bool = False) -> Engine:
        """Load (building or refreshing when needed) the index and its query encoder."""
        data = ensure_index(settings, skip_bad=skip_bad)
        encoder_rel = data.manifest.get("encoder_dir") or ""
        encoder_dir = settings.index_dir / encoder_rel if encoder_rel else None
        return cls(settings, data, load_query_encoder(data.manifest["model"], encoder_dir))

    def ask(self, question: str, k: int | None = None) -> Answer:
        """Quoted passages for ``question`` (or an honest refusal)."""
        return answer_question(self.searcher, question, k or self.settings.top_k,
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

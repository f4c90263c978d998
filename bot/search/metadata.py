"""Question words that name an article's metadata: its publisher, author or publication date.

"What did DW report on December 9?" should find the DW article published that day although neither "DW" nor
"December 9" need occur in the passage text. Every chunk inherits the metadata tokens of its article; a
match earns a BM25-like credit (smaller than a match in the text) and counts for coverage. Titles are left
out: their words are content words that would lift every passage of an article alike.
"""

from __future__ import annotations

import calendar
import re

import numpy as np

from bot.calibration import WEIGHTS
from bot.models import Source
from bot.search.query import Query
from bot.search.vocabulary import Vocabulary
from bot.text.names import MONTHS
from bot.text.normalize import keyword_tokens

META_WEIGHT = WEIGHTS.metadata  # credit of a metadata match, as a share of the token's idf
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def date_tokens(published: str) -> set[str]:
    """Tokens of an ISO date as people write it: year, month name, day number."""
    match = _DATE.match(published or "")
    if not match:
        return set()
    year, month, day = match.groups()
    parts = [year]
    if month and 1 <= int(month) < len(calendar.month_name):
        parts.append(MONTHS[int(month) - 1])
        if day:
            parts.append(str(int(day)))
    return set(keyword_tokens(" ".join(parts)))


def source_tokens(source: Source) -> set[str]:
    """Metadata tokens of one article (publisher, author, date)."""
    return set(keyword_tokens(f"{source.publisher} {source.author}")) | date_tokens(source.published)


class MetadataMatcher:
    """Metadata tokens per article, and which chunks belong to which article."""

    def __init__(self, sources: dict[str, Source], chunk_articles: list[str]) -> None:
        paths = list(sources)
        number = {path: n for n, path in enumerate(paths)}
        self.articles: dict[str, set[int]] = {}  # token -> numbers of the articles whose metadata has it
        for n, path in enumerate(paths):
            for token in source_tokens(sources[path]):
                self.articles.setdefault(token, set()).add(n)
        self.count = len(paths)
        self.article_of = np.array([number.get(p, -1) for p in chunk_articles], dtype=np.int64)

    def scores(self, query: Query, vocab: Vocabulary) -> np.ndarray:
        """Credit per chunk for the question's tokens found in its article's metadata."""
        per_article = np.zeros(self.count + 1, dtype=np.float32)  # the extra slot: chunks of no known article
        for token in set(query.tokens) & self.articles.keys():
            per_article[list(self.articles[token])] += META_WEIGHT * vocab.idf(token)
        return per_article[self.article_of]

    def chunks_with(self, token: str, ids: list[int]) -> set[int]:
        """The chunks among ``ids`` whose article's metadata contains ``token``."""
        articles = self.articles.get(token)
        return {i for i in ids if int(self.article_of[i]) in articles} if articles else set()

"""Typed objects passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, Field

from bot import messages


class Source(BaseModel):
    """Where a passage comes from. Unknown fields are empty strings, never invented."""

    title: str = ""
    publisher: str = ""
    url: str = ""
    published: str = ""
    author: str = ""
    path: str = ""
    forwarded_from: str = ""  # a Telegram post forwarded by the channel: whose words they are


class Article(BaseModel):
    """One cleaned article: metadata plus verbatim body text."""

    source: Source
    body: str
    content_hash: str


class Chunk(BaseModel):
    """A sentence-aligned passage: ``text == article.body[start:end]``."""

    chunk_id: str
    article_path: str
    start: int
    end: int
    paragraph: int
    text: str
    heading: str = ""  # the section heading the passage falls under (not part of ``text``), if any
    lead: str = ""  # the whitespace between the previous chunk of the article and this one, when they touch


class Passage(BaseModel):
    """One ranked result of a search, quoting a chunk verbatim."""

    rank: int
    score: float
    text: str
    highlight: str
    source: Source
    chunk_id: str
    also_in: list[Source] = Field(default_factory=list)


class Notice(StrEnum):
    """What the bot has to say about an answer besides its quotes; renderers put it in the reader's words
    (``bot.render.notices``)."""

    USAGE = "usage"  # the question has no word to search for
    NOT_FOUND = "not_found"  # nothing in the articles is relevant enough to quote
    TRIMMED = "trimmed"  # answered, but only the first ``max_question_chars`` characters were searched


class Answer(BaseModel):
    """What the bot says to a question: quoted passages, or an honest refusal (``notice``: why)."""

    question: str
    answered: bool
    language: str = "en"  # the question's language (ISO 639-1), see ``bot.text.language``
    notice: Notice | None = None
    results: list[Passage] = Field(default_factory=list)
    more: list[Passage] = Field(default_factory=list)
    trimmed: bool = False


@dataclass
class CorpusStats:
    """What /start tells about the corpus."""

    articles: int
    chunks: int
    first_date: str
    last_date: str


class Kind(StrEnum):
    START = "start"
    HELP = "help"
    SOURCES = "sources"
    ANSWER = "answer"
    NOT_FOUND = "not_found"
    USAGE = "usage"
    MORE = "more"
    NO_MORE = "no_more"
    UNKNOWN_COMMAND = "unknown_command"


@dataclass
class Reply:
    """What to tell the user; renderers turn it into terminal text or Telegram HTML."""

    kind: Kind
    answer: Answer | None = None
    sources: list[Source] = field(default_factory=list)
    stats: CorpusStats | None = None
    examples: tuple[str, ...] = messages.EXAMPLES
    command: str = ""
    language: str = "en"  # the interface language to render in (``bot.text.language.interface_language``)
    answer_id: str = ""  # ANSWER/MORE: the id its further passages are kept under (``Conversation.more_of``)

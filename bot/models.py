"""Typed objects passed between the pipeline stages."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Source(BaseModel):
    """Where a passage comes from. Unknown fields are empty strings, never invented."""

    title: str = ""
    publisher: str = ""
    url: str = ""
    published: str = ""
    author: str = ""
    path: str = ""

    def label(self) -> str:
        """A short human citation: 'Title — Publisher, 2023-12-09'; honest about what is unknown
        ('Untitled article, publisher unknown, date unknown')."""
        publisher = self.publisher or "publisher unknown"
        date = self.published or "date unknown"
        if not self.title:
            return f"Untitled article, {publisher}, {date}"
        return f"{self.title} — {publisher}, {date}"


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


class Answer(BaseModel):
    """What the bot says to a question: quoted passages, or an honest refusal."""

    question: str
    answered: bool
    message: str = ""
    results: list[Passage] = Field(default_factory=list)
    more: list[Passage] = Field(default_factory=list)
    trimmed: bool = False

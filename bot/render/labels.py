"""How a source is named to a reader: title, publisher and date, honest about what is unknown ("Untitled
article, publisher unknown, date unknown"), in the interface language. ``bot.models.Source`` holds the data;
this module holds its words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import messages
from bot.models import Source

if TYPE_CHECKING:  # only for the annotation: rendering an answer never imports ``wayhome add``'s machinery
    from bot.sources.add import Added


def shown_title(source: Source, lang: str = "en") -> str:
    """The title, or 'Untitled article'."""
    return source.title or messages.get(lang).UNTITLED


def shown_publisher(source: Source, lang: str = "en") -> str:
    """The publisher, or 'publisher unknown'."""
    return source.publisher or messages.get(lang).PUBLISHER_UNKNOWN


def shown_date(source: Source, lang: str = "en") -> str:
    """The publication date (as ``lang`` writes dates), or 'date unknown'."""
    words = messages.get(lang)
    return words.date(source.published) if source.published else words.DATE_UNKNOWN


def byline(source: Source, lang: str = "en") -> str:
    """'Publisher, date', each or its 'unknown' label."""
    return f"{shown_publisher(source, lang)}, {shown_date(source, lang)}"


def label(source: Source, lang: str = "en") -> str:
    """A short human citation: 'Title — Publisher, 2023-12-09', or 'Untitled article, publisher unknown, date
    unknown'."""
    if not source.title:
        return f"{messages.get(lang).UNTITLED}, {byline(source, lang)}"
    return f"{source.title} — {byline(source, lang)}"


def added_line(added: Added) -> str:
    """``wayhome add``'s line for an article: 'file: title | publisher | date'."""
    s = added.source
    return f"{added.file}: {shown_title(s)} | {shown_publisher(s)} | {shown_date(s)}"

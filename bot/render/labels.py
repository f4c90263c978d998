"""How a source is named to a reader: title, publisher and date, honest about what is unknown ("Untitled
article, publisher unknown, date unknown"), in the interface language. ``bot.models.Source`` holds the data;
this module holds its words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from bot import messages
from bot.models import Source

if TYPE_CHECKING:  # only for the annotation: rendering an answer never imports ``wayhome add``'s machinery
    from bot.sources.add import Added
    from bot.sources.channel_writer import Change
    from bot.sources.channels import ChannelReport

CHANNEL_POST_URL = re.compile(r"^https://t\.me/(?:c/\d+|[A-Za-z][A-Za-z0-9_]{2,31})/\d+$")


def is_channel_post(source: Source) -> bool:
    """A Telegram channel post: cited by channel, date and link rather than by title."""
    return bool(CHANNEL_POST_URL.match(source.url))


def shown_title(source: Source, lang: str = "en") -> str:
    """The title, or 'Untitled article'."""
    return source.title or messages.get(lang).UNTITLED


def shown_publisher(source: Source, lang: str = "en") -> str:
    """The publisher, or 'publisher unknown'; a channel post's is 'Channel (Telegram)'."""
    words = messages.get(lang)
    if is_channel_post(source):
        return words.CHANNEL_PUBLISHER.format(channel=source.publisher or source.url.split("/")[3])
    return source.publisher or words.PUBLISHER_UNKNOWN


def forwarded(source: Source, lang: str = "en") -> str:
    """', forwarded from NAME' for a forwarded post, else ''."""
    if not source.forwarded_from:
        return ""
    return ", " + messages.get(lang).FORWARDED_FROM.format(origin=source.forwarded_from)


def shown_date(source: Source, lang: str = "en") -> str:
    """The publication date (as ``lang`` writes dates), or 'date unknown'."""
    words = messages.get(lang)
    return words.date(source.published) if source.published else words.DATE_UNKNOWN


def byline(source: Source, lang: str = "en") -> str:
    """'Publisher, date', each or its 'unknown' label."""
    return f"{shown_publisher(source, lang)}, {shown_date(source, lang)}"


def label(source: Source, lang: str = "en") -> str:
    """A short human citation: 'Title — Publisher, 2023-12-09', or 'Untitled article, publisher unknown, date
    unknown'; a channel post: 'Channel (Telegram), 2023-12-05' and, when forwarded, whose words they are."""
    if is_channel_post(source):
        return byline(source, lang) + forwarded(source, lang)
    if not source.title:
        return f"{messages.get(lang).UNTITLED}, {byline(source, lang)}"
    return f"{source.title} — {byline(source, lang)}"


def added_line(added: Added) -> str:
    """``wayhome add``'s line for an article: 'file: title | publisher | date'."""
    s = added.source
    return f"{added.file}: {shown_title(s)} | {shown_publisher(s)} | {shown_date(s)}"


def change_line(change: Change, corpus_dir: Path, dry_run: bool) -> str:
    """``wayhome add``'s line for a channel post: 'added FILE: title | Channel (Telegram) | date' ('would add',
    'replaced', 'would replace')."""
    verb = {"added": "would add", "replaced": "would replace"}[change.kind] if dry_run else change.kind
    s = change.source
    return f"{verb} {corpus_dir / change.path}: {shown_title(s)} | {shown_publisher(s)} | {shown_date(s)}"


def channel_report_lines(report: ChannelReport, limit: int | None = None) -> list[str]:
    """``wayhome add``'s report for channels: a line per post added or replaced (the first ``limit``), the
    totals, the index refresh and each stage's time."""
    shown = report.changes if limit is None else report.changes[:limit]
    lines = [change_line(change, report.corpus_dir, report.dry_run) for change in shown]
    if len(shown) < len(report.changes):
        lines.append(f"… and {len(report.changes) - len(shown)} more")
    lines.append(report.totals())
    if report.index is not None:
        lines.append(f"index: {report.index.summary()}")
    lines.append("time: " + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in report.seconds.items()))
    return lines

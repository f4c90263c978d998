"""``wayhome add`` for Telegram channels: exports (``result.json``) and preview pages (``https://t.me/s/NAME``).

Takes: settings, the inputs, the channel's username (for an export), a bound on preview posts. Gives: a
``ChannelReport`` — posts added, replaced (edited since the last import), unchanged, skipped (service messages,
posts without text) and the index refresh. All or nothing: every input is read and staged first (bounded
memory: posts stream to a hidden staging folder); any failure, or an index that cannot be refreshed, leaves
corpus and index as they were. Live posts from the bot go through ``write_posts`` (no index refresh: the bot
refreshes at most once per 30 s).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import WayhomeError
from bot.index.build import BuildReport, build_index
from bot.settings import Settings
from bot.sources.add import add_lock
from bot.sources.channel_writer import ADDED, Change, Post, Staging
from bot.sources.fetch import SourceError
from bot.sources.telegram_export import open_export
from bot.sources.telegram_preview import is_preview_url, read_preview

DEFAULT_MAX_POSTS = 500


def is_channel_input(origin: str) -> bool:
    """A Telegram export (``.json``) or a channel preview page URL."""
    return origin.lower().endswith(".json") or is_preview_url(origin)


def channel_inputs(inputs: Sequence[str], feed: str | None) -> bool:
    """Whether ``wayhome add`` was given channels (a WayhomeError when they are mixed with articles or a feed)."""
    channels = [origin for origin in inputs if is_channel_input(origin)]
    if channels and (len(channels) < len(inputs) or feed):
        raise WayhomeError("add Telegram channels (result.json, https://t.me/s/NAME) in a `wayhome add` of their "
                           "own, without articles or --feed")
    return bool(channels)


@dataclass
class ChannelReport:
    """What ``add_channels`` did (or, with ``dry_run``, would do)."""

    corpus_dir: Path
    dry_run: bool = False
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    service: int = 0
    without_text: int = 0
    index: BuildReport | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    def totals(self) -> str:
        """'telegram posts: added A, replaced R (edited), unchanged U; skipped S service messages and T without
        text' (with 'would' in a dry run)."""
        added = sum(c.kind == ADDED for c in self.changes)
        verbs = ("would add", "would replace") if self.dry_run else ("added", "replaced")
        return (f"telegram posts: {verbs[0]} {added}, {verbs[1]} {len(self.changes) - added} (edited), "
                f"unchanged {self.unchanged}; skipped {self.service} service messages and {self.without_text} "
                "without text")


def add_channels(settings: Settings, inputs: Sequence[str], channel_username: str | None = None,
                 max_posts: int = DEFAULT_MAX_POSTS, dry_run: bool = False) -> ChannelReport:
    """Import every input's posts; refresh the index unless ``dry_run`` or nothing changed."""
    report = ChannelReport(settings.corpus_dir, dry_run)
    with add_lock(settings.index_dir):
        staging = Staging.open(settings.corpus_dir)
        try:
            started = time.perf_counter()
            for origin in inputs:
                _stage(settings, staging, origin, channel_username, max_posts, report)
            report.changes, report.unchanged = list(staging.changes.values()), staging.unchanged
            report.seconds["read"] = time.perf_counter() - started
            if dry_run or not report.changes:
                return report
            _commit(settings, staging, report)
        finally:
            staging.discard()
    return report


def _stage(settings: Settings, staging: Staging, origin: str, channel_username: str | None, max_posts: int,
           report: ChannelReport) -> None:
    if is_preview_url(origin):
        posts, skipped = read_preview(origin, max_posts, settings.fetch_timeout_s, settings.fetch_max_bytes)
        staging.stage(posts)
        report.without_text += skipped
        return
    path = Path(origin).expanduser()
    if not path.is_file():
        raise SourceError(origin, "no such file" if not path.exists() else "is not a file")
    export = open_export(path, channel_username)
    staging.stage(export.posts())
    report.service += export.service
    report.without_text += export.without_text


def _commit(settings: Settings, staging: Staging, report: ChannelReport) -> None:
    """Move the staged posts into the corpus and refresh the index; undo the move if the refresh fails."""
    started = time.perf_counter()
    staging.commit()
    report.seconds["write"] = time.perf_counter() - started
    try:
        started = time.perf_counter()
        report.index = build_index(settings)
        report.seconds["index"] = time.perf_counter() - started
    except BaseException as exc:
        staging.rollback()
        if isinstance(exc, WayhomeError):
            raise WayhomeError(f"cannot refresh the index, so nothing was added: {exc}") from None
        raise


def write_posts(corpus_dir: Path, index_dir: Path, posts: Sequence[Post]) -> list[Change]:
    """Add or replace ``posts`` in the corpus without refreshing the index (the live bot's path)."""
    with add_lock(index_dir):
        staging = Staging.open(corpus_dir)
        try:
            staging.stage(posts)
            staging.commit()
        finally:
            staging.discard()
    return list(staging.changes.values())

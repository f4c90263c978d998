"""``wayhome add`` (and the bot's ``/add``): put web pages, feed items or local files into the corpus, then
refresh the index.

Takes: settings and a list of URLs / paths (and optionally a feed URL). Gives: an ``AddReport`` — the articles
added (or, with ``dry_run``, that would be), those already in the corpus (same canonical URL or same text),
failures (URL or path and reason) and feed items skipped. All or nothing: when any URL or path named by the
caller (or the feed itself) fails, nothing is written; when the index cannot be refreshed, the files just
written are removed again, so corpus and index are untouched. Feed items that fail are skipped with a reason.
Adds are serialised across processes by ``<index_dir>/.add.lock``.
"""

from __future__ import annotations

import contextlib
import fcntl
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import ArticleError, WayhomeError
from bot.index.build import BuildReport, build_index
from bot.ingest.corpus import MAX_ARTICLE_BYTES, PARSERS, decode
from bot.ingest.extract import ExtractedArticle, extract_html
from bot.ingest.markdown import parse_markdown
from bot.models import Source
from bot.settings import Settings
from bot.sources.feed import read_feed
from bot.sources.fetch import SourceError, decode_html, fetch_feed, fetch_page
from bot.sources.known import SAME_URL, KnownArticles, known_articles
from bot.sources.writer import article_filename, to_markdown, write_new_file

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
HTML_SUFFIXES = (".html", ".htm")
MIN_BODY_CHARS = 200  # less body than this is a menu, a consent wall or a teaser, not an article


@dataclass(frozen=True)
class Added:
    """An article written to the corpus (or, in a dry run, that would be)."""

    origin: str
    file: Path
    source: Source


@dataclass(frozen=True)
class Duplicate:
    """Something already in the corpus: the file that has it, and why it counts as the same."""

    origin: str
    existing: Path
    why: str

    def line(self) -> str:
        return f"already in the corpus: {self.existing} ({self.origin}: {self.why})"


@dataclass(frozen=True)
class Failure:
    """A URL or path that could not be added, and why."""

    origin: str
    reason: str

    def line(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass
class AddReport:
    """What ``add_articles`` did; ``ok`` is False when it refused to write anything."""

    dry_run: bool = False
    added: list[Added] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    skipped: list[Failure] = field(default_factory=list)
    index: BuildReport | None = None

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class _Draft:
    """A corpus file ready to be written: its name, its text, and what identifies it."""

    origin: str
    name: str
    text: str
    source: Source
    urls: tuple[str, ...]
    body: str


def add_articles(settings: Settings, inputs: Sequence[str], feed: str | None = None,
                 dry_run: bool = False) -> AddReport:
    """Add ``inputs`` (URLs or paths) and the new items of ``feed``; refresh the index unless ``dry_run``."""
    report = AddReport(dry_run=dry_run)
    with add_lock(settings.index_dir):
        known = known_articles(settings.corpus_dir)
        drafts = _collect(settings, inputs, feed, known, report)
        if not report.ok or not drafts:
            return report
        if dry_run:
            names = _planned_names(settings.corpus_dir, [d.name for d in drafts])
            report.added = [Added(d.origin, settings.corpus_dir / n, d.source) for d, n in zip(drafts, names, strict=True)]
            return report
        written: list[Path] = []
        try:
            for draft in drafts:
                written.append(write_new_file(settings.corpus_dir, draft.name, draft.text))
            report.index = build_index(settings)
        except BaseException as exc:
            for path in written:
                path.unlink(missing_ok=True)
            if isinstance(exc, WayhomeError):
                raise WayhomeError(f"cannot refresh the index, so nothing was added: {exc}") from None
            raise
        report.added = [Added(d.origin, settings.corpus_dir / p.name, d.source) for d, p in zip(drafts, written, strict=True)]
    return report


def _collect(settings: Settings, inputs: Sequence[str], feed: str | None, known: KnownArticles,
             report: AddReport) -> list[_Draft]:
    """Drafts for every input and feed item that is new; failures and duplicates go into ``report``."""
    drafts: list[_Draft] = []
    for origin in inputs:
        _take(settings, origin, known, drafts, report, report.failures)
    if feed:
        try:
            fetched = fetch_feed(feed, timeout=settings.fetch_timeout_s, max_bytes=settings.fetch_max_bytes)
            items = read_feed(fetched.data, fetched.final_url)
        except SourceError as exc:
            report.failures.append(Failure(feed, exc.reason))
            return drafts
        for item in items:
            _take(settings, item.url, known, drafts, report, report.skipped)
    return drafts


def _take(settings: Settings, origin: str, known: KnownArticles, drafts: list[_Draft], report: AddReport,
          failures: list[Failure]) -> None:
    """Prepare one input: a new draft, a duplicate, or a failure (into ``failures``)."""
    existing = known.match_url([origin]) if _URL.match(origin) else None
    if existing is not None:  # known by URL: no need to fetch it
        report.duplicates.append(Duplicate(origin, settings.corpus_dir / existing, SAME_URL))
        return
    try:
        draft = _from_url(settings, origin) if _URL.match(origin) else _from_path(origin)
    except SourceError as exc:
        failures.append(Failure(origin, exc.reason))
        return
    except ArticleError as exc:
        failures.append(Failure(origin, exc.problem))
        return
    match = known.match(draft.urls, draft.body)
    if match is not None:
        report.duplicates.append(Duplicate(origin, settings.corpus_dir / match[0], match[1]))
        return
    known.remember(draft.name, draft.urls, draft.body)
    drafts.append(draft)


def _from_url(settings: Settings, url: str) -> _Draft:
    """Fetch a page, extract its article, and render it as a Markdown corpus file."""
    page = fetch_page(url, timeout=settings.fetch_timeout_s, max_bytes=settings.fetch_max_bytes)
    return _from_html(url, page.text, page.final_url, (url, page.final_url))


def extract_article(html: str, url: str | None = None) -> ExtractedArticle:
    """The article of a page (``bot.ingest.extract``: the trafilatura reader the corpus uses for ``.html`` files;
    metadata only as the page states it); fewer than ``MIN_BODY_CHARS`` characters of body is "no article text
    found" (a menu, a consent wall, a teaser)."""
    article = extract_html(html, url)
    if article is None or sum(len(p) for p in article.paragraphs) < MIN_BODY_CHARS:
        raise SourceError(url or "page", "no article text found")
    return article


def _from_html(origin: str, html: str, url: str | None, urls: tuple[str, ...]) -> _Draft:
    article = extract_article(html, url)
    name, text = article_filename(article), to_markdown(article)
    try:  # what the corpus loader will read: it must accept the file
        source, body = parse_markdown(text, Path(name))
    except ArticleError as exc:
        raise SourceError(origin, f"cannot be stored as an article ({exc.problem})") from None
    if not body.strip():
        raise SourceError(origin, "no article text found")
    return _Draft(origin, name, text, source, (*urls, article.url), body.strip())


def _from_path(origin: str) -> _Draft:
    """A local file: HTML is extracted like a web page; Markdown and text are checked, then copied verbatim."""
    path = Path(origin).expanduser()
    suffix = path.suffix.lower()
    if not path.exists():
        raise ArticleError(origin, "no such file")
    if not path.is_file():
        raise ArticleError(origin, "is not a file")
    if suffix not in PARSERS:
        raise ArticleError(origin, "not an article file (.html, .md or .txt)")
    try:
        if path.stat().st_size > MAX_ARTICLE_BYTES:
            raise ArticleError(origin, f"too large (over {MAX_ARTICLE_BYTES // 2**20} MB)")
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(origin, f"cannot be read: {exc.strerror}") from None
    if suffix in HTML_SUFFIXES:
        return _from_html(origin, decode_html(raw), None, ())
    name = path.name.lstrip(".") or f"article{suffix}"
    source, body = PARSERS[suffix](decode(raw, origin), Path(name))
    if not body.strip():
        raise ArticleError(origin, "article body is empty")
    return _Draft(origin, name, raw.decode("utf-8"), source, (source.url,), body.strip())


def _planned_names(directory: Path, names: list[str]) -> list[str]:
    """The names ``write_new_file`` would choose for ``names``, written in order."""
    taken: set[str] = set()
    chosen: list[str] = []
    for name in names:
        stem, dot, ext = name.rpartition(".")
        candidate, n = name, 1
        while candidate in taken or (directory / candidate).exists():
            n += 1
            candidate = f"{stem}-{n}{dot}{ext}"
        taken.add(candidate)
        chosen.append(candidate)
    return chosen


@contextlib.contextmanager
def add_lock(index_dir: Path) -> Iterator[None]:
    """One ``add`` at a time (the check for duplicates and the write must not interleave)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".add.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


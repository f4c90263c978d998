"""Corpus ingest: every article file in the corpus folder → clean text + metadata, or a clear error.

Files are checked before they are opened: links must stay inside the corpus folder, only regular files up to
``MAX_ARTICLE_BYTES`` are read (a FIFO, a device or a 50 MB dump is refused without reading it).
"""

from __future__ import annotations

import hashlib
import logging
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import ArticleError, CorpusError
from bot.ingest.html_page import parse_html
from bot.ingest.markdown import parse_markdown, parse_text
from bot.models import Article, Source
from bot.text.safe import CONTROL

log = logging.getLogger(__name__)

MAX_ARTICLE_BYTES = 10 * 1024 * 1024
# Bump when article reading changes (what counts as boilerplate, metadata rules): the manifest records it, so
# `index status` reports the index stale and the next build re-reads every article.
READER_VERSION = 6  # 6: forwarded_from (Telegram channel posts)
Parser = Callable[[str, Path], tuple[Source, str]]
PARSERS: dict[str, Parser] = {".md": parse_markdown, ".markdown": parse_markdown, ".txt": parse_text,
                              ".html": parse_html, ".htm": parse_html}
# C0 control characters other than tab and newline (form feeds, escapes…) are dropped from article text.
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass
class Corpus:
    """The articles that were read, warnings about files skipped, and a fingerprint of every article file."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)


def decode(raw: bytes, path: Path | str) -> str:
    """UTF-8 text (BOM removed, CRLF/CR → LF, stray control characters dropped) or an ArticleError."""
    if raw.startswith(_UTF16_BOMS):
        raise ArticleError(path, "is UTF-16 text; save it as UTF-8")
    if b"\x00" in raw:
        raise ArticleError(path, "looks like a binary file (contains NUL bytes), not a text article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(path, f"is not valid UTF-8 (byte {exc.start}); save it as UTF-8") from None
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def unreadable_reason(path: Path, corpus_dir: Path) -> str | None:
    """Why ``path`` cannot be read as an article without opening it, or None when it can."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return "has a file name that is not valid UTF-8; rename it"
    try:
        if path.is_symlink() and not path.resolve(strict=True).is_relative_to(corpus_dir.resolve()):
            kind = "folder" if path.is_dir() else "file"
            return f"is a link to a {kind} outside the corpus folder; refused"
        info = path.stat()
    except RuntimeError:
        return "is a symbolic link loop"
    except FileNotFoundError:
        return "is a broken link (its target does not exist)"
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_size > MAX_ARTICLE_BYTES:
        return (f"is {info.st_size / 2**20:.1f} MB; articles over {MAX_ARTICLE_BYTES // 2**20} MB are refused "
                "(split it into smaller files)")
    return None


def read_article(path: Path, corpus_dir: Path) -> tuple[Article, str]:
    """Read and parse one article file; returns it with the sha256 of the file. The body must not be empty."""
    rel = path.relative_to(corpus_dir)
    problem = unreadable_reason(path, corpus_dir)
    if problem:
        raise ArticleError(rel, problem)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(rel, f"cannot be read: {exc.strerror}") from None
    digest = hashlib.sha256(raw).hexdigest()
    text = decode(raw, rel)
    try:
        source, body = PARSERS[path.suffix.lower()](text, rel)
    except ArticleError:
        raise
    except Exception as exc:  # any parser failure is a problem of this file: name it, never a traceback
        raise ArticleError(rel, f"cannot be parsed ({type(exc).__name__}: {exc})") from None
    body = body.strip()
    if not body:
        raise ArticleError(rel, "article body is empty")
    source = source.model_copy(update={"path": str(rel)})
    return Article(source=source, body=body, content_hash=digest), digest


def article_files(corpus_dir: Path) -> tuple[list[Path], list[str]]:
    """Candidate article files (sorted; links to folders outside included so they are refused), and warnings
    for files that are skipped because of their extension. Hidden files and folders are ignored."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"{corpus_dir}: corpus folder not found (set WAYHOME_CORPUS_DIR or --corpus)")
    files: list[Path] = []
    warnings: list[str] = []
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_dir():
            if path.is_symlink() and unreadable_reason(path, corpus_dir):
                files.append(path)
            continue
        if path.suffix.lower() not in PARSERS:
            warnings.append(f"{rel}: skipped, not an article (.md, .txt or .html)")
            continue
        files.append(path)
    return files, warnings


def fingerprint(path: Path, corpus_dir: Path) -> str:
    """sha256 of a readable article file; for a refused one, the reason (so it is never opened)."""
    problem = unreadable_reason(path, corpus_dir)
    if problem:
        return f"refused: {problem}"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"refused: {exc.strerror}"


def corpus_fingerprints(corpus_dir: Path) -> dict[str, str]:
    """Fingerprint of every candidate article file, by path relative to the corpus folder."""
    files, _ = article_files(corpus_dir)
    return {str(p.relative_to(corpus_dir)): fingerprint(p, corpus_dir) for p in files}


def duplicate_urls(read: list[tuple[Path, Article]]) -> dict[str, ArticleError]:
    """Articles whose url another article already has. The oldest file (by modification time, then path)
    keeps the url; each later one is an error naming both, so a newly dropped copy never displaces it."""
    by_url: dict[str, list[tuple[float, str]]] = {}
    for path, article in read:
        if article.source.url:
            by_url.setdefault(article.source.url, []).append((path.stat().st_mtime, article.source.path))
    errors: dict[str, ArticleError] = {}
    for url, owners in by_url.items():
        first, *later = sorted(owners)
        for _, rel in later:
            errors[rel] = ArticleError(rel, f"duplicate url {url} (also in {first[1]})")
    return errors


def _bad(corpus: Corpus, exc: ArticleError, skip_bad: bool) -> None:
    """Raise ``exc``, or with ``skip_bad`` record it as a warning."""
    if not skip_bad:
        raise exc
    corpus.warnings.append(f"{exc} (skipped)")
    log.debug("skipped %s: %s", exc.path, exc.problem)


def load_corpus(corpus_dir: Path, skip_bad: bool = False) -> Corpus:
    """Read every article. A bad file raises ArticleError unless ``skip_bad``, which turns it into a warning."""
    files, warnings = article_files(corpus_dir)
    corpus = Corpus(warnings=warnings)
    read: list[tuple[Path, Article]] = []
    for path in files:
        rel = str(path.relative_to(corpus_dir))
        try:
            article, corpus.fingerprints[rel] = read_article(path, corpus_dir)
        except ArticleError as exc:
            corpus.fingerprints[rel] = fingerprint(path, corpus_dir)
            _bad(corpus, exc, skip_bad)
            continue
        read.append((path, article))
    duplicates = duplicate_urls(read)
    for _, article in read:
        if article.source.path in duplicates:
            _bad(corpus, duplicates[article.source.path], skip_bad)
        else:
            corpus.articles.append(article)
    if not corpus.articles:
        raise CorpusError(f"{corpus_dir}: no articles to index (add .md, .txt or .html files)")
    return corpus

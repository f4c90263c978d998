"""Corpus ingest: every article file in the corpus folder → clean text + metadata, or a clear error."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ArticleError, CorpusError
from .ingest_html import parse_html
from .ingest_markdown import parse_markdown, parse_text
from .models import Article, Source

log = logging.getLogger(__name__)

MAX_ARTICLE_BYTES = 10 * 1024 * 1024
Parser = Callable[[str, Path], tuple[Source, str]]
PARSERS: dict[str, Parser] = {".md": parse_markdown, ".markdown": parse_markdown, ".txt": parse_text,
                              ".html": parse_html, ".htm": parse_html}


@dataclass
class Corpus:
    """The articles that were read, and warnings about files skipped."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 text (BOM and CRLF normalised) or an ArticleError."""
    if b"\x00" in raw:
        raise ArticleError(path, "looks like a binary file (contains NUL bytes), not a text article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(path, f"is not valid UTF-8 (byte {exc.start}); save it as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_article(path: Path, corpus_dir: Path) -> Article:
    """Read and parse one article file; the body must not be empty."""
    rel = path.relative_to(corpus_dir)
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise ArticleError(rel, f"is {size / 1e6:.1f} MB; articles over {MAX_ARTICLE_BYTES // 2**20} MB are refused")
    raw = path.read_bytes()
    text = decode(raw, rel)
    source, body = PARSERS[path.suffix.lower()](text, rel)
    body = body.strip()
    if not body:
        raise ArticleError(rel, "article body is empty")
    source = source.model_copy(update={"path": str(rel)})
    return Article(source=source, body=body, content_hash=hashlib.sha256(raw).hexdigest())


def article_files(corpus_dir: Path) -> tuple[list[Path], list[str]]:
    """Article files in the corpus (sorted), and warnings for files that are skipped."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"{corpus_dir}: corpus folder not found (set WAYHOME_CORPUS_DIR or --corpus)")
    files: list[Path] = []
    warnings: list[str] = []
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts) or path.is_dir():
            continue
        if path.suffix.lower() not in PARSERS:
            warnings.append(f"{rel}: skipped, not an article (.md, .txt or .html)")
            continue
        files.append(path)
    return files, warnings


def check_inside(path: Path, corpus_dir: Path) -> None:
    """Refuse links that point outside the corpus folder."""
    target = path.resolve()
    if not target.is_relative_to(corpus_dir.resolve()):
        raise ArticleError(path.relative_to(corpus_dir), "is a link to a file outside the corpus folder; refused")
    if not target.is_file():
        raise ArticleError(path.relative_to(corpus_dir), "is not a regular file")


def load_corpus(corpus_dir: Path, skip_bad: bool = False) -> Corpus:
    """Read every article. A bad file raises ArticleError unless ``skip_bad``, which turns it into a warning."""
    files, warnings = article_files(corpus_dir)
    corpus = Corpus(warnings=warnings)
    seen_urls: dict[str, str] = {}
    for path in files:
        try:
            check_inside(path, corpus_dir)
            article = read_article(path, corpus_dir)
            url = article.source.url
            if url and url in seen_urls:
                raise ArticleError(article.source.path, f"duplicate url {url} (also in {seen_urls[url]})")
            if url:
                seen_urls[url] = article.source.path
        except (ArticleError, OSError) as exc:
            if not skip_bad:
                if isinstance(exc, OSError):
                    raise ArticleError(path.relative_to(corpus_dir), f"cannot be read: {exc.strerror}") from None
                raise
            corpus.warnings.append(f"{exc} (skipped)")
            continue
        corpus.articles.append(article)
    if not corpus.articles:
        raise CorpusError(f"{corpus_dir}: no articles to index (add .md, .txt or .html files)")
    return corpus

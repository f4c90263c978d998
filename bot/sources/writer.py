"""Turn an extracted article into a corpus file and put it on disk safely.

Takes: an ``ExtractedArticle`` (or a body text). Gives: the Markdown text with YAML front matter
(``to_markdown``), a file name slug (``article_filename``), a new file written atomically that never replaces an
existing one (``write_new_file``), and a fingerprint of the body to spot the same text added twice
(``body_fingerprint``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import yaml
from unidecode import unidecode

from bot.ingest.extract import ExtractedArticle

log = logging.getLogger(__name__)

FRONT_MATTER_KEYS = ("title", "publisher", "url", "published", "author")
MAX_NAME_CHARS = 80
MAX_TRIES = 1000
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS}


def to_markdown(article: ExtractedArticle) -> str:
    """Front matter (title, publisher, url, published, author), ``---``, a blank line, the paragraphs separated
    by blank lines, one final newline."""
    values = {"title": article.title, "publisher": article.publisher, "url": article.url,
              "published": article.published, "author": article.author}
    lines = ["---"]
    for key in FRONT_MATTER_KEYS:
        value = " ".join(values[key].split())
        if not value:
            lines.append(f"{key}:")
        elif key == "published" and _ISO_DATE.match(value):
            lines.append(f"published: {value}")
        elif key == "published":
            log.warning("leaving 'published' empty: %r is not YYYY-MM-DD", value)
            lines.append("published:")
        else:
            lines.append(yaml.safe_dump({key: value}, allow_unicode=True, width=1_000_000).rstrip("\n"))
    lines += ["---", ""]
    body = "\n\n".join(p.strip() for p in article.paragraphs if p.strip())
    return "\n".join(lines) + "\n" + body + "\n"


def article_filename(article: ExtractedArticle) -> str:
    """``YYYY-MM-DD-title-words.md`` (ASCII, at most ``MAX_NAME_CHARS``); no date prefix when the date is unknown."""
    prefix = f"{article.published}-" if _ISO_DATE.match(article.published) else ""
    slug = _NON_SLUG.sub("-", unidecode(article.title).lower()).strip("-") or "article"
    room = MAX_NAME_CHARS - len(prefix) - len(".md")
    if len(slug) > room:
        cut = slug[:room + 1].rfind("-")
        slug = slug[:cut] if cut > 0 else slug[:room]
    return f"{prefix}{slug.strip('-')}.md"


def body_fingerprint(text: str) -> str:
    """SHA-256 (hex) of the text with Unicode normalised (NFKC), whitespace collapsed and case folded."""
    canonical = " ".join(unicodedata.normalize("NFKC", text).split()).casefold()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def write_new_file(directory: Path, name: str, text: str) -> Path:
    """Write ``text`` (UTF-8) as ``directory/name``, or ``stem-2.ext``, ``stem-3.ext``... if the name is taken.

    The text goes to a hidden temporary file in the same directory, is fsynced, then hard-linked under the new
    name (a link never replaces an existing file) and the temporary file removed: the directory never holds a
    half-written article, even on failure. Returns the path written."""
    if not name or name != Path(name).name or name.startswith("."):
        raise ValueError(f"not a plain, visible file name: {name!r}")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        target = _link_new(tmp, directory, name)
        _fsync_directory(directory)
        return target
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _candidates(directory: Path, name: str) -> list[Path]:
    stem, dot, ext = name.rpartition(".")
    if not stem:
        stem, dot, ext = name, "", ""
    return [directory / name] + [directory / f"{stem}-{n}{dot}{ext}" for n in range(2, MAX_TRIES + 1)]


def _link_new(tmp: Path, directory: Path, name: str) -> Path:
    """Give ``tmp`` the first free name with ``os.link`` (fails if the name exists). On file systems without
    hard links, fall back to a rename after checking the name is free (not atomic against a concurrent writer)."""
    for target in _candidates(directory, name):
        try:
            os.link(tmp, target)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
            if target.exists():
                continue
            log.debug("no hard links in %s (%s): renaming", directory, exc)
            os.rename(tmp, target)
        return target
    raise FileExistsError(f"{directory}: {name} and {MAX_TRIES - 1} numbered variants all exist")


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. platforms that cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)

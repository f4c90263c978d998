"""Telegram channel posts as corpus documents: one ``telegram/NAME/ID.md`` per post, written all or nothing.

Takes: ``Post``s (from an export, a preview page or the live bot). Gives: the document of a post (YAML front
matter — title, publisher, published, url, ``forwarded_from`` when set — and the text verbatim), and a
``Staging``: posts are compared one by one with the corpus (a post is identified by channel + id, so a new one
is *added*, a changed one *replaced*, the same one left alone) and the changed documents written to a hidden
folder inside the corpus, so any number of posts takes bounded memory and a failure half-way leaves the corpus
as it was. ``Staging.commit`` moves them into place, keeping the replaced files until ``discard`` (after the
index was refreshed) or putting them back with ``rollback``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ArticleError
from bot.ingest.fields import clean_field
from bot.ingest.markdown import parse_markdown
from bot.models import Source
from bot.sources.fetch import SourceError

FOLDER = "telegram"
TITLE_CHARS = 100
USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{2,31}$")
ADDED, REPLACED = "added", "replaced"
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when PyYAML has it: same YAML, faster


@dataclass(frozen=True)
class Post:
    """One channel post with text. ``channel`` is the public username, or ``c/<id>`` for a channel without
    one (its links then open for members only); ``date`` is ISO 8601 as the source gives it."""

    channel: str
    channel_title: str
    id: int
    date: str
    text: str
    forwarded_from: str = ""

    @property
    def url(self) -> str:
        return f"https://t.me/{self.channel}/{self.id}"

    @property
    def path(self) -> Path:
        """Where the post lives, relative to the corpus folder (usernames are case-insensitive)."""
        return Path(FOLDER) / self.channel.replace("/", "").lower() / f"{self.id}.md"


def username(value: str) -> str:
    """A channel username as given (``@name``, ``name``, ``https://t.me/name``) without decoration; a
    SourceError when it cannot be one."""
    name = value.strip().removeprefix("https://").removeprefix("t.me/").removeprefix("@").strip("/")
    if not USERNAME.match(name):
        raise SourceError(value, "is not a Telegram channel username (letters, digits and _, 3 to 32 characters)")
    return name


def post_title(text: str, post_id: int) -> str:
    """The post's first non-empty line (cut at a word to ``TITLE_CHARS``), or 'Post ID'."""
    for line in text.splitlines():
        line = clean_field(line)
        if line:
            if len(line) <= TITLE_CHARS:
                return line
            cut = line[:TITLE_CHARS].rsplit(" ", 1)[0]
            return cut.rstrip(" ,;:—-") + "…"
    return f"Post {post_id}"


def post_document(post: Post) -> str:
    """The corpus file of ``post``: front matter, ``---``, a blank line, the text verbatim, one final newline."""
    meta = {"title": post_title(post.text, post.id), "publisher": clean_field(post.channel_title),
            "published": post.date, "url": post.url}
    if post.forwarded_from.strip():
        meta["forwarded_from"] = clean_field(post.forwarded_from)
    head = yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{head}---\n\n{post.text.strip()}\n"


def post_source(document: str, path: Path) -> Source:
    """What the corpus reader makes of a post's document (a SourceError if it would refuse it)."""
    try:
        source, body = parse_markdown(document, path)
    except ArticleError as exc:
        raise SourceError(str(path), f"cannot be stored as an article ({exc.problem})") from None
    if not body.strip():
        raise SourceError(str(path), "post text is empty")
    return source


@dataclass(frozen=True)
class Change:
    """A post document that differs from the corpus: ``kind`` is ``added`` or ``replaced``."""

    kind: str
    path: Path
    source: Source



@dataclass
class Staging:
    """Changed post documents waiting in a hidden folder of the corpus (ignored by the corpus reader)."""

    corpus_dir: Path
    folder: Path
    changes: dict[Path, Change] = field(default_factory=dict)
    unchanged: int = 0
    _backups: list[tuple[Path, Path]] = field(default_factory=list)
    _moved: list[Path] = field(default_factory=list)

    @classmethod
    def open(cls, corpus_dir: Path) -> Staging:
        corpus_dir.mkdir(parents=True, exist_ok=True)
        return cls(corpus_dir, Path(tempfile.mkdtemp(dir=corpus_dir, prefix=".telegram-import-")))

    def stage(self, posts: Iterable[Post]) -> None:
        """Compare each post with the corpus; write those that are new or changed (a later copy of the same
        post wins)."""
        for post in posts:
            document = post_document(post)
            source = post_source(document, post.path)
            target = self.corpus_dir / post.path
            try:
                same = target.read_text(encoding="utf-8") == document
            except (FileNotFoundError, UnicodeDecodeError):
                same = False
            if same and post.path not in self.changes:
                self.unchanged += 1
                continue
            staged = self.folder / post.path
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_text(document, encoding="utf-8")
            kind = REPLACED if target.exists() else ADDED
            self.changes.setdefault(post.path, Change(kind, post.path, source))

    def commit(self) -> None:
        """Move the staged documents into the corpus; the files they replace are kept until ``discard``."""
        backups = self.folder / ".replaced"
        for rel in self.changes:
            target = self.corpus_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                backup = backups / rel
                backup.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, backup)
                self._backups.append((backup, target))
            os.replace(self.folder / rel, target)
            self._moved.append(target)

    def rollback(self) -> None:
        """Undo ``commit``: remove the new documents, put the replaced ones back, drop the staging folder."""
        for target in self._moved:
            target.unlink(missing_ok=True)
        for backup, target in self._backups:
            os.replace(backup, target)
        for target in self._moved:  # folders the import created and left empty
            with contextlib.suppress(OSError):
                target.parent.rmdir()
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

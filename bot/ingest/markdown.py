"""Markdown and plain-text articles: optional YAML front matter, verbatim body."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ArticleError
from bot.ingest.fields import clean_field, normalise_date
from bot.models import Source

FIELDS = ("title", "publisher", "url", "published", "author", "forwarded_from")
# Common spellings of the same fields in other tools' front matter (the first one present wins).
ALIASES = {"publisher": ("source", "site", "site_name"), "url": ("link", "canonical", "canonical_url"),
           "published": ("date", "published_at", "pubdate"), "author": ("authors", "byline")}
# libyaml's loader when PyYAML has it (the same YAML, ~10x faster: a 20,000-post channel is 20,000 files).
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FENCE = re.compile(r"---[ \t]*\n")
_CLOSING = re.compile(r"^---[ \t]*$", re.MULTILINE)


def _load(raw: str) -> Any:
    """YAML with libyaml; what it refuses is read again by PyYAML's own loader, which accepts a little more
    (escaped lone surrogates, repaired later) and words its errors as the messages users see."""
    try:
        return yaml.load(raw, Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return yaml.safe_load(raw)


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """Return (front matter mapping, body). A file without a leading ``---`` line has no front matter."""
    opening = _FENCE.match(text)
    if opening is None:
        return {}, text
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        raise ArticleError(path, "front matter starts with '---' but has no closing '---' line")
    raw = text[opening.end() : closing.start()]
    body = text[closing.end() :].lstrip("\n")
    try:
        data = _load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise ArticleError(path, f"malformed YAML front matter{where}: {getattr(exc, 'problem', exc)}") from None
    except RecursionError:
        raise ArticleError(path, "malformed YAML front matter: nested too deeply") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ArticleError(path, "front matter must be a YAML mapping of title, publisher, url, published, author")
    return data, body


def _field(data: dict[str, Any], name: str) -> Any:
    """The value of ``name`` in the front matter, or of its first alias present."""
    for key in (name, *ALIASES.get(name, ())):
        if data.get(key) not in (None, ""):
            return data[key]
    return None


def _text_value(value: Any, name: str, path: Path) -> str:
    """A scalar front matter value as text (a list of authors is joined); anything else is an error."""
    if value is None:
        return ""
    if isinstance(value, list) and name == "author" and all(isinstance(v, str) for v in value):
        return clean_field(", ".join(v.strip() for v in value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool):
        return clean_field(str(value))
    raise ArticleError(path, f"front matter field '{name}' must be text, got {type(value).__name__}")


def source_from_front_matter(data: dict[str, Any], path: Path) -> Source:
    """Build a Source from front matter; unknown fields stay empty."""
    values = {name: normalise_date(_field(data, name), path) if name == "published"
              else _text_value(_field(data, name), name, path) for name in FIELDS}
    return Source(path=str(path), **values)


def parse_markdown(text: str, path: Path) -> tuple[Source, str]:
    """A ``.md`` or ``.txt`` article: front matter (optional) and body. Without front matter, a title line and
    a byline at its head are its metadata (see ``ingest_header``); anything they do not name stays empty."""
    from bot.ingest.header import split_header

    data, body = split_front_matter(text, path)
    if _FENCE.match(text) is None:
        data, body = split_header(body)
    return source_from_front_matter(data, path), body


parse_text = parse_markdown

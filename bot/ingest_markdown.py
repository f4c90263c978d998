"""Markdown and plain-text articles: optional YAML front matter, verbatim body."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from .errors import ArticleError
from .models import Source

FIELDS = ("title", "publisher", "url", "published", "author")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """Return (front matter mapping, body). A file without a leading ``---`` line has no front matter."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 3)
    while end != -1 and text[end + 4 : end + 5] not in ("\n", ""):
        end = text.find("\n---", end + 4)
    if end == -1:
        raise ArticleError(path, "front matter starts with '---' but has no closing '---' line")
    raw = text[4 : end + 1]
    body = text[end + 4 :].lstrip("\n")
    try:
        data = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise ArticleError(path, f"malformed YAML front matter{where}: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ArticleError(path, "front matter must be a YAML mapping of title, publisher, url, published, author")
    return data, body


def normalise_date(value: Any, path: Path) -> str:
    """ISO date string (YYYY-MM-DD) or empty; anything else is an error naming the file."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise ArticleError(path, f"'published' is not an ISO date (YYYY-MM-DD): {text!r}") from None


def source_from_front_matter(data: dict[str, Any], path: Path) -> Source:
    """Build a Source from front matter; unknown fields stay empty."""
    values: dict[str, str] = {}
    for field in FIELDS:
        value = data.get(field)
        if field == "published":
            values[field] = normalise_date(value, path)
        elif value is None:
            values[field] = ""
        elif isinstance(value, str | int | float):
            values[field] = str(value).strip()
        else:
            raise ArticleError(path, f"front matter field '{field}' must be text, got {type(value).__name__}")
    return Source(path=str(path), **values)


def parse_markdown(text: str, path: Path) -> tuple[Source, str]:
    """A ``.md`` article: front matter (optional) and body."""
    data, body = split_front_matter(text, path)
    return source_from_front_matter(data, path), body


def parse_text(text: str, path: Path) -> tuple[Source, str]:
    """A ``.txt`` article: all of it is body, metadata unknown (or front matter if present)."""
    return parse_markdown(text, path)

"""Metadata field values as every reader stores them: one clean line of text, dates as ISO strings.

Shared by the front-matter reader (``markdown``), the pasted-header reader (``header``) and the HTML reader.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from bot.errors import ArticleError
from bot.text.safe import strip_controls


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


def clean_field(text: str) -> str:
    """A metadata value on one line: lone surrogates (possible through YAML escapes) replaced, control
    characters dropped, runs of whitespace collapsed."""
    return " ".join(strip_controls(text, " ").split())

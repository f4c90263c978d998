"""The head of an article dropped in without front matter: a title line and a byline, as people paste them.

    Why a small movement of soldiers' wives worries the Kremlin        <- title: one short line, no full stop
                                                                          (or a Markdown "# " heading)
    By Ruth Calloway, The Meridian Review | 22 April 2024              <- byline: "By" author[, publisher],
                                                                          and/or a date, split by | — – · •
Both become metadata (title, author, publisher, published) and leave the body, as front matter would; what
the lines do not say stays empty. A first paragraph that reads like a sentence is body, never a title.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.ingest.fields import clean_field

TITLE_MAX_CHARS = 150
BYLINE_MAX_CHARS = 160
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SEPARATORS = re.compile(r"\s+[|\u2014\u2013\u00b7\u2022]\s+|\s+-\s+")
_BY = re.compile(r"^by\s+(?=\S)", re.IGNORECASE)
_DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %b %Y", "%b %d, %Y", "%b %d %Y", "%Y-%m-%d",
                 "%d.%m.%Y", "%d/%m/%Y", "%b. %d, %Y")
_DATE_LEAD = re.compile(r"^(?:published|updated|posted|on)\s*:?\s*", re.IGNORECASE)


def parse_date(text: str) -> str:
    """ISO date of a byline part such as "22 April 2024", "April 22, 2024" or "2024-04-22"; "" if it is not
    one (a weekday or time after the date is allowed: "Monday 22 April 2024, 10:15")."""
    text = _DATE_LEAD.sub("", text.strip().rstrip("."))
    text = re.sub(r"^(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r",?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?$", "", text, flags=re.I)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return ""


def _first_paragraph(body: str) -> tuple[str, str]:
    """The first paragraph of ``body`` and the rest (leading blank lines dropped)."""
    body = body.lstrip("\n")
    split = _BLANK_LINE.search(body)
    return (body[: split.start()], body[split.end() :]) if split else (body, "")


def title_line(paragraph: str) -> str:
    """The title a first paragraph stands for: a Markdown "# " heading, or one short line that does not end
    like a sentence (a full stop, colon or comma); "" when it is body text."""
    line = paragraph.strip()
    if not line or "\n" in line or len(line) > TITLE_MAX_CHARS:
        return ""
    if line.startswith("# "):
        return clean_field(line[2:])
    if line.startswith("#") or line.endswith((".", ":", ",", ";")):
        return ""
    if not line[0].isalnum() and line[0] not in "\"'\u201c\u2018\u00ab":
        return ""
    return clean_field(line)


def byline(paragraph: str) -> dict[str, str]:
    """Author, publisher and date named by a byline paragraph; {} when the paragraph is not a byline."""
    line = paragraph.strip()
    if not line or "\n" in line or len(line) > BYLINE_MAX_CHARS:
        return {}
    found: dict[str, str] = {}
    rest: list[str] = []
    for part in (p.strip() for p in _SEPARATORS.split(line)):
        date = parse_date(part)
        if date and "published" not in found:
            found["published"] = date
        elif _BY.match(part) and "author" not in found:
            author, _, publisher = _BY.sub("", part).partition(", ")
            found["author"] = clean_field(author)
            if publisher:
                rest.append(publisher)
        elif part:
            rest.append(part)
    if not found or (rest and "author" not in found) or len(rest) > 1:
        return {}  # a date or "By …" is what makes a byline; anything else unexplained means it is text
    if rest:
        found["publisher"] = clean_field(rest[0])
    return found


def split_header(body: str) -> tuple[dict[str, str], str]:
    """Metadata named by the title line and byline at the head of ``body``, and the body without them."""
    first, rest = _first_paragraph(body)
    found: dict[str, str] = {}
    title = title_line(first)
    if title and rest.strip():  # a one-line article is body, not a title
        found["title"], body = title, rest
        first, rest = _first_paragraph(body)
    named = byline(first)
    if named and rest.strip():
        found.update(named)
        body = rest
    return found, body

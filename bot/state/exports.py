"""CSV for a spreadsheet: the votes (``wayhome feedback export --csv``) and the kept questions
(``wayhome questions export --csv``). Text cells a spreadsheet would run as a formula get a leading apostrophe."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

VOTES_HEADER = ("day", "vote", "language", "chunk_ids")
QUESTIONS_HEADER = ("day", "language", "answered", "question")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_votes(rows: Iterable[tuple[str, str, str, list[str]]], out: TextIO) -> int:
    """A header and one line per vote; the number of votes written."""
    return _write(out, VOTES_HEADER, ((day, vote, language, _cell(" ".join(chunks)))
                                      for day, vote, language, chunks in rows))


def write_questions(rows: Iterable[tuple[str, str, bool, str]], out: TextIO) -> int:
    """A header and one line per kept question; the number written."""
    return _write(out, QUESTIONS_HEADER, ((day, language, "yes" if answered else "no", _cell(text))
                                          for day, language, answered, text in rows))


def _write(out: TextIO, header: tuple[str, ...], lines: Iterable[tuple[str, ...]]) -> int:
    writer = csv.writer(out)
    writer.writerow(header)
    count = 0
    for line in lines:
        writer.writerow(line)
        count += 1
    return count


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text

"""Feedback votes in and out of files: the old ``feedback.jsonl`` log, and CSV for a spreadsheet.

Takes: JSONL lines (as written by the Telegram bot's ``FeedbackLog`` — ``time``/``answer``/``user``/``vote``/
``question``/``chunk_ids`` — or with ``ts``/``answer_id``/``user_hash`` spellings), or vote rows.
Gives: ``VoteRow`` values (``parse_jsonl``; malformed lines skipped with a warning) and CSV text (``write_csv``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

log = logging.getLogger(__name__)

VOTES = ("up", "down")
CSV_HEADER = ("time", "answer_id", "user_hash", "vote", "question", "chunk_ids")
_ALIASES = {"ts": ("ts", "time", "timestamp"), "answer_id": ("answer_id", "answer"),
            "user_hash": ("user_hash", "user"), "vote": ("vote",), "question": ("question",),
            "chunk_ids": ("chunk_ids",)}
# Cells a spreadsheet would run as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class VoteRow:
    """One vote; ``ts`` is a Unix time, or None when the source did not say."""

    answer_id: str
    user_hash: str
    vote: str
    question: str
    chunk_ids: tuple[str, ...]
    ts: float | None


def parse_jsonl(lines: Iterable[str], source: str) -> Iterator[VoteRow]:
    """The votes in JSONL ``lines``; a line that is not a JSON object with an answer id and an up/down vote is
    skipped with a warning naming ``source`` and the line number. Missing optional fields become empty."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            log.warning("%s:%d: skipped, not JSON (%s)", source, number, exc)
            continue
        row = _row(record) if isinstance(record, dict) else None
        if row is None:
            log.warning("%s:%d: skipped, no answer id or no up/down vote", source, number)
            continue
        yield row


def _field(record: dict[str, Any], name: str) -> Any:
    return next((record[key] for key in _ALIASES[name] if record.get(key) not in (None, "")), None)


def _row(record: dict[str, Any]) -> VoteRow | None:
    answer_id = _field(record, "answer_id")
    vote = str(_field(record, "vote") or "").strip().lower()
    if answer_id is None or isinstance(answer_id, dict | list) or vote not in VOTES:
        return None
    chunks = _field(record, "chunk_ids")
    chunk_ids = tuple(str(c) for c in chunks) if isinstance(chunks, list) else ()
    return VoteRow(answer_id=str(answer_id), user_hash=str(_field(record, "user_hash") or ""), vote=vote,
                   question=str(_field(record, "question") or ""), chunk_ids=chunk_ids,
                   ts=parse_time(_field(record, "ts")))


def parse_time(value: Any) -> float | None:
    """A Unix time from a number or an ISO 8601 string (naive means UTC); None when absent or unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.timestamp()
    return None


def format_time(ts: float | None) -> str:
    """ISO 8601 UTC to the second, or "" for an unknown time."""
    if ts is None:
        return ""
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds")


def write_csv(rows: Iterable[VoteRow], out: TextIO) -> int:
    """Write a header and one line per vote; returns the number of votes written. Text cells that a
    spreadsheet would evaluate as a formula get a leading apostrophe."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    count = 0
    for row in rows:
        writer.writerow((format_time(row.ts), _cell(row.answer_id), _cell(row.user_hash), row.vote,
                         _cell(row.question), _cell(" ".join(row.chunk_ids))))
        count += 1
    return count


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text

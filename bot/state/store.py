"""The bot's durable state in one SQLite file: answers shown, votes on them, and a log of questions for stats.

Takes: a file path (created on first use) and calls from any thread of one process (several processes work
too: WAL journal and a busy timeout). Gives: ``StateStore`` with ``save_answer``/``load_answer``/``purge``,
``record_vote``/``vote_counts``, ``record_question``/``stats``, ``import_jsonl`` (an old ``feedback.jsonl``,
once) and ``export_csv``. Answer payloads are stored as JSON, never pickled.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from .feedback_io import VOTES, VoteRow, parse_jsonl, write_csv
from .schema import connect

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Expired:
    """``load_answer``'s result for an answer that exists but is older than the allowed age."""

    answer_id: str
    created: float
    age_s: float


@dataclass(frozen=True)
class Stats:
    """Counts since a moment: questions answered and refused (not found / off-topic), votes up and down."""

    answered: int
    refused: int
    up: int
    down: int

    @property
    def asked(self) -> int:
        return self.answered + self.refused


_UPSERT_VOTE = """
    INSERT INTO votes (answer_id, user_hash, vote, question, chunk_ids, ts) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (answer_id, user_hash) DO UPDATE SET
        vote = excluded.vote, question = excluded.question, chunk_ids = excluded.chunk_ids, ts = excluded.ts
"""
# An imported vote replaces a stored one only if it is not older (a re-import never undoes a later vote).
_IMPORT_VOTE = _UPSERT_VOTE + " WHERE votes.ts IS NULL OR (excluded.ts IS NOT NULL AND excluded.ts >= votes.ts)"


class StateStore:
    """One SQLite connection shared by the threads of a process, serialised by a lock."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = connect(self.path)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def _transaction(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        """The connection inside ``BEGIN [IMMEDIATE]`` ... ``COMMIT`` (``ROLLBACK`` on error), under the lock."""
        with self._lock:
            if self._conn is None:
                raise RuntimeError(f"{self.path}: state store is closed")
            self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def transaction(self, write: bool = True) -> AbstractContextManager[sqlite3.Connection]:
        """The connection inside a transaction, for the state's other tables (``languages``, ``subscribers``)."""
        return self._transaction(write)

    # --- answers -------------------------------------------------------------------------------------------

    def save_answer(self, answer_id: str, payload: dict[str, Any], now: float | None = None) -> None:
        """Store (or replace) an answer's JSON payload; raises TypeError/ValueError if it is not JSON-able."""
        text = json.dumps(payload, ensure_ascii=False, allow_nan=False)
        with self._transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO answers (answer_id, created, payload) VALUES (?, ?, ?)",
                         (answer_id, _now(now), text))

    def load_answer(self, answer_id: str, max_age_s: float,
                    now: float | None = None) -> dict[str, Any] | Expired | None:
        """The payload; ``Expired`` if it is older than ``max_age_s``; None if unknown (or unreadable)."""
        with self._transaction(write=False) as conn:
            row = conn.execute("SELECT created, payload FROM answers WHERE answer_id = ?", (answer_id,)).fetchone()
        if row is None:
            return None
        created, text = float(row[0]), str(row[1])
        age = _now(now) - created
        if age > max_age_s:
            return Expired(answer_id, created, age)
        try:
            payload = json.loads(text)
        except ValueError:
            log.warning("%s: answer %s has a payload that is not JSON; ignoring it", self.path, answer_id)
            return None
        return payload if isinstance(payload, dict) else None

    def purge(self, max_age_s: float, now: float | None = None) -> int:
        """Delete answers older than ``max_age_s``; returns how many. Votes and the question log are kept."""
        with self._transaction() as conn:
            cursor = conn.execute("DELETE FROM answers WHERE created < ?", (_now(now) - max_age_s,))
        return cursor.rowcount

    # --- votes ---------------------------------------------------------------------------------------------

    def record_vote(self, answer_id: str, user_hash: str, vote: str, question: str, now: float | None = None,
                    *, chunk_ids: Sequence[str] = ()) -> None:
        """One vote per user per answer: a second vote by the same user replaces the first."""
        if vote not in VOTES:
            raise ValueError(f"vote must be one of {VOTES}, not {vote!r}")
        with self._transaction() as conn:
            conn.execute(_UPSERT_VOTE, (answer_id, user_hash, vote, question, json.dumps(list(chunk_ids)),
                                        _now(now)))

    def vote_counts(self, since: float | None = None) -> dict[str, int]:
        """``{"up": n, "down": m}`` for votes cast at or after ``since`` (all votes when None; votes imported
        without a time count only then)."""
        with self._transaction(write=False) as conn:
            return _vote_counts(conn, since)

    # --- questions and stats -------------------------------------------------------------------------------

    def record_question(self, answered: bool, language: str, now: float | None = None) -> None:
        """Log that a question was asked (no text: only whether it was answered, and its language)."""
        with self._transaction() as conn:
            conn.execute("INSERT INTO questions (ts, answered, language) VALUES (?, ?, ?)",
                         (_now(now), int(answered), language))

    def stats(self, since: float) -> Stats:
        """Questions answered/refused and votes up/down from ``since`` on."""
        with self._transaction(write=False) as conn:
            answered, refused = conn.execute(
                "SELECT COALESCE(SUM(answered), 0), COALESCE(SUM(1 - answered), 0) FROM questions WHERE ts >= ?",
                (since,)).fetchone()
            votes = _vote_counts(conn, since)
        return Stats(int(answered), int(refused), votes["up"], votes["down"])

    # --- files ---------------------------------------------------------------------------------------------

    def import_jsonl(self, path: Path) -> int:
        """Import the votes of an old ``feedback.jsonl`` once: the file's path and SHA-256 are remembered, and
        the same file again imports nothing. Returns the number of votes read (0 when already imported)."""
        data = Path(path).read_bytes()
        key = f"imported:{Path(path).resolve()}:{hashlib.sha256(data).hexdigest()}"
        rows = list(parse_jsonl(data.decode("utf-8", errors="replace").splitlines(), str(path)))
        with self._transaction() as conn:
            if conn.execute("SELECT 1 FROM meta WHERE key = ?", (key,)).fetchone() is not None:
                log.info("%s: already imported", path)
                return 0
            conn.executemany(_IMPORT_VOTE, [(r.answer_id, r.user_hash, r.vote, r.question,
                                             json.dumps(list(r.chunk_ids)), r.ts) for r in rows])
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)",
                         (key, json.dumps({"rows": len(rows), "at": time.time()})))
        log.info("%s: imported %d votes", path, len(rows))
        return len(rows)

    def export_csv(self, out: TextIO) -> int:
        """All votes as CSV (header ``time,answer_id,user_hash,vote,question,chunk_ids``), oldest first;
        returns the number of votes written."""
        with self._transaction(write=False) as conn:
            rows = conn.execute("SELECT answer_id, user_hash, vote, question, chunk_ids, ts FROM votes "
                                "ORDER BY ts IS NOT NULL, ts, answer_id, user_hash").fetchall()
        return write_csv((VoteRow(str(a), str(u), str(v), str(q), _chunk_ids(c), t) for a, u, v, q, c, t in rows),
                         out)


def _vote_counts(conn: sqlite3.Connection, since: float | None) -> dict[str, int]:
    query = "SELECT vote, COUNT(*) FROM votes"
    args: tuple[float, ...] = ()
    if since is not None:
        query, args = query + " WHERE ts >= ?", (since,)
    counts = dict(conn.execute(query + " GROUP BY vote", args).fetchall())
    return {vote: int(counts.get(vote, 0)) for vote in VOTES}


def _now(now: float | None) -> float:
    return time.time() if now is None else float(now)


def _chunk_ids(text: object) -> tuple[str, ...]:
    try:
        value = json.loads(str(text))
    except ValueError:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else ()

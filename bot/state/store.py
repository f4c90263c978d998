"""The bot's durable state in one SQLite file: answers behind buttons, votes, question counts (and, only when
the operator asks for them, question texts) — none of it linked to a person.

Takes: a file path (created 0600 on first use; the state key is read from, or created in, the same folder)
and calls from any thread of one process (several processes work too: WAL journal and a busy timeout). Gives:
``StateStore`` with ``save_answer``/``load_answer``/``purge``, ``record_vote``/``vote_counts``,
``record_question``/``stats``, ``forget`` (everything linked to one user), ``rotate_key`` and CSV exports.
Answer payloads are JSON, never pickled. Times of votes and questions are kept as days (UTC), never instants.
"""

from __future__ import annotations

import datetime as dt
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

from . import exports, questions, votes
from .forget import FORGETTERS, Person
from .key import keyed_hash, load_key, new_key
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
    """Counts since a day: questions answered and refused (not found / off-topic), votes up and down."""

    answered: int
    refused: int
    up: int
    down: int

    @property
    def asked(self) -> int:
        return self.answered + self.refused


def day_of(ts: float | None = None) -> str:
    """The UTC day (YYYY-MM-DD) of a Unix time (now when None)."""
    return dt.datetime.fromtimestamp(time.time() if ts is None else ts, dt.UTC).date().isoformat()


class StateStore:
    """One SQLite connection shared by the threads of a process, serialised by a lock."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = connect(self.path)
        try:
            self._key = load_key(self.path.parent)
        except BaseException:
            self.close()
            raise

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

    def _checkpoint(self) -> None:
        """Copy the WAL into the file and empty it, so deleted rows do not linger in the WAL."""
        with self._lock:
            if self._conn is not None:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- answers -------------------------------------------------------------------------------------------

    def save_answer(self, answer_id: str, payload: dict[str, Any], now: float | None = None) -> None:
        """Store (or replace) an answer's JSON payload; raises TypeError/ValueError if it is not JSON-able."""
        text = json.dumps(payload, ensure_ascii=False, allow_nan=False)
        with self._transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO answers (answer_id, created, payload) VALUES (?, ?, ?)",
                         (answer_id, _now(now), text))

    def update_answer(self, answer_id: str, payload: dict[str, Any]) -> None:
        """Replace a stored answer's payload, keeping its age."""
        text = json.dumps(payload, ensure_ascii=False, allow_nan=False)
        with self._transaction() as conn:
            conn.execute("UPDATE answers SET payload = ? WHERE answer_id = ?", (text, answer_id))

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
            log.warning("%s: a stored answer's payload is not JSON; ignoring it", self.path)
            return None
        return payload if isinstance(payload, dict) else None

    def purge(self, max_age_s: float, now: float | None = None) -> int:
        """Delete answers older than ``max_age_s`` and unlink the votes cast on them; how many answers."""
        with self._transaction() as conn:
            deleted = conn.execute("DELETE FROM answers WHERE created < ?", (_now(now) - max_age_s,)).rowcount
            votes.unlink(conn)
        self._checkpoint()
        return int(deleted)

    # --- votes ---------------------------------------------------------------------------------------------

    def record_vote(self, answer_id: str, user_id: int, vote: str, language: str = "",
                    chunk_ids: Sequence[str] = (), now: float | None = None) -> str:
        """One vote per user per answer (a different one replaces it); ``votes.VOTED`` or ``votes.ALREADY``.
        The user id is only hashed with the state key, never stored."""
        with self._transaction() as conn:
            return votes.record(conn, self._key, answer_id, user_id, vote, language, chunk_ids, day_of(now))

    def vote_counts(self, since: float | None = None) -> dict[str, int]:
        """``{"up": n, "down": m}`` for votes cast on or after the day of ``since`` (all votes when None)."""
        with self._transaction(write=False) as conn:
            return votes.counts(conn, None if since is None else day_of(since))

    # --- questions and stats -------------------------------------------------------------------------------

    def record_question(self, answered: bool, language: str, text: str | None = None,
                        now: float | None = None) -> None:
        """Count a question (answered or not, its language, its day); keep ``text`` only when given (the
        operator's ``WAYHOME_KEEP_QUESTIONS``) — with the day and nothing that says who asked."""
        with self._transaction() as conn:
            questions.record(conn, answered, language, day_of(now), text)

    def stats(self, since: float) -> Stats:
        """Questions answered/refused and votes up/down from the day of ``since`` on."""
        with self._transaction(write=False) as conn:
            answered, refused = questions.counts(conn, day_of(since))
            counted = votes.counts(conn, day_of(since))
        return Stats(answered, refused, counted["up"], counted["down"])

    # --- people and the key --------------------------------------------------------------------------------

    def user_key(self, scope: str, user_id: int) -> str:
        """A stand-in for ``user_id`` in a per-user table named ``scope`` (a keyed hash under the state key: no
        built-in salt; it stops matching when the key is rotated). Store this, never the id."""
        return keyed_hash(self._key, scope, str(user_id))

    def forget(self, user_id: int, chat_id: int | None = None) -> dict[str, int]:
        """Delete everything linked to ``user_id`` (every deleter in ``forget.FORGETTERS``, one transaction);
        rows deleted per table."""
        person = Person(user_id, chat_id, self._key)
        with self._transaction() as conn:
            deleted = {name: deleter(conn, person) for name, deleter in FORGETTERS.items()}
        self._checkpoint()
        return deleted

    def rotate_key(self) -> int:
        """A new state key; every vote loses its voter hash (past votes can no longer be told apart). Returns
        the number of votes unlinked."""
        with self._transaction() as conn:
            unlinked = votes.unlink(conn, everything=True)
            self._key = new_key(self.path.parent)
        self._checkpoint()
        return unlinked

    # --- files ---------------------------------------------------------------------------------------------

    def export_csv(self, out: TextIO) -> int:
        """All votes as CSV (``day,vote,language,chunk_ids``), oldest first; the number written."""
        with self._transaction(write=False) as conn:
            return exports.write_votes(list(votes.rows(conn)), out)

    def export_questions(self, out: TextIO) -> int:
        """The kept question texts as CSV (``day,language,answered,question``); the number written."""
        with self._transaction(write=False) as conn:
            return exports.write_questions(list(questions.rows(conn)), out)


def _now(now: float | None) -> float:
    return time.time() if now is None else float(now)

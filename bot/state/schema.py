"""The state database file: opening it with the right settings and bringing its schema up to date.

Takes: a path. Gives: an open ``sqlite3.Connection`` (autocommit mode, WAL journal, ``synchronous=NORMAL``,
a busy timeout) whose schema is at ``SCHEMA_VERSION`` (tracked in ``PRAGMA user_version``), or raises
``StateError`` naming the file when it is not a state database or was written by a newer wayhome.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from ..errors import WayhomeError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000

# One script per schema version; never edit a released one, append a new one instead.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE answers (
        answer_id TEXT PRIMARY KEY,
        created REAL NOT NULL,
        payload TEXT NOT NULL
    );
    CREATE INDEX answers_created ON answers (created);
    CREATE TABLE votes (
        answer_id TEXT NOT NULL,
        user_hash TEXT NOT NULL,
        vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
        question TEXT NOT NULL DEFAULT '',
        chunk_ids TEXT NOT NULL DEFAULT '[]',
        ts REAL,
        PRIMARY KEY (answer_id, user_hash)
    );
    CREATE INDEX votes_ts ON votes (ts);
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        ts REAL NOT NULL,
        answered INTEGER NOT NULL,
        language TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX questions_ts ON questions (ts);
    """,
    # Per-user settings, each table with its own delete (bot.state.languages, bot.state.subscribers).
    """
    CREATE TABLE user_languages (
        user_hash TEXT PRIMARY KEY,
        lang TEXT NOT NULL,
        ts REAL NOT NULL
    );
    CREATE TABLE subscribers (
        chat_id INTEGER PRIMARY KEY,
        lang TEXT NOT NULL,
        since REAL NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StateError(WayhomeError):
    """The state database cannot be used (not a database, or from a newer version)."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` and migrate it to ``SCHEMA_VERSION``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            log.warning("%s: journal mode is %s, not WAL", path, mode)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StateError(path, f"not a usable state database ({exc})") from None
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply the migrations the file lacks and bump ``user_version``, all in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StateError(path, f"written by a newer wayhome (schema {version}, this version knows "
                                   f"{SCHEMA_VERSION})")
        for number in range(version + 1, SCHEMA_VERSION + 1):
            for statement in _statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            log.info("%s: schema migrated to version %d", path, number)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """Split a migration script on semicolons (the scripts hold no semicolons inside literals)."""
    return [part.strip() for part in script.split(";") if part.strip()]

"""The state database file: opening it with the right settings and bringing its schema up to date.

Takes: a path. Gives: an open ``sqlite3.Connection`` (autocommit mode, WAL journal, ``synchronous=NORMAL``,
a busy timeout, ``secure_delete`` so deleted rows are overwritten, not left in free pages) whose schema is at
``SCHEMA_VERSION`` (tracked in ``PRAGMA user_version``), or raises ``StateError`` naming the file when it is not
a state database or was written by a newer wayhome. The file (and its WAL and SHM files, which SQLite creates
with the database's permissions) is readable by its owner only (0600), in a folder created 0700.

Schema 2 stores nothing that ties a person to a question: a file written by schema 1 loses its answers (their
payload held the chat id and the question), its votes lose the user hash and the question (kept: day, vote,
chunk ids), and the question log becomes counts per day and language; the freed pages are then wiped.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
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
    """
    DELETE FROM answers;
    CREATE TABLE votes_v2 (
        answer_id TEXT,
        voter TEXT,
        vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
        language TEXT NOT NULL DEFAULT '',
        chunk_ids TEXT NOT NULL DEFAULT '[]',
        day TEXT NOT NULL DEFAULT '',
        UNIQUE (answer_id, voter)
    );
    INSERT INTO votes_v2 (vote, chunk_ids, day)
        SELECT vote, chunk_ids, COALESCE(date(ts, 'unixepoch'), '') FROM votes;
    DROP TABLE votes;
    ALTER TABLE votes_v2 RENAME TO votes;
    CREATE INDEX votes_day ON votes (day);
    CREATE TABLE question_counts (
        day TEXT NOT NULL,
        language TEXT NOT NULL,
        answered INTEGER NOT NULL DEFAULT 0,
        refused INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, language)
    );
    INSERT INTO question_counts (day, language, answered, refused)
        SELECT date(ts, 'unixepoch'), language, SUM(answered), SUM(1 - answered) FROM questions GROUP BY 1, 2;
    DROP TABLE questions;
    CREATE TABLE question_texts (
        id TEXT PRIMARY KEY,
        day TEXT NOT NULL,
        language TEXT NOT NULL,
        answered INTEGER NOT NULL,
        text TEXT NOT NULL
    ) WITHOUT ROWID;
    DELETE FROM meta WHERE key LIKE 'imported:%'
    """,
    # Version 3 (issue 23): per-user settings (bot.state.languages, bot.state.subscribers); /forget deletes both.
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


def private_file(path: Path) -> None:
    """Create ``path`` (and its folder, 0700) readable by its owner only; tighten an existing file (and its
    SQLite WAL/SHM companions) that others could read."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if each.exists() and stat.S_IMODE(each.stat().st_mode) & 0o077:
            os.chmod(each, 0o600)
            log.warning("%s: was readable by others; now owner-only (0600)", each)


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed, 0600) the database at ``path`` and migrate it to ``SCHEMA_VERSION``."""
    private_file(path)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA secure_delete = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            log.warning("%s: journal mode is %s, not WAL", path, mode)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if migrate(conn, path):
            wipe(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StateError(path, f"not a usable state database ({exc})") from None
    except BaseException:
        conn.close()
        raise
    return conn


def wipe(conn: sqlite3.Connection) -> None:
    """Rewrite the file without its free pages and empty the WAL, so deleted rows leave no copy behind."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def migrate(conn: sqlite3.Connection, path: Path) -> bool:
    """Apply the migrations the file lacks and bump ``user_version``, all in one transaction; True when an
    existing file was migrated (not a new one created)."""
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
    return 0 < version < SCHEMA_VERSION


def _statements(script: str) -> list[str]:
    """Split a migration script on semicolons (the scripts hold no semicolons inside literals)."""
    return [part.strip() for part in script.split(";") if part.strip()]

"""What is kept about questions: counts per day and language, and — only when the operator sets
``WAYHOME_KEEP_QUESTIONS=1`` — the texts, with the day (no time) and no link to anyone.

Texts are stored under random ids in a table ordered by that id, so even the order they were asked in is
lost; ``rows`` gives them sorted by day, language and text.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator

_COUNT = """
    INSERT INTO question_counts (day, language, answered, refused) VALUES (?, ?, ?, ?)
    ON CONFLICT (day, language) DO UPDATE SET
        answered = answered + excluded.answered, refused = refused + excluded.refused
"""


def record(conn: sqlite3.Connection, answered: bool, language: str, day: str, text: str | None) -> None:
    """Count a question; keep its ``text`` too when one is given."""
    conn.execute(_COUNT, (day, language, int(answered), int(not answered)))
    if text is not None:
        conn.execute("INSERT INTO question_texts (id, day, language, answered, text) VALUES (?, ?, ?, ?, ?)",
                     (secrets.token_hex(16), day, language, int(answered), text))


def counts(conn: sqlite3.Connection, since_day: str) -> tuple[int, int]:
    """Questions (answered, refused) on or after ``since_day``."""
    answered, refused = conn.execute("SELECT COALESCE(SUM(answered), 0), COALESCE(SUM(refused), 0) "
                                     "FROM question_counts WHERE day >= ?", (since_day,)).fetchone()
    return int(answered), int(refused)


def rows(conn: sqlite3.Connection) -> Iterator[tuple[str, str, bool, str]]:
    """(day, language, answered, text) of every kept question."""
    for day, language, answered, text in conn.execute(
            "SELECT day, language, answered, text FROM question_texts ORDER BY day, language, text").fetchall():
        yield str(day), str(language), bool(answered), str(text)

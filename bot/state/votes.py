"""👍/👎 votes in the state database, with no stable identity of the voter.

The duplicate-vote guard is a keyed hash of (answer id, user id) under the state key (``bot.state.key``): the
same person gets a different hash on every answer, so votes cannot be linked to each other, and without the
key nobody can test a user id against them. When the answer behind a vote is purged (or the key rotated) the
vote keeps only its day, direction, language and chunk ids.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence

from .key import keyed_hash

VOTES = ("up", "down")
VOTED, ALREADY = "voted", "already"


def voter(key: bytes, answer_id: str, user_id: int) -> str:
    """Who voted on ``answer_id``, as only the duplicate guard needs it."""
    return keyed_hash(key, "vote", answer_id, str(user_id))


def record(conn: sqlite3.Connection, key: bytes, answer_id: str, user_id: int, vote: str, language: str,
           chunk_ids: Sequence[str], day: str) -> str:
    """One vote per person per answer (a different one replaces it): ``VOTED``, or ``ALREADY`` when unchanged."""
    if vote not in VOTES:
        raise ValueError(f"vote must be one of {VOTES}, not {vote!r}")
    who = voter(key, answer_id, user_id)
    found = conn.execute("SELECT vote FROM votes WHERE answer_id = ? AND voter = ?", (answer_id, who)).fetchone()
    if found is not None and found[0] == vote:
        return ALREADY
    conn.execute("DELETE FROM votes WHERE answer_id = ? AND voter = ?", (answer_id, who))
    conn.execute("INSERT INTO votes (answer_id, voter, vote, language, chunk_ids, day) VALUES (?, ?, ?, ?, ?, ?)",
                 (answer_id, who, vote, language, json.dumps(list(chunk_ids)), day))
    return VOTED


def counts(conn: sqlite3.Connection, since_day: str | None) -> dict[str, int]:
    """``{"up": n, "down": m}`` for votes on or after ``since_day`` (YYYY-MM-DD; all votes when None)."""
    query, args = "SELECT vote, COUNT(*) FROM votes", ()
    if since_day is not None:
        query, args = query + " WHERE day >= ?", (since_day,)  # type: ignore[assignment]
    found = dict(conn.execute(query + " GROUP BY vote", args).fetchall())
    return {vote: int(found.get(vote, 0)) for vote in VOTES}


def forget(conn: sqlite3.Connection, key: bytes, user_id: int) -> int:
    """Delete the votes ``user_id`` cast on answers still kept; how many."""
    deleted = 0
    for (answer_id,) in conn.execute("SELECT DISTINCT answer_id FROM votes WHERE voter IS NOT NULL").fetchall():
        deleted += conn.execute("DELETE FROM votes WHERE answer_id = ? AND voter = ?",
                                (answer_id, voter(key, str(answer_id), user_id))).rowcount
    return deleted


def unlink(conn: sqlite3.Connection, everything: bool = False) -> int:
    """Drop the answer id and voter hash from votes whose answer is gone (``everything``: from all votes)."""
    where = "" if everything else " AND answer_id NOT IN (SELECT answer_id FROM answers)"
    return conn.execute("UPDATE votes SET answer_id = NULL, voter = NULL WHERE voter IS NOT NULL" + where).rowcount


def rows(conn: sqlite3.Connection) -> Iterator[tuple[str, str, str, list[str]]]:
    """(day, vote, language, chunk ids) of every vote, oldest day first."""
    for day, vote, language, chunk_ids in conn.execute(
            "SELECT day, vote, language, chunk_ids FROM votes ORDER BY day, vote, language, chunk_ids").fetchall():
        yield str(day), str(vote), str(language), _chunk_ids(chunk_ids)


def _chunk_ids(text: object) -> list[str]:
    try:
        value = json.loads(str(text))
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []

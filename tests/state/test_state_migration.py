"""A state file written by schema 1 (answers holding the chat id and question, votes with a user hash and the
question, a question log with exact times) is migrated on opening: nothing identifying survives anywhere in
the file or its WAL, and the counts do."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bot.state import SCHEMA_VERSION, StateStore, Stats
from bot.state.schema import MIGRATIONS

T0 = 1_700_000_000.0  # 2023-11-14T22:13:20Z
SECRET_QUESTION = "Where is my husband Ivan Petrov, unit 12345?"
CHAT_ID = "987654321"
USER_HASH = "5f2b9c0d1e8a7b6c5d4e3f2a1b0c9d8e"


def old_state_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    payload = {"chat_id": int(CHAT_ID), "question": SECRET_QUESTION, "chunk_ids": ["a#1"], "message_id": 55,
               "votes": {USER_HASH: "up"}, "answer": None, "rest": []}
    conn.execute("INSERT INTO answers VALUES (?, ?, ?)", ("ans1", T0, json.dumps(payload)))
    conn.execute("INSERT INTO votes VALUES (?, ?, ?, ?, ?, ?)", ("ans1", USER_HASH, "up", SECRET_QUESTION,
                                                                 '["a#1"]', T0))
    conn.execute("INSERT INTO votes VALUES (?, ?, ?, ?, ?, ?)", ("ans0", "other", "down", "q", "[]", None))
    for i, answered in enumerate([1, 1, 0]):
        conn.execute("INSERT INTO questions (ts, answered, language) VALUES (?, ?, ?)", (T0 + i, answered, "ru"))
    conn.execute("INSERT INTO meta VALUES ('imported:/srv/data/feedback.jsonl:abc', '{}')")
    conn.close()


def raw_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def test_schema_1_is_migrated_and_nothing_identifying_is_left_on_disk(tmp_path: Path) -> None:
    db = tmp_path / "data" / "wayhome.sqlite3"
    old_state_file(db)
    assert SECRET_QUESTION.encode() in raw_bytes(db)  # the precondition: the old file holds it
    with StateStore(db) as store:
        assert store.stats(since=T0) == Stats(answered=2, refused=1, up=1, down=0)
        assert store.vote_counts() == {"up": 1, "down": 1}
        assert store.load_answer("ans1", max_age_s=1e12) is None
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT answer_id, voter, vote, chunk_ids, day FROM votes ORDER BY vote DESC").fetchall() \
            == [(None, None, "up", '["a#1"]', "2023-11-14"), (None, None, "down", "[]", "")]
        assert conn.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 0
    data = raw_bytes(db)
    for secret in (SECRET_QUESTION, CHAT_ID, USER_HASH, "feedback.jsonl"):
        assert secret.encode() not in data, f"{secret!r} is still somewhere in the file or its WAL"

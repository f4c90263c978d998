"""StateStore: persistence across a restart, expiry, one vote per user, stats, JSONL import once, CSV export."""

from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.state import SCHEMA_VERSION, Expired, StateError, StateStore, Stats

T0 = 1_700_000_000.0
DAY = 86_400.0


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state" / "wayhome.sqlite3"


def test_answers_survive_a_restart(db: Path) -> None:
    payload = {"question": "Кто такие «Путь домой»?", "chunks": ["a#1", "b#2"], "score": 0.5, "nested": {"k": [1]}}
    with StateStore(db) as store:
        store.save_answer("ans1", payload, now=T0)
    with StateStore(db) as store:
        assert store.load_answer("ans1", max_age_s=DAY, now=T0 + 10) == payload
        assert store.load_answer("unknown", max_age_s=DAY, now=T0) is None
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert json.loads(conn.execute("SELECT payload FROM answers").fetchone()[0]) == payload  # JSON on disk
    conn.close()


def test_expiry_and_purge(db: Path) -> None:
    with StateStore(db) as store:
        store.save_answer("old", {"n": 1}, now=T0)
        store.save_answer("new", {"n": 2}, now=T0 + DAY)
        assert store.load_answer("old", max_age_s=DAY / 2, now=T0 + DAY) == Expired("old", T0, DAY)
        assert store.load_answer("new", max_age_s=DAY / 2, now=T0 + DAY) == {"n": 2}
        assert store.purge(DAY / 2, now=T0 + DAY) == 1
        assert store.load_answer("old", max_age_s=10 * DAY, now=T0 + DAY) is None
        with pytest.raises(TypeError):
            store.save_answer("bad", {"x": object()})


def test_second_vote_replaces_the_first(db: Path) -> None:
    with StateStore(db) as store:
        store.record_vote("a1", "u1", "up", "q?", now=T0)
        store.record_vote("a1", "u1", "down", "q?", now=T0 + 5)
        store.record_vote("a1", "u2", "up", "q?", now=T0 + 6)
        store.record_vote("a2", "u1", "up", "other?", now=T0 + 7)
        assert store.vote_counts(None) == {"up": 2, "down": 1}
        assert store.vote_counts(since=T0 + 6) == {"up": 2, "down": 0}
        with pytest.raises(ValueError):
            store.record_vote("a1", "u3", "sideways", "q?")


def test_stats(db: Path) -> None:
    with StateStore(db) as store:
        assert store.stats(0) == Stats(0, 0, 0, 0)
        for i, answered in enumerate([True, True, False, True]):
            store.record_question(answered, "en" if i else "ru", now=T0 + i)
        store.record_question(False, "en", now=T0 - DAY)  # before the window
        store.record_vote("a1", "u1", "up", "q", now=T0 + 1)
        store.record_vote("a1", "u2", "down", "q", now=T0 + 2)
        stats = store.stats(since=T0)
    assert stats == Stats(answered=3, refused=1, up=1, down=1)
    assert stats.asked == 4


def _write_jsonl(path: Path, records: list[object]) -> None:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


OLD_LOG: list[object] = [
    {"ts": T0, "user": "u1", "answer_id": "a1", "vote": "up", "question": "q1"},
    # The Telegram bot's own spelling of the fields (ISO time, "answer", chunk ids).
    {"time": "2023-11-14T22:13:30+00:00", "answer": "a2", "question": "q2", "chunk_ids": ["c#1"], "vote": "down",
     "user": "u1"},
    {"answer_id": "a3", "vote": "UP"},  # no time, no user, no question: still a vote
    "{not json",
    {"answer_id": "a4", "vote": "maybe"},
    {"vote": "up"},
    ["a", "list"],
    "",
]


def test_import_jsonl_once(db: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    log_file = tmp_path / "feedback.jsonl"
    _write_jsonl(log_file, OLD_LOG)
    with StateStore(db) as store, caplog.at_level(logging.WARNING):
        assert store.import_jsonl(log_file) == 3
        assert store.vote_counts(None) == {"up": 2, "down": 1}
    assert len([r for r in caplog.records if "skipped" in r.getMessage()]) == 4
    with StateStore(db) as store:  # after a restart, the same file is not imported again
        assert store.import_jsonl(log_file) == 0
        assert store.vote_counts(None) == {"up": 2, "down": 1}


def test_reimport_of_a_grown_file_does_not_undo_a_newer_vote(db: Path, tmp_path: Path) -> None:
    log_file = tmp_path / "feedback.jsonl"
    _write_jsonl(log_file, OLD_LOG[:1])
    with StateStore(db) as store:
        store.import_jsonl(log_file)
        store.record_vote("a1", "u1", "down", "q1", now=T0 + 100)  # the user changed their mind since
        _write_jsonl(log_file, [*OLD_LOG[:1], {"ts": T0 + 1, "user": "u9", "answer_id": "a1", "vote": "up"}])
        assert store.import_jsonl(log_file) == 2
        assert store.vote_counts(None) == {"up": 1, "down": 1}


def test_export_csv(db: Path, tmp_path: Path) -> None:
    log_file = tmp_path / "feedback.jsonl"
    _write_jsonl(log_file, OLD_LOG)
    out = io.StringIO()
    with StateStore(db) as store:
        store.import_jsonl(log_file)
        store.record_vote("a9", "u7", "down", '=HYPERLINK("x"), "quoted", comma', now=T0 + 60, chunk_ids=["k#1", "k#2"])
        assert store.export_csv(out) == 4
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["time", "answer_id", "user_hash", "vote", "question", "chunk_ids"]
    assert rows[1] == ["", "a3", "", "up", "", ""]
    assert rows[2] == ["2023-11-14T22:13:20+00:00", "a1", "u1", "up", "q1", ""]
    assert rows[3] == ["2023-11-14T22:13:30+00:00", "a2", "u1", "down", "q2", "c#1"]
    assert rows[4] == ["2023-11-14T22:14:20+00:00", "a9", "u7", "down", '\'=HYPERLINK("x"), "quoted", comma',
                       "k#1 k#2"]


def test_threads_share_one_store(db: Path) -> None:
    with StateStore(db) as store:
        def work(n: int) -> None:
            for i in range(25):
                store.record_question(i % 2 == 0, "en", now=T0 + i)
                store.record_vote(f"a{i}", f"user{n}", "up", "q", now=T0 + i)
                store.save_answer(f"{n}-{i}", {"i": i}, now=T0)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.stats(since=T0) == Stats(answered=52, refused=48, up=100, down=0)


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StateError, match="not a usable state database"):
        StateStore(path)


def test_a_database_from_a_newer_version(db: Path) -> None:
    StateStore(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StateError, match="newer wayhome"):
        StateStore(db)


def test_two_stores_on_one_file_see_each_other(db: Path) -> None:
    with StateStore(db) as first, StateStore(db) as second:
        first.save_answer("a", {"from": "first"}, now=T0)
        second.record_vote("a", "u", "up", "q", now=T0)
        assert second.load_answer("a", max_age_s=DAY, now=T0) == {"from": "first"}
        assert first.vote_counts(None) == {"up": 1, "down": 0}

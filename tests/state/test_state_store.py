"""StateStore: persistence across a restart, expiry and purge, one vote per person without a stable identity,
counts per day, kept questions, /forget, key rotation, CSV export, file permissions, migrating schema 1."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from bot.state import ALREADY, FORGETTERS, SCHEMA_VERSION, VOTED, Expired, StateError, StateStore, Stats
from bot.state.key import KEY_FILE

T0 = 1_700_000_000.0  # 2023-11-14T22:13:20Z
DAY = 86_400.0


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state" / "wayhome.sqlite3"


def dump(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return "\n".join(conn.iterdump())


def test_answers_survive_a_restart(db: Path) -> None:
    payload = {"language": "ru", "shown": ["a#1", "b#2"], "rest": [], "nested": {"k": [1]}}
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


def test_files_are_owner_only_and_deletes_are_secure(db: Path) -> None:
    with StateStore(db) as store:
        store.record_question(True, "en")
        assert store._conn is not None and store._conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
        for path in (db, db.with_name(db.name + "-wal"), db.parent / KEY_FILE):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    db.chmod(0o644)
    (db.parent / KEY_FILE).chmod(0o644)
    StateStore(db).close()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600 == stat.S_IMODE((db.parent / KEY_FILE).stat().st_mode)


def test_expiry_and_purge_unlink_the_votes(db: Path) -> None:
    with StateStore(db) as store:
        store.save_answer("old", {"n": 1}, now=T0)
        store.save_answer("new", {"n": 2}, now=T0 + DAY)
        store.record_vote("old", 42, "up", "en", ["c#1"], now=T0)
        store.record_vote("new", 42, "up", "en", ["c#2"], now=T0 + DAY)
        assert store.load_answer("old", max_age_s=DAY / 2, now=T0 + DAY) == Expired("old", T0, DAY)
        assert store.load_answer("new", max_age_s=DAY / 2, now=T0 + DAY) == {"n": 2}
        assert store.purge(DAY / 2, now=T0 + DAY) == 1
        assert store.load_answer("old", max_age_s=10 * DAY, now=T0 + DAY) is None
        with pytest.raises(TypeError):
            store.save_answer("bad", {"x": object()})
        assert store.vote_counts() == {"up": 2, "down": 0}  # the vote stays, without a voter
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT answer_id, voter IS NULL, day FROM votes ORDER BY day").fetchall()
    assert rows == [(None, 1, "2023-11-14"), ("new", 0, "2023-11-15")]


def test_one_vote_per_person_per_answer_and_no_stable_identity(db: Path) -> None:
    with StateStore(db) as store:
        assert store.record_vote("a1", 987654321, "up", "ru", ["c1"], now=T0) == VOTED
        assert store.record_vote("a1", 987654321, "up", "ru", ["c1"], now=T0) == ALREADY
        assert store.record_vote("a1", 987654321, "down", "ru", ["c1"], now=T0 + 5) == VOTED
        assert store.record_vote("a1", 2, "up", "ru", ["c1"], now=T0 + 6) == VOTED
        assert store.record_vote("a2", 987654321, "up", "en", ["c2"], now=T0 + DAY) == VOTED
        assert store.vote_counts(None) == {"up": 2, "down": 1}
        assert store.vote_counts(since=T0 + DAY) == {"up": 1, "down": 0}
        with pytest.raises(ValueError):
            store.record_vote("a1", 3, "sideways")
    with sqlite3.connect(db) as conn:
        voters = dict(conn.execute("SELECT answer_id, voter FROM votes WHERE vote = 'up' AND answer_id = 'a2'"))
        voter_a1 = conn.execute("SELECT voter FROM votes WHERE vote = 'down'").fetchone()[0]
    assert len(voter_a1) == 32 and voters["a2"] != voter_a1, "the same person looks different on each answer"
    assert "987654321" not in dump(db)


def test_stats_are_counts_per_day(db: Path) -> None:
    with StateStore(db) as store:
        assert store.stats(0) == Stats(0, 0, 0, 0)
        for i, answered in enumerate([True, True, False, True]):
            store.record_question(answered, "en" if i else "ru", now=T0 + i)
        store.record_question(False, "en", now=T0 - DAY)  # the day before
        store.record_vote("a1", 1, "up", now=T0 + 1)
        store.record_vote("a1", 2, "down", now=T0 + 2)
        stats = store.stats(since=T0)
    assert stats == Stats(answered=3, refused=1, up=1, down=1) and stats.asked == 4
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT * FROM question_counts ORDER BY day, language").fetchall() == [
            ("2023-11-13", "en", 0, 1), ("2023-11-14", "en", 2, 1), ("2023-11-14", "ru", 1, 0)]
        assert conn.execute("SELECT COUNT(*) FROM question_texts").fetchone()[0] == 0


def test_kept_questions_have_a_day_and_no_order(db: Path, tmp_path: Path) -> None:
    with StateStore(db) as store:
        for i, text in enumerate(["Who is Maria?", "=SUM(A1)", "Кто такая Мария?"]):
            store.record_question(i != 1, "ru" if i == 2 else "en", text, now=T0 + i)
        out = io.StringIO()
        assert store.export_questions(out) == 3
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["day", "language", "answered", "question"], ["2023-11-14", "en", "no", "'=SUM(A1)"],
        ["2023-11-14", "en", "yes", "Who is Maria?"], ["2023-11-14", "ru", "yes", "Кто такая Мария?"]]
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(question_texts)")]
    assert columns == ["id", "day", "language", "answered", "text"]


def test_forget_deletes_the_persons_votes_only(db: Path) -> None:
    assert "votes" in FORGETTERS
    with StateStore(db) as store:
        for answer in ("a1", "a2"):
            store.save_answer(answer, {}, now=T0)
            store.record_vote(answer, 7, "up", now=T0)
            store.record_vote(answer, 8, "down", now=T0)
        assert store.forget(7, 7) == {"votes": 2, "user_languages": 0, "subscribers": 0}
        assert store.vote_counts() == {"up": 0, "down": 2}
        assert store.forget(7)["votes"] == 0
        assert store.record_vote("a1", 7, "up", now=T0) == VOTED  # may vote again


def test_rotating_the_key_unlinks_every_vote(db: Path) -> None:
    with StateStore(db) as store:
        store.save_answer("a1", {}, now=T0)
        store.record_vote("a1", 7, "up", now=T0)
        old_key = (db.parent / KEY_FILE).read_text()
        assert store.rotate_key() == 1
        assert (db.parent / KEY_FILE).read_text() != old_key
        assert stat.S_IMODE((db.parent / KEY_FILE).stat().st_mode) == 0o600
        assert store.forget(7)["votes"] == 0, "after rotation no vote can be tied to anyone"
        assert store.vote_counts() == {"up": 1, "down": 0}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT answer_id, voter FROM votes").fetchall() == [(None, None)]


def test_a_damaged_key_is_reported(db: Path) -> None:
    db.parent.mkdir(parents=True)
    (db.parent / KEY_FILE).write_text("not hex")
    with pytest.raises(StateError, match="not a state key"):
        StateStore(db)


def test_export_csv(db: Path) -> None:
    out = io.StringIO()
    with StateStore(db) as store:
        store.record_vote("a9", 7, "down", "en", ["=k#1", "k#2"], now=T0 + DAY)
        store.record_vote("a1", 7, "up", "ru", ["c#1"], now=T0)
        assert store.export_csv(out) == 2
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["day", "vote", "language", "chunk_ids"], ["2023-11-14", "up", "ru", "c#1"],
        ["2023-11-15", "down", "en", "'=k#1 k#2"]]


def test_threads_share_one_store(db: Path) -> None:
    with StateStore(db) as store:
        def work(n: int) -> None:
            for i in range(25):
                store.record_question(i % 2 == 0, "en", now=T0 + i)
                store.record_vote(f"a{i}", n, "up", now=T0 + i)
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
        second.record_vote("a", 1, "up", now=T0)
        assert second.load_answer("a", max_age_s=DAY, now=T0) == {"from": "first"}
        assert first.vote_counts(None) == {"up": 1, "down": 0}


def test_user_keys_stand_in_for_ids_and_change_with_the_key(db: Path) -> None:
    with StateStore(db) as store:
        first = store.user_key("language", 987654321)
        assert first == store.user_key("language", 987654321) != store.user_key("language", 987654322)
        assert len(first) == 32 and "987654321" not in first and first != store.user_key("subscription", 987654321)
        store.rotate_key()
        assert store.user_key("language", 987654321) != first

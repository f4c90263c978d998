"""Opening the state file as the bot and the CLI do: the old feedback.jsonl imported once; votes exported as CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from bot.state.setup import open_state


def test_old_feedback_jsonl_is_imported_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "feedback.jsonl").write_text(
        '{"time": "2024-05-01T10:00:00+00:00", "answer": "a1", "question": "q?", "chunk_ids": ["c1"], '
        '"vote": "up", "user": "h1"}\n{"answer": "a2", "vote": "down", "user": "h2"}\nnot json\n')
    settings = Settings(data_dir=data, _env_file=None)  # type: ignore[call-arg]
    for _ in range(2):
        with open_state(settings) as store:
            assert store.vote_counts() == {"up": 1, "down": 1}
    assert (data / "wayhome.sqlite3").is_file() and (data / "feedback.jsonl").is_file()


def test_feedback_export_writes_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WAYHOME_DATA_DIR", str(tmp_path / "data"))
    with open_state(Settings(_env_file=None)) as store:  # type: ignore[call-arg]
        store.record_vote("a1", "h1", "up", "=cmd|' /C calc'!A0", now=1_714_557_600, chunk_ids=["c1", "c2"])
    assert main(["feedback", "export", "--csv", "votes.csv"]) == 0
    assert (tmp_path / "votes.csv").read_text().splitlines() == [
        "time,answer_id,user_hash,vote,question,chunk_ids",
        "2024-05-01T10:00:00+00:00,a1,h1,up,'=cmd|' /C calc'!A0,c1 c2"]

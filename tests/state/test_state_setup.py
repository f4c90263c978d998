"""Opening the state file as the bot and the CLI do; the CLI's CSV exports and key rotation."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.state.key import KEY_FILE
from bot.state.setup import open_state


def test_an_old_feedback_jsonl_is_not_read_and_the_operator_is_told_to_delete_it(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "feedback.jsonl").write_text('{"answer": "a1", "question": "q?", "vote": "up", "user": "h1"}\n')
    settings = Settings(data_dir=data, _env_file=None)  # type: ignore[call-arg]
    with caplog.at_level(logging.WARNING), open_state(settings) as store:
        assert store.vote_counts() == {"up": 0, "down": 0}
    assert "feedback.jsonl was written by an older wayhome" in caplog.text and "delete it" in caplog.text


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WAYHOME_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_feedback_export_writes_csv(data: Path, tmp_path: Path) -> None:
    from bot.cli import main

    with open_state(Settings(_env_file=None)) as store:  # type: ignore[call-arg]
        store.record_vote("a1", 42, "up", "ru", ["=c1", "c2"], now=1_714_557_600)
    assert main(["feedback", "export", "--csv", "votes.csv"]) == 0
    assert (tmp_path / "votes.csv").read_text().splitlines() == ["day,vote,language,chunk_ids",
                                                                 "2024-05-01,up,ru,'=c1 c2"]


def test_questions_export_writes_the_kept_texts(data: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    with open_state(Settings(_env_file=None)) as store:  # type: ignore[call-arg]
        store.record_question(True, "ru", "Кто такая Мария Андреева?", now=1_714_557_600)
        store.record_question(False, "en")  # counted only
    assert main(["questions", "export", "--csv"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["day,language,answered,question", "2024-05-01,ru,yes,Кто такая Мария Андреева?"]
    assert "1 questions exported" in err and "WAYHOME_KEEP_QUESTIONS=1" in err


def test_state_rotate_key(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    with open_state(Settings(_env_file=None)) as store:  # type: ignore[call-arg]
        store.save_answer("a1", {})
        store.record_vote("a1", 42, "up")
    before = (data / KEY_FILE).read_text()
    assert main(["state", "rotate-key"]) == 0
    assert (data / KEY_FILE).read_text() != before
    assert "1 votes can no longer be told apart" in capsys.readouterr().err
    with open_state(Settings(_env_file=None)) as store:  # type: ignore[call-arg]
        assert store.forget(42)["votes"] == 0

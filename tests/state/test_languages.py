"""Each user's chosen language in the state file: set, read back after a restart, forgotten by delete_user."""

from __future__ import annotations

from pathlib import Path

from bot.state import StateStore
from bot.state.languages import LanguageChoices


def test_choice_is_kept_across_restarts_and_forgotten(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with StateStore(path) as store:
        choices = LanguageChoices(store)
        assert choices.get("hash-a") is None
        choices.set("hash-a", "ru")
        choices.set("hash-b", "en")
        assert choices.get("hash-a") == "ru"
    with StateStore(path) as store:
        choices = LanguageChoices(store)
        assert (choices.get("hash-a"), choices.get("hash-b")) == ("ru", "en")
        assert choices.delete_user("hash-a") == 1 and choices.delete_user("hash-a") == 0
        assert choices.get("hash-a") is None
        choices.set("hash-b", None)  # "same as my Telegram app"
        assert choices.get("hash-b") is None
    with StateStore(path) as store:
        assert LanguageChoices(store).get("hash-a") is None and LanguageChoices(store).get("hash-b") is None

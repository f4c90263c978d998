"""Each user's chosen language in the state file: set, read back after a restart, forgotten by delete_user."""

from __future__ import annotations

from pathlib import Path

from bot.state import StateStore
from bot.state.forget import LANGUAGE_SCOPE
from bot.state.languages import LanguageChoices
from bot.state.subscribers import Subscribers


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


def test_forget_deletes_the_persons_language_choice_and_subscriptions_only(tmp_path: Path) -> None:
    with StateStore(tmp_path / "state.sqlite3") as store:
        choices, subs = LanguageChoices(store), Subscribers(store)
        for user in (7, 8):
            choices.set(store.user_key(LANGUAGE_SCOPE, user), "ru")
        subs.add(7, "ru")  # the user's private chat
        subs.add(-100, "en")  # the group /forget is sent from
        subs.add(8, "en")
        assert store.forget(7, -100) == {"votes": 0, "user_languages": 1, "subscribers": 2}
        assert subs.all() == [(8, "en")]
        assert LanguageChoices(store).get(store.user_key(LANGUAGE_SCOPE, 7)) is None  # gone from the file
        assert LanguageChoices(store).get(store.user_key(LANGUAGE_SCOPE, 8)) == "ru"
        choices.delete_user(store.user_key(LANGUAGE_SCOPE, 7))  # what /forget does to the bot's in-memory copy
        assert choices.get(store.user_key(LANGUAGE_SCOPE, 7)) is None
        assert choices.get(store.user_key(LANGUAGE_SCOPE, 8)) == "ru"

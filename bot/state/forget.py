"""``/forget``: every table that can hold something linked to a person registers its deleter here.

Takes: a ``Person`` (Telegram user id, the chat it was asked from, and the state key for keyed hashes). Gives:
``FORGETTERS`` — name → deleter(connection, person) → rows deleted. ``StateStore.forget`` runs all of them in
one transaction. A new per-user table (a language choice, a subscription) adds its deleter to this list, and
``/forget`` deletes it too. Answers behind buttons are not here: they hold nothing linked to anyone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from . import votes
from .key import keyed_hash

LANGUAGE_SCOPE = "language"  # the scope of the user_languages keys (StateStore.user_key)


@dataclass(frozen=True)
class Person:
    """Whom to forget. ``key`` is the state key, for tables that store keyed hashes instead of ids."""

    user_id: int
    chat_id: int | None
    key: bytes


Forgetter = Callable[[sqlite3.Connection, Person], int]


def forget_votes(conn: sqlite3.Connection, person: Person) -> int:
    return votes.forget(conn, person.key, person.user_id)


def forget_language(conn: sqlite3.Connection, person: Person) -> int:
    """The /language choice (the bot also drops its in-memory copy: ``LanguageChoices.delete_user``)."""
    key = keyed_hash(person.key, LANGUAGE_SCOPE, str(person.user_id))
    return int(conn.execute("DELETE FROM user_languages WHERE user_hash = ?", (key,)).rowcount)


def forget_subscription(conn: sqlite3.Connection, person: Person) -> int:
    """The /subscribe entry of the user's own chat and of the chat /forget was sent from."""
    return int(conn.execute("DELETE FROM subscribers WHERE chat_id IN (?, ?)",
                            (person.user_id, person.chat_id)).rowcount)


FORGETTERS: dict[str, Forgetter] = {
    "votes": forget_votes,
    "user_languages": forget_language,
    "subscribers": forget_subscription,
}

"""The bot's durable state: answers shown, votes, and a question log for stats, in one SQLite file.

Takes: a file path. Gives: ``StateStore`` (see ``store``), its result types ``Expired`` and ``Stats``, and
``StateError`` for a file that cannot be used.
"""

from __future__ import annotations

from .schema import SCHEMA_VERSION, StateError
from .store import Expired, StateStore, Stats

__all__ = ["SCHEMA_VERSION", "Expired", "StateError", "StateStore", "Stats"]

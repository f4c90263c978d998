"""The bot's durable state: answers behind buttons, votes and question counts, in one SQLite file, with
nothing that ties a person to a question.

Takes: a file path. Gives: ``StateStore`` (see ``store``), its result types ``Expired`` and ``Stats``, the vote
outcomes ``VOTED``/``ALREADY``, ``StateError`` for a file that cannot be used, and ``FORGETTERS`` (``forget``):
the per-user deleters ``/forget`` runs.
"""

from __future__ import annotations

from .forget import FORGETTERS, Person
from .schema import SCHEMA_VERSION, StateError
from .store import Expired, StateStore, Stats, day_of
from .votes import ALREADY, VOTED, VOTES

__all__ = ["ALREADY", "FORGETTERS", "SCHEMA_VERSION", "VOTED", "VOTES", "Expired", "Person", "StateError",
           "StateStore", "Stats", "day_of"]

"""Where the state file lives, and opening it the way the bot and the CLI both need.

Takes: settings (``WAYHOME_DATA_DIR``). Gives: ``open_state`` → a ``StateStore`` on ``<data_dir>/wayhome.sqlite3``
(the state key beside it, ``state.key``). An old ``<data_dir>/feedback.jsonl`` (written by versions before the
state database) holds question texts next to user hashes: it is no longer read, and a warning says to delete it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.settings import Settings

from .store import StateStore

log = logging.getLogger(__name__)

STATE_FILE = "wayhome.sqlite3"
LEGACY_FEEDBACK = "feedback.jsonl"
DAY_S = 86_400.0


def state_path(settings: Settings) -> Path:
    return settings.data_dir / STATE_FILE


def retention_s(settings: Settings) -> float:
    """How long the answers behind buttons are kept, in seconds."""
    return settings.answer_retention_days * DAY_S


def open_state(settings: Settings) -> StateStore:
    """The state store (created, or migrated, on first use)."""
    legacy = settings.data_dir / LEGACY_FEEDBACK
    if legacy.is_file():
        log.warning("%s was written by an older wayhome and holds question texts next to user hashes; wayhome no "
                    "longer reads it: delete it (shred -u %s)", legacy, legacy)
    return StateStore(state_path(settings))

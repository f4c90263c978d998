"""Where the state file lives, and opening it the way the bot and the CLI both need.

Takes: settings (``WAYHOME_DATA_DIR``). Gives: ``open_state`` → a ``StateStore`` on
``<data_dir>/wayhome.sqlite3`` into which an old ``<data_dir>/feedback.jsonl`` (written by earlier versions of
the bot) has been imported — once: the store remembers the file's hash, and the file itself is left in place.
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
    """The state store, with the legacy JSONL feedback imported (a no-op after the first time)."""
    store = StateStore(state_path(settings))
    legacy = settings.data_dir / LEGACY_FEEDBACK
    try:
        if legacy.is_file():
            imported = store.import_jsonl(legacy)
            if imported:
                log.info("imported %d votes from %s into %s", imported, legacy, store.path)
    except BaseException:
        store.close()
        raise
    return store

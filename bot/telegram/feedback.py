"""👍/👎 feedback on answers, appended to ``<data_dir>/feedback.jsonl``.

Each line holds the question, the chunk ids shown, the vote and a salted hash of the user id (HMAC-SHA256
with ``WAYHOME_FEEDBACK_SALT``) — never the raw id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path
from threading import Lock

FILE_NAME = "feedback.jsonl"
VOTES = ("up", "down")


def user_hash(user_id: int, salt: str) -> str:
    """A stable pseudonym for a user: the same id and salt always give the same 32 hex digits."""
    return hmac.new(salt.encode("utf-8"), str(user_id).encode("ascii"), hashlib.sha256).hexdigest()[:32]


class FeedbackLog:
    """Append-only JSONL feedback file, safe to call from several threads."""

    def __init__(self, data_dir: Path, salt: str) -> None:
        self.path = data_dir / FILE_NAME
        self.salt = salt
        self._lock = Lock()

    def record(self, answer_id: str, question: str, chunk_ids: list[str], vote: str, user_id: int) -> dict[str, object]:
        """Append one vote and return the entry written."""
        if vote not in VOTES:
            raise ValueError(f"vote must be one of {VOTES}")
        entry: dict[str, object] = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "answer": answer_id,
            "question": question,
            "chunk_ids": chunk_ids,
            "vote": vote,
            "user": user_hash(user_id, self.salt),
        }
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
        return entry

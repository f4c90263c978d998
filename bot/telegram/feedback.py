"""👍/👎 feedback: who voted is kept only as a salted hash of the Telegram user id.

Takes: a user id and ``WAYHOME_FEEDBACK_SALT``. Gives: ``user_hash`` (HMAC-SHA256, 32 hex digits — never the
raw id) and the two ``VOTES``. The votes themselves go to the state database (``bot.state``; the answer book in
``bot.telegram.answers`` records them); ``wayhome feedback export --csv`` writes them out.
"""

from __future__ import annotations

import hashlib
import hmac

VOTES = ("up", "down")


def user_hash(user_id: int, salt: str) -> str:
    """A stable pseudonym for a user: the same id and salt always give the same 32 hex digits."""
    return hmac.new(salt.encode("utf-8"), str(user_id).encode("ascii"), hashlib.sha256).hexdigest()[:32]

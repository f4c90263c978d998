"""A per-user limit on questions: at most ``limit`` per sliding ``window`` seconds.

Over the limit the user is told once to slow down (no search runs); further messages inside the same
window are dropped silently, so a flood does not turn into a flood of replies.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

MAX_USERS = 100_000


@dataclass(frozen=True)
class Decision:
    """Whether to answer; if not, whether to send the slow-down notice and when asking works again."""

    allowed: bool
    notify: bool = False
    retry_in: float = 0.0


class UserRateLimiter:
    """Sliding-window counter per user id (bounded memory: least recently seen users are forgotten)."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: OrderedDict[int, deque[float]] = OrderedDict()
        self._notified: dict[int, float] = {}
        self._lock = Lock()

    def check(self, user_id: int) -> Decision:
        """Record one question from ``user_id`` and decide."""
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(user_id, deque())
            self._hits.move_to_end(user_id)
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) < self.limit:
                hits.append(now)
                self._notified.pop(user_id, None)
                self._forget_old()
                return Decision(True)
            retry_in = max(0.0, hits[0] + self.window - now)
            notified_until = self._notified.get(user_id, 0.0)
            notify = now >= notified_until
            if notify:
                self._notified[user_id] = now + retry_in
            return Decision(False, notify=notify, retry_in=retry_in)

    def _forget_old(self) -> None:
        while len(self._hits) > MAX_USERS:
            user, _ = self._hits.popitem(last=False)
            self._notified.pop(user, None)

"""What the Telegram handlers share: settings, the conversation core (whose /more memory is the state
database's shelf, so buttons survive a restart), limits, the state database and the one thread that searches."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from telegram.ext import ContextTypes

from bot.conversation import Conversation
from bot.settings import Settings
from bot.state import StateStore
from bot.state.languages import LanguageChoices
from bot.state.subscribers import Subscribers
from bot.telegram.ratelimit import UserRateLimiter

KEY = "wayhome"
T = TypeVar("T")


@dataclass
class Services:
    """Everything a handler needs, stored once in ``application.bot_data``."""

    settings: Settings
    conversation: Conversation
    limiter: UserRateLimiter
    state: StateStore
    languages: LanguageChoices = field(init=False)
    subscribers: Subscribers = field(init=False)
    inline_limiter: UserRateLimiter = field(init=False)  # inline mode's own limit (every keystroke is a query)
    searching: ThreadPoolExecutor = field(init=False)

    def __post_init__(self) -> None:
        self.languages = LanguageChoices(self.state)
        self.subscribers = Subscribers(self.state)
        self.inline_limiter = UserRateLimiter(self.settings.inline_rate_limit, self.settings.inline_rate_window_s)
        self.searching = ThreadPoolExecutor(1, thread_name_prefix="wayhome-search")

    async def search(self, work: Callable[..., T], *args: object) -> T:
        """Run ``work`` (a question, /more) off the event loop on the bot's one search thread, in turn.

        Both cores already serve one question (the encoders run two threads each), so questions searched side
        by side finish no sooner; each thread that ran an encoder kept its own peak buffers (glibc gives every
        thread its own heap): three questions at once left a 260-passage mixed index's bot at 417 MB where
        one thread kept 308 (session 12, 2 vCPUs)."""
        return await asyncio.get_running_loop().run_in_executor(self.searching, work, *args)

    def close(self) -> None:
        """Stop the search thread (after the last reply) and close the state database."""
        self.searching.shutdown(wait=True, cancel_futures=True)
        self.state.close()


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    found: Services = context.bot_data[KEY]
    return found

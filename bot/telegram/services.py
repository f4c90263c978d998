"""What the Telegram handlers share: settings, the conversation core (whose /more memory is the state
database's shelf, so buttons survive a restart), limits and the state database."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import ContextTypes

from bot.conversation import Conversation
from bot.settings import Settings
from bot.state import StateStore
from bot.state.languages import LanguageChoices
from bot.state.subscribers import Subscribers
from bot.telegram.ratelimit import UserRateLimiter

KEY = "wayhome"


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

    def __post_init__(self) -> None:
        self.languages = LanguageChoices(self.state)
        self.subscribers = Subscribers(self.state)
        self.inline_limiter = UserRateLimiter(self.settings.inline_rate_limit, self.settings.inline_rate_window_s)


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    found: Services = context.bot_data[KEY]
    return found

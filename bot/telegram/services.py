"""What the Telegram handlers share: settings, the conversation core, limits, the state database and the
answers that buttons refer to (``AnswerBook``, kept in the state database so buttons survive a restart)."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import ContextTypes

from bot.conversation import Conversation
from bot.settings import Settings
from bot.state import StateStore
from bot.state.languages import LanguageChoices
from bot.state.setup import retention_s
from bot.state.subscribers import Subscribers
from bot.telegram.answers import AnswerBook
from bot.telegram.ratelimit import UserRateLimiter

KEY = "wayhome"
# Conversation.ask remembers each key's passages for its own /more; the bot keeps them in the AnswerBook
# instead, so all its questions share one key (one entry in memory, not one per answer).
CONVERSATION_KEY = "telegram"


@dataclass
class Services:
    """Everything a handler needs, stored once in ``application.bot_data``."""

    settings: Settings
    conversation: Conversation
    limiter: UserRateLimiter
    state: StateStore
    answers: AnswerBook = field(init=False)
    languages: LanguageChoices = field(init=False)
    subscribers: Subscribers = field(init=False)
    inline_limiter: UserRateLimiter = field(init=False)  # inline mode's own limit (every keystroke is a query)

    def __post_init__(self) -> None:
        self.answers = AnswerBook(self.state, retention_s(self.settings))
        self.languages = LanguageChoices(self.state)
        self.subscribers = Subscribers(self.state)
        self.inline_limiter = UserRateLimiter(self.settings.inline_rate_limit, self.settings.inline_rate_window_s)

    @property
    def salt(self) -> str:
        return self.settings.feedback_salt.get_secret_value()


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    found: Services = context.bot_data[KEY]
    return found

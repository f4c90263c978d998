"""What the Telegram handlers share: settings, the conversation core (whose /more memory is the state
database's shelf, so buttons survive a restart), limits and the state database."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import ContextTypes

from bot.conversation import Conversation
from bot.settings import Settings
from bot.state import StateStore
from bot.telegram.ratelimit import UserRateLimiter

KEY = "wayhome"


@dataclass
class Services:
    """Everything a handler needs, stored once in ``application.bot_data``."""

    settings: Settings
    conversation: Conversation
    limiter: UserRateLimiter
    state: StateStore


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    found: Services = context.bot_data[KEY]
    return found

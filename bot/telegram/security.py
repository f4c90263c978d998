"""Keeping the bot token secret and the logs free of people: validate the token at start-up, redact it from
every log line, and keep the chatty HTTP loggers at WARNING.

httpx logs request URLs (which contain the token) at INFO, and exceptions can carry them too; the
``TokenRedactor`` filter on the root handlers rewrites any record that would print the token. At INFO and above
nothing logs a question's text, a user or chat id, or a username; DEBUG (python-telegram-bot logs whole updates
there) is for a developer's machine only, and the bot warns when it runs with it.
"""

from __future__ import annotations

import logging
import re
import secrets
import stat
from pathlib import Path

from bot.errors import WayhomeError
from bot.settings import Settings

TOKEN_FORMAT = re.compile(r"^[0-9]{3,20}:[A-Za-z0-9_-]{30,100}$")
SECRET_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
REDACTED = "[REDACTED-TOKEN]"
# httpx logs every request URL at INFO (the token, and chat ids in GET parameters); the others are chatty.
NOISY_LOGGERS = ("httpx", "httpcore", "hpack", "tornado.access", "apscheduler")


def bot_token(settings: Settings) -> str:
    """The token from WAYHOME_TELEGRAM_TOKEN, or a clear error naming the setting (never echoing it)."""
    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        raise WayhomeError("WAYHOME_TELEGRAM_TOKEN is not set: create a bot with @BotFather and put its token "
                           "in .env (see .env.example)")
    if not TOKEN_FORMAT.match(token):
        raise WayhomeError("WAYHOME_TELEGRAM_TOKEN is malformed: expected the form 123456789:AAE…, as given by "
                           "@BotFather (see .env.example)")
    return token


def webhook_secret(settings: Settings) -> str:
    """WAYHOME_WEBHOOK_SECRET, or a random one for this run (Telegram then sends it with every update)."""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        return secrets.token_urlsafe(32)
    if not SECRET_FORMAT.match(secret):
        raise WayhomeError("WAYHOME_WEBHOOK_SECRET must be 1-256 letters, digits, '_' or '-' (see .env.example)")
    return secret


def check_env_file(path: Path = Path(".env")) -> bool:
    """Warn when the settings file holding the token can be read by other users; True when it is private (or
    absent)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return True
    if mode & 0o077:
        logging.getLogger(__name__).warning("%s holds the bot token but other users of this machine can read it "
                                            "(mode %04o): run chmod 600 %s", path, mode, path)
        return False
    return True


class TokenRedactor(logging.Filter):
    """Replace the token (and its URL-encoded form) in a record's message, arguments and traceback."""

    def __init__(self, *secret_values: str) -> None:
        super().__init__()
        self.secrets = sorted({s for v in secret_values if v for s in (v, v.replace(":", "%3A"))},
                              key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = self.redact(message), None
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure_logging(level: str, *secret_values: str) -> None:
    """Bot logging at ``level``; noisy HTTP loggers at WARNING; the token redacted from every handler."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise WayhomeError("WAYHOME_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR (see .env.example)")
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    root.setLevel(numeric)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    redactor = TokenRedactor(*secret_values)
    for handler in root.handlers:
        handler.addFilter(redactor)
    if numeric < logging.INFO:
        logging.getLogger(__name__).warning(
            "WAYHOME_LOG_LEVEL=%s: debug lines can contain question texts, Telegram ids and usernames; use it "
            "on a developer's machine only, never where real people ask", level.upper())

"""All configuration in one pydantic-settings class (prefix ``WAYHOME_``, reads ``.env``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_CHANNEL = re.compile(r"^[a-z][a-z0-9_]{2,31}$")


class Settings(BaseSettings):
    """wayhome settings; every field can be set as ``WAYHOME_<NAME>`` in the environment or ``.env``."""

    model_config = SettingsConfigDict(env_prefix="WAYHOME_", env_file=".env", extra="ignore")

    telegram_token: SecretStr | None = None
    telegram_base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    data_dir: Path = Path("data")

    embedding_model: str = DEFAULT_MODEL
    multilingual_model: str = "multilingual-e5-small"  # for questions not in English; "" = none
    top_k: int = Field(default=3, ge=1, le=20)

    chunk_max_tokens: int = Field(default=128, ge=16, le=512)
    chunk_min_tokens: int = Field(default=40, ge=0, le=512)
    chunk_overlap_sentences: int = Field(default=1, ge=0, le=5)

    flat_index_max: int = Field(default=20_000, ge=1)  # exact search up to here, IVF above (wayhome bench --scale)

    max_question_chars: int = Field(default=1000, ge=10)
    user_rate_limit: int = Field(default=8, ge=1)
    user_rate_window_s: float = Field(default=30.0, gt=0)
    inline_rate_limit: int = Field(default=30, ge=1)  # inline queries (each keystroke is one), apart from questions
    inline_rate_window_s: float = Field(default=30.0, gt=0)
    log_level: str = "INFO"  # DEBUG may log question texts and Telegram ids: on a developer's machine only
    keep_questions: bool = False  # keep question texts (day only, no user link) for `wayhome questions export`

    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()  # Telegram user ids allowed /add and /stats
    answer_retention_days: float = Field(default=7.0, gt=0)  # answers behind buttons, then deleted (hourly)
    fetch_timeout_s: float = Field(default=15.0, gt=0)  # `wayhome add`: per page or feed
    fetch_max_bytes: int = Field(default=5_000_000, ge=1000)
    channels: Annotated[frozenset[str], NoDecode] = frozenset()  # Telegram channels whose posts the bot adds live
    channel_refresh_s: float = Field(default=30.0, ge=0)  # live channel posts: at most one index refresh per this

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _comma_separated_ids(cls, value: Any) -> Any:
        """``"123, 456"`` (as written in .env) → {123, 456}; an empty value means no admins."""
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(part.lstrip("-").isdigit() for part in parts):
                raise ValueError("must be Telegram user ids (whole numbers) separated by commas")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("channels", mode="before")
    @classmethod
    def _channel_names(cls, value: Any) -> Any:
        """``"@putdomoy, -1001234567890"`` → {"putdomoy", "-1001234567890"}: usernames (case-insensitive, without
        the @) or numeric chat ids."""
        if isinstance(value, str):
            parts = [part.strip().removeprefix("@").lower() for part in value.split(",") if part.strip()]
            bad = [p for p in parts if not (_CHANNEL.match(p) or p.lstrip("-").isdigit())]
            if bad:
                raise ValueError(f"must be channel usernames (@name) or chat ids separated by commas, not {bad[0]!r}")
            return frozenset(parts)
        return value

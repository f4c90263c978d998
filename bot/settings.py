"""All configuration in one pydantic-settings class (prefix ``WAYHOME_``, reads ``.env``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "all-MiniLM-L6-v2"


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
    top_k: int = Field(default=3, ge=1, le=20)

    chunk_max_tokens: int = Field(default=128, ge=16, le=512)
    chunk_min_tokens: int = Field(default=40, ge=0, le=512)
    chunk_overlap_sentences: int = Field(default=1, ge=0, le=5)

    flat_index_max: int = Field(default=20_000, ge=1)  # exact search up to here, IVF above (wayhome bench --scale)

    max_question_chars: int = Field(default=1000, ge=10)
    user_rate_limit: int = Field(default=8, ge=1)
    user_rate_window_s: float = Field(default=30.0, gt=0)
    feedback_salt: SecretStr = SecretStr("wayhome")
    log_level: str = "INFO"

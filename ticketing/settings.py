"""Configuration of the ticketing backend, read from `SUPPORTBOT_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    """Every setting of the backend; `get_settings()` returns the cached instance."""

    model_config = SettingsConfigDict(env_prefix="SUPPORTBOT_", extra="ignore")

    environment: str = Field(default="development", description="development, test or production")
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'supportbot.db'}"
    redis_url: str | None = None
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    service_api_keys: SecretStr = SecretStr("")
    policy_file: Path = REPO_ROOT / "policy.yml"
    verification_token_minutes: int = 30
    staff_token_minutes: int = 480
    verification_max_failures: int = 5
    verification_window_seconds: int = 900
    max_body_bytes: int = 64 * 1024

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.environment == "production":
            if self.secret_key.get_secret_value() == DEVELOPMENT_SECRET:
                raise ValueError("SUPPORTBOT_SECRET_KEY must be set in production")
            if not self.api_keys():
                raise ValueError("SUPPORTBOT_SERVICE_API_KEYS must be set in production")
        return self

    def api_keys(self) -> list[str]:
        """The accepted service API keys (comma-separated, so a key can be rotated)."""
        raw = self.service_api_keys.get_secret_value()
        keys = [key.strip() for key in raw.split(",") if key.strip()]
        if not keys and self.environment != "production":
            keys = ["dev-service-key"]
        return keys

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL with the psycopg 3 driver named for plain PostgreSQL URLs."""
        return normalise_database_url(self.database_url)


def normalise_database_url(url: str) -> str:
    """`postgresql://` and `postgres://` become `postgresql+psycopg://`."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; tests call `get_settings.cache_clear()` after changing env."""
    return Settings()

"""Configuration of the ticketing backend, read from `SUPPORTBOT_*` environment variables."""

from __future__ import annotations

import enum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105 - refused outside development
DEVELOPMENT_SERVICE_KEY = "dev-service-key"
DEVELOPMENT_REST_CHANNEL_KEY = "dev-rest-channel-key"  # noqa: S105 - refused in production
MIN_SECRET_CHARS = 32
MIN_SERVICE_KEY_CHARS = 32


class Environment(enum.StrEnum):
    """Where the backend runs; production refuses development secrets and keys."""

    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Every setting of the backend; `get_settings()` returns the cached instance."""

    model_config = SettingsConfigDict(env_prefix="SUPPORTBOT_", extra="ignore")

    environment: Environment = Field(
        default=Environment.DEVELOPMENT, description="development, test or production"
    )
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'supportbot.db'}"
    redis_url: str | None = None
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    service_api_keys: SecretStr = SecretStr("")
    rest_channel_keys: SecretStr = Field(
        default=SecretStr(""),
        description="X-Channel-Key values that let a server-side integration post to "
        "POST /webhooks/rest/webhook with its own sender ids (comma-separated); empty: the "
        "development key outside production, none in production",
    )
    policy_file: Path = REPO_ROOT / "policy.yml"
    verification_token_minutes: int = 30
    staff_token_minutes: int = 480
    login_failures_per_account: int = Field(
        default=5, description="wrong passwords per account before it is locked; 0: no limit"
    )
    login_failures_per_ip: int = Field(
        default=20, description="wrong passwords per client address before it is locked; 0: none"
    )
    login_window_seconds: int = Field(
        default=900, description="failures are counted in windows this long"
    )
    login_lock_seconds: int = Field(
        default=60, description="the first lock; each further lock of the same key doubles it"
    )
    login_max_lock_seconds: int = Field(default=3600, description="the longest lock")
    verification_max_failures: int = 5
    verification_window_seconds: int = 900
    verification_failures_per_ip: int = Field(
        default=20, description="failures from one customer address per window; 0: none"
    )
    verification_failures_per_minute: int = Field(
        default=60, description="failures of everyone together in a minute; 0: none"
    )
    max_body_bytes: int = 64 * 1024
    message_limit_per_conversation: int = Field(default=20, description="per window; 0: none")
    message_limit_per_ip: int = Field(default=60, description="per window, web and REST; 0: none")
    message_limit_window_seconds: int = 60
    chat_session_limit_per_ip: int = Field(default=20, description="new web chats; 0: none")
    chat_session_window_seconds: int = 3600
    rasa_url: str | None = Field(
        default="http://127.0.0.1:5005",
        description="Rasa server, or several separated by commas (each conversation keeps to "
        "one; they share the tracker store); empty: no bot, all to people",
    )
    rasa_timeout_seconds: float = 60.0
    rasa_startup_seconds: float = Field(
        default=300.0,
        description="for this long after the backend starts, messages wait for a Rasa that is "
        "still loading its model instead of going to a person; 0: never wait",
    )
    telegram_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_polling: bool = Field(
        default=False, description="poll Telegram from the backend (local use, no webhook)"
    )
    public_url: str = "http://127.0.0.1:8000"
    crm_webhook_url: str | None = Field(
        default=None, description="CRM webhook for ratings and resolved tickets; empty: none"
    )
    crm_webhook_secret: SecretStr | None = Field(
        default=None, description="HMAC-SHA256 key of X-Supportbot-Signature (required with URL)"
    )
    crm_timeout_seconds: float = 10.0
    crm_max_attempts: int = Field(default=48, description="then an event is dead (~1.7 days)")
    crm_poll_seconds: float = 5.0
    log_format: Literal["text", "json"] = Field(
        default="text", description="text: one readable line; json: one JSON object per line"
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="bearer token GET /metrics requires; empty: open outside production, "
        "refused in production",
    )
    api_docs: bool | None = Field(
        default=None,
        description="serve /docs, /redoc and /openapi.json; unset: everywhere but production",
    )
    actions_url: str | None = Field(
        default="http://127.0.0.1:5055/webhook",
        description="Rasa's action endpoint (endpoints.yml reads it too); /api/ready probes its "
        "/health",
    )
    sla_check_seconds: float = Field(
        default=60.0, description="how often the SLA watch warns and escalates; 0: never"
    )
    training_inbox_retention_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description="unlabelled messages in the training inbox are deleted after this many days",
    )
    training_retention_check_seconds: float = Field(
        default=3600.0, description="how often the training inbox's retention runs; 0: never"
    )

    @field_validator("environment", mode="before")
    @classmethod
    def _known_environment(cls, value: object) -> object:
        """' Production ' -> production; anything but the three names refuses to start."""
        if isinstance(value, str) and not isinstance(value, Environment):
            cleaned = value.strip().lower()
            if cleaned not in {e.value for e in Environment}:
                allowed = ", ".join(e.value for e in Environment)
                raise ValueError(f"SUPPORTBOT_ENVIRONMENT must be one of {allowed} (got {value!r})")
            return cleaned
        return value

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.environment == Environment.PRODUCTION:
            secret = self.secret_key.get_secret_value()
            if secret == DEVELOPMENT_SECRET or len(secret) < MIN_SECRET_CHARS:
                raise ValueError(
                    f"SUPPORTBOT_SECRET_KEY must be set in production, at least "
                    f"{MIN_SECRET_CHARS} characters (e.g. `openssl rand -hex 32`)"
                )
            keys = self.api_keys()
            if not keys:
                raise ValueError("SUPPORTBOT_SERVICE_API_KEYS must be set in production")
            if DEVELOPMENT_SERVICE_KEY in keys or min(map(len, keys)) < MIN_SERVICE_KEY_CHARS:
                raise ValueError(
                    f"SUPPORTBOT_SERVICE_API_KEYS: in production every key must be at least "
                    f"{MIN_SERVICE_KEY_CHARS} characters and not the development key "
                    f"(e.g. `openssl rand -hex 32`)"
                )
            channel_keys = self.channel_keys()  # none is fine: the REST channel wants tokens
            if DEVELOPMENT_REST_CHANNEL_KEY in channel_keys or any(
                len(key) < MIN_SERVICE_KEY_CHARS for key in channel_keys
            ):
                raise ValueError(
                    f"SUPPORTBOT_REST_CHANNEL_KEYS: in production every key must be at least "
                    f"{MIN_SERVICE_KEY_CHARS} characters and not the development key "
                    f"(e.g. `openssl rand -hex 32`); leave it empty to accept conversation "
                    f"tokens only"
                )
        if self.crm_webhook_url and not (
            self.crm_webhook_secret and self.crm_webhook_secret.get_secret_value()
        ):
            raise ValueError("SUPPORTBOT_CRM_WEBHOOK_SECRET must be set with the CRM webhook URL")
        return self

    def api_keys(self) -> list[str]:
        """The accepted service API keys (comma-separated, so a key can be rotated)."""
        raw = self.service_api_keys.get_secret_value()
        keys = [key.strip() for key in raw.split(",") if key.strip()]
        if not keys and self.environment != Environment.PRODUCTION:
            keys = [DEVELOPMENT_SERVICE_KEY]
        return keys

    def channel_keys(self) -> list[str]:
        """The accepted REST channel keys (comma-separated, so a key can be rotated)."""
        raw = self.rest_channel_keys.get_secret_value()
        keys = [key.strip() for key in raw.split(",") if key.strip()]
        if not keys and self.environment != Environment.PRODUCTION:
            keys = [DEVELOPMENT_REST_CHANNEL_KEY]
        return keys

    @property
    def rasa_urls(self) -> list[str]:
        """The Rasa servers the hub spreads conversations over (none: no bot)."""
        return split_urls(self.rasa_url)

    @property
    def is_production(self) -> bool:
        return self.environment == Environment.PRODUCTION

    @property
    def serves_api_docs(self) -> bool:
        """/docs, /redoc and /openapi.json: on unless production (`SUPPORTBOT_API_DOCS` wins)."""
        return self.api_docs if self.api_docs is not None else not self.is_production

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL with the psycopg 3 driver named for plain PostgreSQL URLs."""
        return normalise_database_url(self.database_url)


def split_urls(raw: str | None) -> list[str]:
    """A comma-separated list of base URLs, without blanks or trailing slashes."""
    return [url.strip().rstrip("/") for url in (raw or "").split(",") if url.strip()]


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

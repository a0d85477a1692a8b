"""SUPPORTBOT_ENVIRONMENT is one of three names in any case; anything else refuses to start, and
production refuses development and short service keys (issue 15, finding 7: `prod` or
`Production` ran as development, with the public development secret)."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from ticketing.settings import (
    DEVELOPMENT_REST_CHANNEL_KEY,
    DEVELOPMENT_SECRET,
    Environment,
    Settings,
)

STRONG = "f" * 64
SERVICE_KEY = "k" * 32


@pytest.mark.parametrize(
    ("raw", "environment"),
    [
        ("production", Environment.PRODUCTION),
        ("Production", Environment.PRODUCTION),
        (" PRODUCTION ", Environment.PRODUCTION),
        ("Development", Environment.DEVELOPMENT),
        ("TEST", Environment.TEST),
    ],
)
def test_the_environment_is_read_in_any_case(raw: str, environment: Environment) -> None:
    settings = Settings(environment=raw, secret_key=STRONG, service_api_keys=SERVICE_KEY)
    assert settings.environment is environment


@pytest.mark.parametrize("raw", ["prod", "staging", "", "live"])
def test_an_unknown_environment_refuses_to_start_naming_the_allowed_ones(
    raw: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORTBOT_ENVIRONMENT", raw)
    with pytest.raises(ValidationError, match="must be one of development, test, production"):
        Settings()


def test_production_in_capitals_refuses_the_development_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUPPORTBOT_ENVIRONMENT", "Production")
    monkeypatch.setenv("SUPPORTBOT_SERVICE_API_KEYS", SERVICE_KEY)
    monkeypatch.delenv("SUPPORTBOT_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="SUPPORTBOT_SECRET_KEY must be set in production"):
        Settings()


@pytest.mark.parametrize(
    "keys", ["dev-service-key", "x", "k" * 31, f"{SERVICE_KEY},dev-service-key", f"{SERVICE_KEY},y"]
)
def test_production_refuses_development_and_short_service_keys(keys: str) -> None:
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(environment="production", secret_key=STRONG, service_api_keys=SecretStr(keys))


def test_production_accepts_long_keys_and_development_keeps_its_defaults() -> None:
    rotated = Settings(
        environment="production", secret_key=STRONG, service_api_keys=f"{SERVICE_KEY}, {'n' * 40}"
    )
    assert rotated.api_keys() == [SERVICE_KEY, "n" * 40]
    development = Settings(environment="development")
    assert development.secret_key.get_secret_value() == DEVELOPMENT_SECRET
    assert development.api_keys() == ["dev-service-key"]


@pytest.mark.parametrize(
    ("environment", "api_docs", "served"),
    [
        ("development", None, True),
        ("test", None, True),
        ("production", None, False),
        ("production", True, True),
        ("development", False, False),
    ],
)
def test_api_docs_are_off_in_production_unless_asked_for(
    environment: str, api_docs: bool | None, served: bool
) -> None:
    settings = Settings(
        environment=environment, secret_key=STRONG, service_api_keys=SERVICE_KEY, api_docs=api_docs
    )
    assert settings.serves_api_docs is served


@pytest.mark.parametrize(
    "keys", ["dev-rest-channel-key", "x", "c" * 31, f"{'c' * 32},dev-rest-channel-key"]
)
def test_production_refuses_development_and_short_rest_channel_keys(keys: str) -> None:
    with pytest.raises(ValidationError, match="SUPPORTBOT_REST_CHANNEL_KEYS: in production"):
        Settings(
            environment="production",
            secret_key=STRONG,
            service_api_keys=SERVICE_KEY,
            rest_channel_keys=SecretStr(keys),
        )


def test_without_rest_channel_keys_production_takes_tokens_only_and_test_a_dev_key() -> None:
    """Production without keys: the REST channel takes conversation tokens only."""
    base = {"secret_key": STRONG, "service_api_keys": SERVICE_KEY}
    assert Settings(environment="production", **base).channel_keys() == []
    rotated = Settings(
        environment="production", rest_channel_keys=f"{'c' * 32}, {'d' * 40}", **base
    )
    assert rotated.channel_keys() == ["c" * 32, "d" * 40]
    assert Settings(environment="test").channel_keys() == [DEVELOPMENT_REST_CHANNEL_KEY]
    assert Settings(environment="development").channel_keys() == [DEVELOPMENT_REST_CHANNEL_KEY]

"""Production refuses to start with a missing, default or short secret key."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from ticketing.settings import DEVELOPMENT_SECRET, Settings

STRONG = "f" * 64


def production(secret: str) -> Settings:
    return Settings(
        environment="production",
        secret_key=SecretStr(secret),
        service_api_keys=SecretStr("a-service-key-for-the-action-server"),
    )


@pytest.mark.parametrize("secret", ["", "short", DEVELOPMENT_SECRET, "x" * 31])
def test_weak_secret_keys_are_refused_in_production(secret: str) -> None:
    with pytest.raises(ValidationError, match="SUPPORTBOT_SECRET_KEY must be set in production"):
        production(secret)


def test_a_strong_secret_key_is_accepted() -> None:
    assert production(STRONG).secret_key.get_secret_value() == STRONG


def test_development_keeps_its_default() -> None:
    assert Settings(environment="development").secret_key.get_secret_value() == DEVELOPMENT_SECRET

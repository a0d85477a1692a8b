"""The backend's Settings, built from what Compose and Kubernetes give the backend, is a
complete production configuration; every setting production cannot do without is one the
deployment refuses to start without."""

from __future__ import annotations

import os
import re

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from tests.deploy.manifests import (
    compose_services,
    k8s_environment,
    pod_specs,
    service_environment,
)
from ticketing.settings import Settings


def settings_from(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings as the backend process builds them with exactly `env` (SUPPORTBOT_* only)."""
    for name in list(os.environ):
        if name.startswith("SUPPORTBOT_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        if name.startswith("SUPPORTBOT_"):
            monkeypatch.setenv(name, value)
    return Settings()


def required_in_production(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The variables without which Settings refuses `env` (found by leaving out each one)."""
    required = set()
    for name in env:
        if name.startswith("SUPPORTBOT_") and name != "SUPPORTBOT_ENVIRONMENT":
            try:
                settings_from({k: v for k, v in env.items() if k != name}, monkeypatch)
            except ValidationError:
                required.add(name)
    return required


@pytest.mark.parametrize("service", ["backend", "migrate"])
def test_compose_gives_a_complete_production_configuration(
    service: str, filled_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    services = compose_services(filled_env)
    settings = settings_from(service_environment(services[service]), monkeypatch)
    assert settings.environment == "production"
    url = make_url(settings.sqlalchemy_url)
    assert (url.get_backend_name(), url.host) == ("postgresql", "postgres")
    assert url.password == filled_env["POSTGRES_PASSWORD"]
    assert settings.redis_url and make_url(settings.redis_url).host == "redis"
    assert settings.rasa_url == "http://nginx:5005"
    assert settings.telegram_polling is False, "several workers: Telegram must use the webhook"
    # The key the action servers send is one the backend accepts.
    actions_key = service_environment(services["actions-1"])["SUPPORTBOT_ACTIONS_API_KEY"]
    assert actions_key in settings.api_keys()


def test_what_production_requires_compose_refuses_to_start_without(
    filled_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = service_environment(compose_services()["backend"])
    resolved = service_environment(compose_services(filled_env)["backend"])
    required = required_in_production(resolved, monkeypatch)
    assert {"SUPPORTBOT_SECRET_KEY", "SUPPORTBOT_SERVICE_API_KEYS"} <= required
    for name in required | {"SUPPORTBOT_DATABASE_URL", "SUPPORTBOT_REDIS_URL"}:
        assert re.search(r"\$\{\w+:\?", raw[name]), f"{name} must be `${{VAR:?...}}` in compose"


def test_kubernetes_gives_the_backend_and_its_migrations_every_required_setting(
    filled_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    resolved = service_environment(compose_services(filled_env)["backend"])
    required = required_in_production(resolved, monkeypatch)
    for name, spec in pod_specs():
        for container in spec["containers"]:
            if str(container["image"]) != "supportbot-backend":
                continue
            env = k8s_environment(container)
            assert env["SUPPORTBOT_ENVIRONMENT"] == "production", name
            assert required | {"SUPPORTBOT_DATABASE_URL"} <= set(env), name
            if name != "supportbot-migrate":
                assert {"SUPPORTBOT_REDIS_URL", "SUPPORTBOT_RASA_URL"} <= set(env), name
                assert env["SUPPORTBOT_TELEGRAM_POLLING"] == "false"
                # The Ingress serves /metrics too: the template must ask for a token.
                assert "SUPPORTBOT_METRICS_TOKEN" in env

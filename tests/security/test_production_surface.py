"""What production does not show to anyone (issue 15, low finding): /docs, /redoc and
/openapi.json are off unless SUPPORTBOT_API_DOCS=true, and /metrics refuses without a token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import codes
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings

DOC_PATHS = ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect")


def production(settings: Settings, **changes: object) -> Settings:
    values = {
        "environment": "production",
        "secret_key": "p" * 64,
        "service_api_keys": "s" * 40,
        **changes,
    }
    return Settings.model_validate({**settings.model_dump(), **values})


@pytest.fixture
def app_with(database: Database) -> Iterator[object]:
    clients: list[TestClient] = []

    def make(settings: Settings) -> TestClient:
        clients.append(TestClient(create_app(settings, database=database)))
        return clients[-1]

    yield make


def test_production_serves_no_api_docs(app_with, settings: Settings) -> None:
    client = app_with(production(settings))
    for path in DOC_PATHS:
        assert client.get(path).status_code == 404, path
    assert client.get("/api/health").status_code == 200


def test_production_serves_the_docs_when_asked_to(app_with, settings: Settings) -> None:
    client = app_with(production(settings, api_docs=True))
    assert client.get("/docs").status_code == 200
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert "/api/auth/login" in client.get("/openapi.json").json()["paths"]


def test_development_and_tests_serve_the_docs(app_with, settings: Settings) -> None:
    client = app_with(settings)
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(path).status_code == 200, path


def test_production_metrics_need_a_token(app_with, settings: Settings) -> None:
    refused = app_with(production(settings)).get("/metrics")
    assert refused.status_code == 403
    assert codes(refused) == ["metrics_token_required"]
    with_token = app_with(production(settings, metrics_token="m" * 40))
    assert with_token.get("/metrics").status_code == 403
    scraped = with_token.get("/metrics", headers={"Authorization": f"Bearer {'m' * 40}"})
    assert scraped.status_code == 200
    assert app_with(settings).get("/metrics").status_code == 200  # development stays open

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import REDIS_URL
from ticketing.app import create_app


def test_health_and_readiness_report_each_dependency(client):
    assert client.get("/api/health").json() == {"status": "ok"}
    ready = client.get("/api/ready")
    assert ready.status_code == 200
    checks = ready.json()["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["redis"]["status"] == ("ok" if REDIS_URL else "not_configured")


def test_readiness_fails_when_redis_is_down(database, settings, clock):
    down = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    with TestClient(create_app(down, database=database, clock=clock)) as client:
        ready = client.get("/api/ready")
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"]["status"] == "down"


def test_the_openapi_spec_documents_every_route(client):
    spec = client.get("/openapi.json").json()
    assert "/api/orders/{order_number}/refunds" in spec["paths"]
    assert "Idempotency-Key" in str(spec["paths"]["/api/orders/{order_number}/refunds"]["post"])

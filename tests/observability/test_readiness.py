"""`/api/ready` reports every dependency; only the database and a configured Redis fail it."""

from __future__ import annotations

import socket
import uuid

from fastapi.testclient import TestClient
from pydantic import SecretStr

from integrations.crm.models import CrmEvent
from tests.fake_rasa import running_fake_rasa
from ticketing.app import create_app
from ticketing.db import Database, utcnow


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def ready(database: Database, settings, clock, **update) -> tuple[int, dict]:
    configured = settings.model_copy(update=update)
    with TestClient(create_app(configured, database=database, clock=clock)) as client:
        answer = client.get("/api/ready")
    return answer.status_code, answer.json()


def test_the_bot_up_means_ready(database: Database, settings, clock) -> None:
    with running_fake_rasa() as rasa:
        status, body = ready(
            database, settings, clock, rasa_url=rasa.url, actions_url=f"{rasa.url}/webhook"
        )
    assert status == 200 and body["status"] == "ready"
    assert body["checks"]["rasa"] == {"status": "ok"}
    assert body["checks"]["actions"] == {"status": "ok"}
    assert body["checks"]["crm"] == {"status": "not_configured"}


def test_the_bot_down_is_reported_but_the_backend_stays_ready(
    database: Database, settings, clock
) -> None:
    down = closed_port_url()
    status, body = ready(database, settings, clock, rasa_url=down, actions_url=f"{down}/webhook")
    assert status == 200, "without the bot the hub hands conversations to people"
    assert body["status"] == "degraded"
    assert body["checks"]["rasa"]["status"] == "down"
    assert body["checks"]["actions"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "ok"


def test_no_bot_configured_is_not_a_problem(database: Database, settings, clock) -> None:
    status, body = ready(database, settings, clock, rasa_url=None)
    assert status == 200 and body["status"] == "ready"
    assert body["checks"]["rasa"] == body["checks"]["actions"] == {"status": "not_configured"}


def test_crm_events_given_up_on_are_reported(database: Database, settings, clock) -> None:
    now = utcnow()
    with database.session(write=True) as db_session:
        for dead in (True, False, False):
            db_session.add(
                CrmEvent(
                    id=uuid.uuid4(), kind="csat.submitted", payload={}, created_at=now,
                    next_attempt_at=None if dead else now, dead_at=now if dead else None,
                )
            )  # fmt: skip
    status, body = ready(
        database,
        settings,
        clock,
        crm_webhook_url="http://127.0.0.1:9/crm",
        crm_webhook_secret=SecretStr("s3cret-for-tests"),
    )
    assert status == 200
    assert body["checks"]["crm"] == {"status": "failing", "pending": 2, "dead": 1}
    assert body["status"] == "degraded"

"""`/metrics`: counters follow what the database commits, HTTP timings by route template,
gauges read from the database, and the optional scrape token."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from tests.conftest import SERVICE_KEY
from tests.hub.helpers import rest_say
from ticketing.app import create_app
from ticketing.conversations.models import Conversation, Direction, Message, Owner, Sender
from ticketing.db import Database, utcnow


def sample(client: TestClient, name: str, **labels: str) -> float:
    """One sample's value from the exposition (0 when the series does not exist yet)."""
    text = client.get("/metrics").text
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
        if not match or match.group(1) != name:
            continue
        found = ",".join(sorted((match.group(2) or "").split(","))) if match.group(2) else ""
        if found == wanted:
            return float(match.group(3))
    return 0.0


def test_a_message_handed_to_people_shows_in_counters_and_gauges(client: TestClient) -> None:
    before_in = sample(
        client, "supportbot_messages_total", channel="rest", direction="in", sender="customer"
    )
    before_handoffs = sample(client, "supportbot_conversation_events_total", kind="bot_handoff")
    assert sample(client, "supportbot_queue_waiting") == 0

    # No Rasa in these settings: the hub hands the conversation to a person.
    answer = rest_say(client, "m1", "hello")
    assert answer.status_code == 200, answer.text

    after_in = sample(
        client, "supportbot_messages_total", channel="rest", direction="in", sender="customer"
    )
    assert after_in == before_in + 1
    handoffs = sample(client, "supportbot_conversation_events_total", kind="bot_handoff")
    assert handoffs == before_handoffs + 1
    assert sample(client, "supportbot_queue_waiting") == 1
    assert sample(client, "supportbot_conversations_with_people") == 1
    served = sample(
        client,
        "supportbot_http_requests_total",
        method="POST",
        route="/webhooks/rest/webhook",
        status="200",
    )
    assert served >= 1


def test_a_rolled_back_transaction_counts_nothing(client: TestClient, database: Database) -> None:
    labels = {"channel": "web", "direction": "in", "sender": "customer"}
    before = sample(client, "supportbot_messages_total", **labels)
    with pytest.raises(RuntimeError), database.session(write=True) as db_session:
        now = utcnow()
        conversation = Conversation(
            id="web-rollback", channel="web", external_id="rollback", owner=Owner.BOT,
            context={}, created_at=now, updated_at=now,
        )  # fmt: skip
        db_session.add(conversation)
        db_session.flush()
        db_session.add(
            Message(
                conversation_id="web-rollback", direction=Direction.IN, sender=Sender.CUSTOMER,
                text="never stored", payload={}, created_at=now,
            )
        )  # fmt: skip
        db_session.flush()
        raise RuntimeError("the request failed after the flush")
    assert sample(client, "supportbot_messages_total", **labels) == before


def test_unknown_paths_share_one_label(client: TestClient) -> None:
    for path in ("/nope/1", "/nope/2", "/wp-admin.php"):
        assert client.get(path).status_code == 404
    text = client.get("/metrics").text
    assert "/nope/1" not in text and "wp-admin" not in text
    assert (
        sample(
            client, "supportbot_http_requests_total", method="GET", route="unmatched", status="404"
        )
        >= 3
    )


def test_a_configured_token_is_required(database: Database, settings, clock) -> None:
    guarded = settings.model_copy(update={"metrics_token": SecretStr("scrape-me-please")})
    with TestClient(create_app(guarded, database=database, clock=clock)) as client:
        refused = client.get("/metrics")
        assert refused.status_code == 403
        assert "SUPPORTBOT_METRICS_TOKEN" in refused.json()["detail"][0]["msg"]
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
        allowed = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-please"})
        assert allowed.status_code == 200
        assert allowed.headers["content-type"].startswith("text/plain")
        assert "supportbot_queue_waiting" in allowed.text
        assert SERVICE_KEY not in allowed.text


WORKER = """
import sys
from fastapi.testclient import TestClient
import ticketing.models
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings

database = Database("sqlite://")
ticketing.models.Base.metadata.create_all(database.engine)
app = create_app(Settings(environment="test", rasa_url=None, redis_url=None), database=database)
with TestClient(app) as client:
    for _ in range(int(sys.argv[1])):
        assert client.get("/api/health").status_code == 200
    if len(sys.argv) > 2:
        sys.stdout.write(client.get("/metrics").text)
"""


def test_several_workers_are_summed_in_multiprocess_mode(tmp_path) -> None:
    """Two processes (like two uvicorn workers) share PROMETHEUS_MULTIPROC_DIR: a scrape of
    either reports both processes' requests."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    run = [sys.executable, "-c", WORKER]
    subprocess.run([*run, "3"], env=env, check=True, timeout=120)
    scraped = subprocess.run(
        [*run, "2", "scrape"], env=env, check=True, timeout=120, capture_output=True, text=True
    ).stdout
    line = next(
        line
        for line in scraped.splitlines()
        if line.startswith("supportbot_http_requests_total{") and 'route="/api/health"' in line
    )
    assert float(line.rsplit(" ", 1)[1]) == 5

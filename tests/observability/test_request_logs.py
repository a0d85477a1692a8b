"""Request ids on every answer and in every log line; JSON logs; personal data masked."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.hub.helpers import rest_id, rest_say
from ticketing.logs import JsonFormatter, PersonalDataFilter


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the access logger writes, as JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("supportbot.access")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def entries(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_every_answer_has_a_request_id_that_the_access_log_names(
    client: TestClient, json_lines: io.StringIO
) -> None:
    first, second = client.get("/api/health"), client.get("/api/health")
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert ids[0] != ids[1] and all(len(i) == 32 for i in ids)
    logged = [e for e in entries(json_lines) if e.get("http", {}).get("route") == "/api/health"]  # type: ignore[union-attr]
    assert [e["request_id"] for e in logged] == ids
    assert logged[0]["http"] == {"method": "GET", "route": "/api/health", "status": 200}
    assert logged[0]["level"] == "INFO" and str(logged[0]["time"]).endswith("+00:00")


def test_a_proxy_request_id_is_kept_only_when_it_is_a_safe_token(client: TestClient) -> None:
    kept = client.get("/api/health", headers={"X-Request-Id": "edge-1234.abc_9"})
    assert kept.headers["x-request-id"] == "edge-1234.abc_9"
    for unsafe in ("a b", "x" * 65, "<script>", "id;drop"):
        replaced = client.get("/api/health", headers={"X-Request-Id": unsafe})
        assert replaced.headers["x-request-id"] != unsafe
        assert len(replaced.headers["x-request-id"]) == 32


def test_conversation_ids_reach_the_logs_of_the_hub_but_sender_ids_do_not(
    client: TestClient, caplog: pytest.LogCaptureFixture, json_lines: io.StringIO
) -> None:
    answer = rest_say(client, "log-me", "hi")
    assert answer.status_code == 200
    [access] = [
        e for e in entries(json_lines) if e.get("http", {}).get("route") == "/webhooks/rest/webhook"
    ]  # type: ignore[union-attr]
    assert access["conversation_id"] == answer.headers["X-Conversation-Id"] == rest_id("log-me")
    assert "log-me" not in json_lines.getvalue() + caplog.text


def test_json_lines_mask_personal_data_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.observability.masking")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ValueError("no customer ada@example.com / +49 151 2345 6789")
        except ValueError:
            logger.exception("lookup for %s failed", "ada@example.com")
    finally:
        logger.removeHandler(handler)
    [entry] = entries(stream)
    assert entry["message"] == "lookup for a***@example.com failed"
    assert "ValueError" in str(entry["exception"])
    assert "ada@" not in stream.getvalue() and "2345" not in stream.getvalue()

"""Every JSON route refuses oversized and non-JSON bodies the same way, before any view runs:
the API, the web chat and the REST webhook; console forms are size-limited too."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SERVICE_KEY
from tests.hub.helpers import CHANNEL_KEY

LIMIT = 64 * 1024  # the default SUPPORTBOT_MAX_BODY_BYTES
ROUTES = ["/api/tickets", "/chat/api/messages", "/webhooks/rest/webhook", "/console/login"]


def codes(response) -> list[str]:
    return [d["code"] for d in response.json()["detail"]]


@pytest.mark.parametrize("path", ROUTES)
def test_a_declared_oversized_body_is_refused_unread(client: TestClient, path: str) -> None:
    body = b"{" + b" " * LIMIT + b"}"
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert (response.status_code, codes(response)) == (413, ["too_large"])
    assert "65,536 bytes" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("path", ROUTES)
def test_a_streamed_body_without_length_is_cut_off_at_the_limit(
    client: TestClient, path: str
) -> None:
    def chunks():
        for _ in range(1000):  # 1000 x 1 KiB, no Content-Length: chunked
            yield b"x" * 1024

    response = client.post(path, content=chunks(), headers={"Content-Type": "application/json"})
    assert (response.status_code, codes(response)) == (413, ["too_large"])


@pytest.mark.parametrize("path", ["/api/tickets", "/chat/api/messages", "/webhooks/rest/webhook"])
def test_json_routes_want_json(client: TestClient, path: str) -> None:
    response = client.post(
        path, content=b"sender=a&message=b", headers={"Content-Type": "text/plain"}
    )
    assert (response.status_code, codes(response)) == (415, ["bad_type"])


def test_the_rest_webhook_still_works_with_json_charset(client: TestClient) -> None:
    response = client.post(
        "/webhooks/rest/webhook",
        content=b'{"sender": "limits", "message": "hello \\u00e9"}',
        headers={"Content-Type": "application/json; charset=utf-8", **CHANNEL_KEY},
    )
    assert response.status_code == 200, response.text


def test_a_body_at_the_limit_reaches_the_view(client: TestClient) -> None:
    text = "a" * (LIMIT - 200)
    body = ('{"sender": "edge", "message": "' + text + '"}').encode()
    assert len(body) <= LIMIT
    response = client.post(
        "/webhooks/rest/webhook",
        content=body,
        headers={"Content-Type": "application/json", **CHANNEL_KEY},
    )
    # Past the middleware: the view's own validation refuses a message this long.
    assert response.status_code == 422
    assert codes(response) == ["invalid_input"]
    assert "message" in str(response.json()["detail"])
    assert client.get("/api/health", headers={"X-Api-Key": SERVICE_KEY}).status_code == 200


@pytest.mark.parametrize("path", ["/api/ratings", "/chat/api/messages", "/webhooks/rest/webhook"])
def test_a_nul_character_is_refused_as_bad_input(client: TestClient, path: str) -> None:
    """PostgreSQL text can't hold NUL: refused up front, not a 500 deep in a transaction."""
    body = b'{"sender": "nul", "message": "hi\\u0000", "comment": "a\\u0000"}'
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert (response.status_code, codes(response)) == (422, ["nul_character"])


def test_an_escaped_backslash_before_u0000_is_just_text(client: TestClient) -> None:
    body = b'{"sender": "slash", "message": "path C:\\\\u0000 is fine"}'
    response = client.post(
        "/webhooks/rest/webhook",
        content=body,
        headers={"Content-Type": "application/json", **CHANNEL_KEY},
    )
    assert response.status_code == 200, response.text

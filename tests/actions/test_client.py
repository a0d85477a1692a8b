"""actions/clients/ticketing_api.py: headers, keys and the two kinds of failure."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import respx
from httpx import Response

from actions.clients.ticketing_api import (
    ApiConfig,
    ApiRefusal,
    BackendUnavailable,
    TicketingApi,
    idempotency_key,
)
from tests.actions.helpers import API_KEY, BASE_URL, TOKEN, body, error_json, order_json


def test_the_config_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPPORTBOT_API_URL", "http://api.example:9000/")
    monkeypatch.setenv("SUPPORTBOT_ACTIONS_API_KEY", "k")
    monkeypatch.setenv("SUPPORTBOT_API_TIMEOUT", "1.5")
    assert ApiConfig.from_env() == ApiConfig("http://api.example:9000", "k", 1.5)


def test_the_idempotency_key_is_stable_and_specific() -> None:
    key = idempotency_key("cancel", "conv-1", "10234")
    assert key == idempotency_key("cancel", "conv-1", "10234")
    assert key.startswith("bot-") and len(key) == 44
    assert key != idempotency_key("cancel", "conv-2", "10234")
    assert key != idempotency_key("cancel", "conv-1", "10235")
    assert idempotency_key("x", {"b": 1, "a": 2}) == idempotency_key("x", {"a": 2, "b": 1})


def test_headers(api: respx.MockRouter) -> None:
    api.get("/api/orders/10234").respond(json=order_json())
    api.post("/api/orders/10234/cancel").respond(json={"message": "ok"})
    client = TicketingApi().with_token(TOKEN)
    asyncio.run(client.order("10234"))
    asyncio.run(client.cancel("10234", key="bot-abc", reason="because"))
    read, write = (call.request for call in api.calls)
    assert read.headers["X-Api-Key"] == API_KEY
    assert read.headers["X-Verification-Token"] == TOKEN
    assert "Idempotency-Key" not in read.headers
    assert str(read.url) == f"{BASE_URL}/api/orders/10234"
    assert write.headers["Idempotency-Key"] == "bot-abc"
    assert body(write) == {"reason": "because"}


def test_no_token_no_token_header(api: respx.MockRouter) -> None:
    api.get("/api/policy").respond(json={})
    asyncio.run(TicketingApi().policy())
    assert "X-Verification-Token" not in api.calls.last.request.headers


@pytest.mark.parametrize(
    ("response", "status", "code", "message", "retry"),
    [
        (
            Response(404, json=error_json("not yours", "order_not_found")),
            404,
            "order_not_found",
            "not yours",
            None,
        ),
        (
            Response(
                429, json=error_json("slow down", "rate_limited"), headers={"Retry-After": "900"}
            ),
            429,
            "rate_limited",
            "slow down",
            900,
        ),
        (
            Response(401, json={"detail": "Not authenticated"}),
            401,
            "error",
            "Not authenticated",
            None,
        ),
        (
            Response(422, json={"detail": [{"msg": "bad", "type": "value_error"}]}),
            422,
            "value_error",
            "bad",
            None,
        ),
        (Response(409, text="Conflict"), 409, "error", "That request was refused.", None),
        (Response(400, json=["odd"]), 400, "error", "That request was refused.", None),
    ],
)
def test_a_4xx_is_a_refusal(
    api: respx.MockRouter,
    response: Response,
    status: int,
    code: str,
    message: str,
    retry: int | None,
) -> None:
    api.get("/api/orders/10234").mock(return_value=response)
    with pytest.raises(ApiRefusal) as refusal:
        asyncio.run(TicketingApi().order("10234"))
    assert (refusal.value.status, refusal.value.code) == (status, code)
    assert (refusal.value.message, refusal.value.retry_after) == (message, retry)


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("timeout"),
        httpx.ReadTimeout("timeout"),
        httpx.PoolTimeout("timeout"),
        httpx.RemoteProtocolError("closed"),
        Response(500),
        Response(502),
        Response(503),
        Response(200, text="not json"),
        Response(200, content=b"\xff\xfe"),
    ],
)
def test_no_usable_answer_is_backend_unavailable(api: respx.MockRouter, failure: object) -> None:
    route = api.get("/api/orders/10234")
    if isinstance(failure, Response):
        route.mock(return_value=failure)
    else:
        route.mock(side_effect=failure)
    with pytest.raises(BackendUnavailable):
        asyncio.run(TicketingApi().order("10234"))


def test_a_real_timeout_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Against a server that never answers, the call gives up after SUPPORTBOT_API_TIMEOUT."""
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    monkeypatch.setenv("SUPPORTBOT_API_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("SUPPORTBOT_API_TIMEOUT", "0.3")
    started = time.perf_counter()
    try:
        with pytest.raises(BackendUnavailable, match="ReadTimeout"):
            asyncio.run(TicketingApi().order("10234"))
    finally:
        listener.close()
    assert time.perf_counter() - started < 3


def test_a_refused_connection_is_backend_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    monkeypatch.setenv("SUPPORTBOT_API_URL", f"http://127.0.0.1:{port}")
    with pytest.raises(BackendUnavailable, match="ConnectError"):
        asyncio.run(TicketingApi().order("10234"))

"""WS /console/ws: live console events for logged-in staff only."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.console.conftest import cookie_login


def test_without_a_login_the_socket_closes_with_4401(client):
    with (
        client.websocket_connect("/console/ws") as socket,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        socket.receive_json()
    assert closed.value.code == 4401


def test_another_sites_page_cannot_connect(client, console):
    console.staff("ann")
    cookie_login(client, "ann")
    headers = {"Origin": "https://evil.example"}
    with (
        client.websocket_connect("/console/ws", headers=headers) as socket,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        socket.receive_json()
    assert closed.value.code == 4403


def event_conversation(event: dict[str, Any]) -> str | None:
    if event["type"] == "message":
        return str(event["message"]["conversation_id"])
    if event["type"] == "state":
        return str(event["conversation"]["id"])
    return event.get("conversation_id")


def next_event(socket: Any, conversation_id: str | None) -> dict[str, Any]:
    """The next event about `conversation_id` (None: queue events), skipping others' events
    (Redis pub/sub is shared by every test run on the server)."""
    while True:
        event: dict[str, Any] = socket.receive_json()
        if event_conversation(event) == conversation_id:
            return event


def test_logged_in_staff_receive_every_conversation_event(client, console):
    console.staff("ann")
    cookie_login(client, "ann")
    with client.websocket_connect("/console/ws") as socket:
        assert socket.receive_json() == {"type": "ready"}
        conversation_id = console.handoff(f"ws-{uuid.uuid4().hex}")
        events = [next_event(socket, conversation_id) for _ in range(3)]
        kinds = [(e["type"], e.get("message", {}).get("sender")) for e in events]
        assert kinds == [("message", "customer"), ("message", "system"), ("state", None)]
        assert events[-1]["conversation"]["owner"] == "human"
        console.post("ann", f"/conversations/{conversation_id}/notes", {"text": "looking"})
        note = next_event(socket, conversation_id)
        assert note["type"] == "note" and note["conversation_id"] == conversation_id
        assert (note["note"]["author"], note["note"]["text"]) == ("Ann", "looking")
        console.online("ann")
        assert next_event(socket, None) == {"type": "queue"}

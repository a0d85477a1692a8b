"""The widget's live socket, against a real uvicorn: this conversation's events, as the
customer may see them, and nothing of anyone else's."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from integrations.webchat.socket import BAD_TOKEN_CLOSE_CODE
from tests.webchat import fake_rasa

Event = dict[str, Any]


def socket_url(live, token: str) -> str:
    return live.url.replace("http://", "ws://") + f"/chat/ws?token={token}"


async def events_until(socket: Any, done: Callable[[Event], bool], limit: int = 20) -> list[Event]:
    """Events read until `done(event)`; fails after `limit` events or 10 s of silence."""
    seen: list[Event] = []
    for _ in range(limit):
        seen.append(json.loads(await asyncio.wait_for(socket.recv(), timeout=10)))
        if done(seen[-1]):
            return seen
    raise AssertionError(f"no matching event in {seen}")


def is_state(event: Event) -> bool:
    return event["type"] == "state"


@pytest.mark.parametrize("token", ["nope", "A" * 32, "A" * 48])
def test_a_bad_or_never_issued_token_closes_the_socket(live, token):
    async def scenario() -> None:
        async with websockets.connect(socket_url(live, token)) as socket:
            with pytest.raises(ConnectionClosed) as closed:
                await socket.recv()
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == BAD_TOKEN_CLOSE_CODE

    asyncio.run(scenario())


def test_the_first_event_is_the_state(live, http, new_chat):
    chat = new_chat(http)

    async def first_event() -> Event:
        async with websockets.connect(socket_url(live, chat.token)) as socket:
            return json.loads(await socket.recv())

    assert asyncio.run(first_event()) == {"type": "state", "conversation": None}
    chat.send("hello")
    state = asyncio.run(first_event())
    assert (state["type"], state["conversation"]["owner"]) == ("state", "bot")


def test_the_customers_messages_typing_and_replies_arrive_live(live, http, new_chat):
    chat = new_chat(http)

    async def scenario() -> list[Event]:
        async with websockets.connect(socket_url(live, chat.token)) as socket:
            await socket.recv()
            await asyncio.to_thread(chat.send, "Hello")
            return await events_until(socket, is_state)

    events = asyncio.run(scenario())
    kinds = [(e["type"], e.get("message", {}).get("sender") or e.get("who")) for e in events]
    assert kinds == [
        ("message", "customer"),
        ("typing", "bot"),
        ("message", "bot"),
        ("state", None),
    ]
    assert events[2]["message"]["buttons"] == fake_rasa.GREETING_BUTTONS


def test_agent_replies_and_the_rating_request_arrive_live(live, http, new_chat, agent_id):
    chat, other = new_chat(http), new_chat(http)
    chat.send("My parcel is damaged")
    assert http.post("/chat/api/human", headers=chat.headers).status_code == 200
    hub = live.app.state.hub

    async def scenario() -> tuple[list[Event], list[Event]]:
        async with websockets.connect(socket_url(live, chat.token)) as socket:
            assert is_state(json.loads(await socket.recv()))
            await asyncio.to_thread(other.send, "Someone else's question")  # not for this socket
            reply = hub.agent_reply(chat.conversation_id, agent_id, "Hi, Maria here 🙂")
            await asyncio.to_thread(live.call, reply)
            replied = await events_until(socket, is_state)
            await asyncio.to_thread(live.call, hub.resolve(chat.conversation_id, agent_id))
            return replied, await events_until(socket, is_state)

    replied, resolved = asyncio.run(scenario())
    [message] = [e["message"] for e in replied if e["type"] == "message"]
    assert (message["sender"], message["sender_name"], message["text"]) == (
        "agent",
        "Maria",
        "Hi, Maria here 🙂",
    )
    assert replied[-1]["conversation"]["agent_name"] == "Maria"
    assert "context" not in replied[-1]["conversation"]  # staff-only details stay out
    [request] = [e["message"] for e in resolved if e["type"] == "message"]
    assert request["custom"] == {"type": "csat", "scale": 5}
    assert resolved[-1]["conversation"]["csat_state"] == "asked"

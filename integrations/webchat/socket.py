"""The widget's live connection: the conversation's events from the broker, as they happen.

Only what a customer may see is forwarded (messages, typing, and a reduced conversation
state). A widget that was away catches up with `GET /chat/api/messages?after=`; the socket
itself replays nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketState

from integrations.webchat import tokens
from integrations.webchat.schemas import ChatConversation
from ticketing.conversations.broker import Subscription, conversation_topic
from ticketing.conversations.hub import Hub
from ticketing.errors import DomainError, NotFoundError

log = logging.getLogger(__name__)

BAD_TOKEN_CLOSE_CODE = 4401  # the widget starts a new chat instead of reconnecting


def customer_event(event: dict[str, Any]) -> dict[str, Any] | None:
    """The event as the customer may see it, or None for events meant for staff only."""
    kind = event.get("type")
    if kind == "message":
        return event
    if kind == "typing":
        return {"type": "typing", "who": event.get("who"), "name": event.get("name")}
    if kind == "state" and isinstance(event.get("conversation"), dict):
        state = ChatConversation.from_event(event["conversation"])
        return {"type": "state", "conversation": state.model_dump(mode="json")}
    return None


async def current_state(hub: Hub, conversation_id: str) -> dict[str, Any]:
    try:
        view = await run_in_threadpool(hub.view, conversation_id)
    except NotFoundError:
        return {"type": "state", "conversation": None}
    return {"type": "state", "conversation": ChatConversation.of(view).model_dump(mode="json")}


async def _forward(websocket: WebSocket, subscription: Subscription) -> None:
    async for event in subscription:
        outgoing = customer_event(event)
        if outgoing is not None:
            await websocket.send_json(outgoing)


async def _drain(websocket: WebSocket) -> None:
    """Read (and ignore) what the widget sends, so a closed socket is noticed at once."""
    while True:
        await websocket.receive_text()


async def serve(websocket: WebSocket, hub: Hub) -> None:
    await websocket.accept()
    try:
        token = tokens.check(websocket.query_params.get("token"), websocket.app.state.settings)
    except DomainError as error:
        await websocket.close(code=BAD_TOKEN_CLOSE_CODE, reason=error.msg[:120])
        return
    conversation_id = tokens.conversation_id(token)
    # Subscribe before reading the state, so nothing happening in between is lost.
    async with hub.broker.subscribe(conversation_topic(conversation_id)) as subscription:
        await websocket.send_json(await current_state(hub, conversation_id))
        tasks = {
            asyncio.create_task(_forward(websocket, subscription)),
            asyncio.create_task(_drain(websocket)),
        }
        try:
            done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        failure = None if task.cancelled() else task.exception()
        if failure is not None and not isinstance(failure, WebSocketDisconnect):
            log.warning("chat socket of %s ended: %r", conversation_id, failure)
    connected = WebSocketState.CONNECTED
    if websocket.client_state == connected and websocket.application_state == connected:
        with contextlib.suppress(Exception):  # the connection may have dropped meanwhile
            await websocket.close()

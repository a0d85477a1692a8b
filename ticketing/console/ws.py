"""WS /console/ws: every message, state, note and queue event, live, for logged-in staff.

The session cookie authenticates (close code 4401 without a valid one, also when it expires
while open); a handshake from another site's page is refused (4403).
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from ticketing.console.auth import SESSION_COOKIE, ConsoleUser, read_cookie_user
from ticketing.conversations.broker import CONSOLE_TOPIC
from ticketing.conversations.hub import Hub
from ticketing.db import Database
from ticketing.errors import AuthenticationError
from ticketing.security import staff_tokens
from ticketing.settings import Settings

router = APIRouter(prefix="/console")

NOT_LOGGED_IN = 4401
WRONG_ORIGIN = 4403


def _same_origin(websocket: WebSocket) -> bool:
    origin = websocket.headers.get("origin")
    if origin is None:  # not a browser
        return True
    return urlsplit(origin).netloc == websocket.headers.get("host")


def _still_valid(database: Database, token: str, settings: Settings, now: datetime) -> bool:
    """The login is unexpired and its session not ended (logout, deactivation, new role)."""
    try:
        with database.session() as db_session:
            staff_tokens.current_user(db_session, token=token, settings=settings, now=now)
    except AuthenticationError:
        return False
    return True


async def _authenticate(websocket: WebSocket) -> ConsoleUser | None:
    state = websocket.app.state
    return await run_in_threadpool(
        lambda: read_cookie_user(
            state.database, cookies=websocket.cookies, settings=state.settings, now=state.clock()
        )
    )


async def _forward(websocket: WebSocket, hub: Hub, token: str, stop: anyio.CancelScope) -> None:
    """Send console events until `stop` is cancelled; the subscription then closes normally."""
    state = websocket.app.state
    async with hub.broker.subscribe(CONSOLE_TOPIC) as subscription:
        await websocket.send_json({"type": "ready"})
        with stop:
            event: dict[str, Any]
            async for event in subscription:
                valid = await run_in_threadpool(
                    _still_valid, state.database, token, state.settings, state.clock()
                )
                if not valid:
                    await websocket.close(code=NOT_LOGGED_IN, reason="the login has expired")
                    return
                await websocket.send_json(event)


async def _drain(websocket: WebSocket) -> None:
    """Read (and ignore) what the browser sends, to notice when it goes away."""
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await websocket.receive_text()


@router.websocket("/ws")
async def console_events(websocket: WebSocket) -> None:
    await websocket.accept()
    if not _same_origin(websocket):
        await websocket.close(code=WRONG_ORIGIN, reason="cross-site connection refused")
        return
    user = await _authenticate(websocket)
    if user is None:
        await websocket.close(code=NOT_LOGGED_IN, reason="log in first")
        return
    hub: Hub = websocket.app.state.hub
    token = websocket.cookies[SESSION_COOKIE]
    stop_forwarding = anyio.CancelScope()
    async with anyio.create_task_group() as tasks:

        async def forward() -> None:
            # a browser gone mid-send: nothing is left to tell it
            with contextlib.suppress(WebSocketDisconnect, RuntimeError):
                await _forward(websocket, hub, token, stop_forwarding)
            tasks.cancel_scope.cancel()

        async def drain() -> None:
            await _drain(websocket)
            stop_forwarding.cancel()  # not the task group: the subscription must close cleanly

        tasks.start_soon(forward)
        tasks.start_soon(drain)

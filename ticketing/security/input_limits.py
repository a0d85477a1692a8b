"""One guard for every body the app accepts: too large -> 413, not JSON where JSON is expected
-> 415, before any view runs.

The body is read here, at most `max_body_bytes` of it (a client that sends more, with or without
a Content-Length, is cut off there), then replayed to the app. Telegram's webhook checks its
secret before it reads anything, so it guards its own body.
"""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON_PREFIXES = ("/api/", "/chat/api/", "/webhooks/")
FORM_PREFIXES = ("/console/",)
# A JSON `\u0000` escape (an even number of backslashes before it): PostgreSQL text can't hold
# NUL, so such a value would fail deep in a transaction instead of as bad input.
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


async def _refuse(send: Send, status: int, msg: str, code: str) -> None:
    body = json.dumps({"detail": [{"msg": msg, "code": code}]}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class InputLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        guarded = scope["type"] == "http" and scope["method"] in WRITE_METHODS
        wants_json = path.startswith(JSON_PREFIXES)
        if not guarded or not (wants_json or path.startswith(FORM_PREFIXES)):
            await self.app(scope, receive, send)
            return
        too_large = f"The body is larger than {self.max_body_bytes:,} bytes; send less."
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await _refuse(send, 413, too_large, "too_large")
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left: nothing to answer
            body += message.get("body", b"")
            if len(body) > self.max_body_bytes:
                await _refuse(send, 413, too_large, "too_large")
                return
            if not message.get("more_body", False):
                break
        content_type = _header(scope, b"content-type").split(";")[0].strip().lower()
        if wants_json and body and content_type != "application/json":
            await _refuse(send, 415, "Send JSON with Content-Type: application/json.", "bad_type")
            return
        if wants_json and JSON_NUL.search(body):
            await _refuse(
                send, 422, "Text may not contain NUL characters (\\u0000).", "nul_character"
            )
            return
        await self.app(scope, _replay(bytes(body), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body once, then whatever the client sends next (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay

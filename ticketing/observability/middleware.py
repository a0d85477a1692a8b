"""Every HTTP request gets a request id (the caller's `X-Request-Id` if it is a safe token), is
timed and counted by route template, and is logged as one access line."""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ticketing.observability import context, metrics

log = logging.getLogger("supportbot.access")

UNMATCHED = "unmatched"  # 404s: one label, so scanners can't flood the metrics with paths


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _route(scope: Scope) -> str:
    """The matched route's template with its router prefixes (`/api/tickets/{number}`)."""
    fastapi_scope = scope.get("fastapi")
    effective: Any = (
        fastapi_scope.get("effective_route_context") if isinstance(fastapi_scope, dict) else None
    )
    path = getattr(effective, "path_format", None) or getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) and path else UNMATCHED


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        request_id = context.new_request_id(_header(scope, b"x-request-id"))
        token = context.current.set(context.RequestContext(request_id=request_id))
        try:
            if scope["type"] == "websocket":
                await self.app(scope, receive, send)
            else:
                await self._http(scope, receive, send, request_id)
        finally:
            context.current.reset(token)

    async def _http(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        started = time.perf_counter()
        status = 500  # if the app fails before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            method, route = scope["method"], _route(scope)
            metrics.HTTP_REQUESTS.labels(method, route, str(status)).inc()
            metrics.HTTP_SECONDS.labels(method, route).observe(seconds)
            log.info(
                "%s %s status=%s time_ms=%.0f",
                method,
                route,
                status,
                seconds * 1000,
                extra={"http": {"method": method, "route": route, "status": status}},
            )

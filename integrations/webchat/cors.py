"""Cross-origin access for the widget, which runs on the shop's pages, not the backend's.

Every answer (errors too, so the widget can show them) allows any origin: the token travels
in a header, never in a cookie, so another site gains nothing from reading these answers.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, X-Chat-Token",
    "Access-Control-Max-Age": "600",
    "Access-Control-Expose-Headers": "Retry-After",  # the widget may read how long to wait
}


async def _render_error(request: Request, error: Exception) -> Response:
    """The app's own exception handler for `error`, so errors keep the app's JSON format."""
    handlers = request.app.exception_handlers
    for cls in type(error).__mro__:
        handler = handlers.get(cls)
        if handler is not None:
            response = handler(request, error)
            if inspect.isawaitable(response):
                response = await response
            assert isinstance(response, Response)  # noqa: S101 - handlers return responses
            return response
    raise error


class CorsRoute(APIRoute):
    """A route whose answers, successful or not, carry the CORS headers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_cors(request: Request) -> Response:
            try:
                response = await handler(request)
            except Exception as error:  # noqa: BLE001 - rendered by the app's handlers
                response = await _render_error(request, error)
            response.headers.update(CORS_HEADERS)
            return response

        return with_cors

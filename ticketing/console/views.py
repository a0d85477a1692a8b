"""The agent console: its pages, its WebSocket and its JSON API, under one `router`."""

from __future__ import annotations

from fastapi import APIRouter

from ticketing.agents.views import router as agents_router
from ticketing.assist.views import router as assist_router
from ticketing.console.api import router as api_router
from ticketing.console.contact_reason_api import router as contact_reason_router
from ticketing.console.pages import router as pages_router
from ticketing.console.ws import router as ws_router

router = APIRouter()
for _part in (
    pages_router,
    ws_router,
    api_router,
    contact_reason_router,
    agents_router,
    assist_router,
):
    router.include_router(_part)

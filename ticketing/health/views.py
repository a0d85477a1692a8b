"""Liveness and readiness, with the state of each dependency.

Readiness fails (503) only for what this instance cannot work without: the database, and Redis
when it is configured (rate limits and cross-worker ordering live there). The bot (Rasa and the
action server) and the CRM are reported but never fail readiness: without the bot the hub hands
every conversation to people, and CRM events wait in the outbox.
"""

from __future__ import annotations

from typing import Any

import httpx
import redis
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ticketing.deps import DatabaseDep, SettingsDep
from ticketing.observability import gauges
from ticketing.settings import Settings

router = APIRouter(tags=["health"])

PROBE_TIMEOUT_SECONDS = 1.0
REQUIRED = ("database", "redis")


@router.get("/health")
def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


def _http_check(url: str | None) -> dict[str, Any]:
    if not url:
        return {"status": "not_configured"}
    try:
        response = httpx.get(url, timeout=PROBE_TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        return {"status": "down", "error": type(exc).__name__}
    if response.status_code != 200:
        return {"status": "down", "error": f"HTTP {response.status_code}"}
    return {"status": "ok"}


def _rasa_check(urls: list[str]) -> dict[str, Any]:
    """One Rasa server: its check. Several: ok when all answer, "degraded" (still serving:
    conversations move to the others) when some do, with how many answer (not their internal
    addresses: this endpoint is public)."""
    if len(urls) <= 1:
        return _http_check(f"{urls[0]}/" if urls else None)
    answering = sum(_http_check(f"{url}/")["status"] == "ok" for url in urls)
    status = "ok" if answering == len(urls) else "degraded" if answering else "down"
    return {"status": status, "servers": len(urls), "answering": answering}


def _actions_health_url(settings: Settings) -> str | None:
    """The action server's `/health`, next to its `/webhook` (SUPPORTBOT_ACTIONS_URL)."""
    if not settings.actions_url:
        return None
    return settings.actions_url.rstrip("/").removesuffix("/webhook") + "/health"


def _redis_check(settings: Settings) -> dict[str, Any]:
    if not settings.redis_url:
        return {"status": "not_configured"}
    try:
        client = redis.Redis.from_url(settings.redis_url, socket_timeout=1)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        return {"status": "down", "error": type(exc).__name__}
    return {"status": "ok"}


@router.get("/ready", responses={503: {"description": "A required dependency is down"}})
def ready(database: DatabaseDep, settings: SettingsDep) -> JSONResponse:
    """Each dependency's state; 503 when the database or a configured Redis is down."""
    checks: dict[str, Any] = {}
    try:
        with database.session() as db_session:
            db_session.execute(text("SELECT 1"))
            outbox = gauges.crm_outbox(db_session) if settings.crm_webhook_url else None
        checks["database"] = {"status": "ok", "dialect": database.dialect}
    except SQLAlchemyError as exc:
        checks["database"] = {"status": "down", "error": type(exc).__name__}
        outbox = None
    checks["redis"] = _redis_check(settings)
    checks["rasa"] = _rasa_check(settings.rasa_urls)
    checks["actions"] = _http_check(_actions_health_url(settings) if settings.rasa_urls else None)
    if not settings.crm_webhook_url:
        checks["crm"] = {"status": "not_configured"}
    elif outbox is None:
        checks["crm"] = {"status": "unknown"}
    else:
        pending, dead = outbox
        checks["crm"] = {
            "status": "ok" if dead == 0 else "failing",
            "pending": pending,
            "dead": dead,
        }
    required_ok = all(checks[name]["status"] in {"ok", "not_configured"} for name in REQUIRED)
    everything_ok = all(c["status"] in {"ok", "not_configured"} for c in checks.values())
    status = "ready" if everything_ok else "degraded" if required_ok else "not_ready"
    return JSONResponse(
        {"status": status, "checks": checks}, status_code=200 if required_ok else 503
    )

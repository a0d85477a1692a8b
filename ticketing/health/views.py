"""Liveness and readiness, with the state of each dependency."""

from __future__ import annotations

from typing import Any

import redis
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ticketing.deps import DatabaseDep, SettingsDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready", responses={503: {"description": "A dependency is down"}})
def ready(database: DatabaseDep, settings: SettingsDep) -> JSONResponse:
    """Whether the database (and Redis, when configured) answer."""
    checks: dict[str, Any] = {}
    try:
        with database.session() as db_session:
            db_session.execute(text("SELECT 1"))
        checks["database"] = {"status": "ok", "dialect": database.dialect}
    except SQLAlchemyError as exc:
        checks["database"] = {"status": "down", "error": type(exc).__name__}
    if settings.redis_url:
        try:
            client = redis.Redis.from_url(settings.redis_url, socket_timeout=1)
            client.ping()
            checks["redis"] = {"status": "ok"}
            client.close()
        except redis.RedisError as exc:
            checks["redis"] = {"status": "down", "error": type(exc).__name__}
    else:
        checks["redis"] = {"status": "not_configured"}
    healthy = all(c["status"] in {"ok", "not_configured"} for c in checks.values())
    return JSONResponse(
        {"status": "ready" if healthy else "not_ready", "checks": checks},
        status_code=200 if healthy else 503,
    )

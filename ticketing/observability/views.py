"""`GET /metrics` in Prometheus's text format: this process's (or every worker's) counters and
timings, then the database gauges. With `SUPPORTBOT_METRICS_TOKEN` set, scrapers must send
`Authorization: Bearer <token>`; without it the route is open outside production (keep it on the
internal network) and refused in production."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Header
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from ticketing.deps import DatabaseDep, SettingsDep
from ticketing.errors import PermissionDeniedError
from ticketing.observability import gauges, metrics

router = APIRouter(tags=["health"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format"},
        403: {"description": "The metrics token was not sent, or production has none set"},
    },
)
async def prometheus_metrics(
    database: DatabaseDep,
    settings: SettingsDep,
    authorization: str | None = Header(default=None),
) -> Response:
    expected = settings.metrics_token.get_secret_value() if settings.metrics_token else ""
    if not expected and settings.is_production:
        raise PermissionDeniedError(
            "Metrics are off: set SUPPORTBOT_METRICS_TOKEN to scrape them in production.",
            code="metrics_token_required",
        )
    if expected:
        sent = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(sent.encode(), expected.encode()):
            raise PermissionDeniedError(
                "Send the metrics token as `Authorization: Bearer <SUPPORTBOT_METRICS_TOKEN>`.",
                code="bad_metrics_token",
            )
    body = metrics.exposition()
    try:
        body += await run_in_threadpool(gauges.exposition, database)
    except SQLAlchemyError:  # the counters are still worth scraping; /ready reports the DB
        body += b"# database gauges unavailable: the database did not answer\n"
    return Response(body, media_type=CONTENT_TYPE_LATEST)

"""The FastAPI application: `create_app()` wires settings, database and every router."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import APIRouter, FastAPI
from fastapi_offline import FastAPIOffline

from integrations.crm.runner import BackgroundDispatch
from integrations.telegram.views import router as telegram_router
from integrations.webchat.views import router as webchat_router
from ticketing import logs
from ticketing.console.views import router as console_router
from ticketing.conversations.broker import make_broker
from ticketing.conversations.hub import Hub
from ticketing.conversations.ordering import ConversationLocks
from ticketing.conversations.rasa_client import rasa_for
from ticketing.conversations.redis_breaker import RedisBreaker
from ticketing.conversations.views import api_router as conversations_api_router
from ticketing.conversations.views import router as conversations_router
from ticketing.db import Database, utcnow
from ticketing.errors import error_responses, install_error_handlers
from ticketing.feedback.views import router as feedback_router
from ticketing.health.views import router as health_router
from ticketing.home.views import router as home_router
from ticketing.observability import metrics
from ticketing.observability.middleware import RequestContextMiddleware
from ticketing.observability.views import router as metrics_router
from ticketing.orders.views import router as orders_router
from ticketing.policy.views import router as policy_router
from ticketing.refunds.payments import LocalPaymentGateway, PaymentGateway
from ticketing.refunds.views import router as refunds_router
from ticketing.reports.rollup import marks as rollup_marks
from ticketing.reports.views import router as reports_router
from ticketing.returns.views import router as returns_router
from ticketing.security.input_limits import InputLimitMiddleware
from ticketing.security.message_limits import make_message_limits
from ticketing.security.rate_limit import make_failure_counter
from ticketing.settings import Settings, get_settings
from ticketing.staff.views import router as staff_router
from ticketing.tickets.sla_runner import SlaRunner
from ticketing.tickets.views import router as tickets_router
from ticketing.training.retention import RetentionRunner
from ticketing.training.views import console_router as training_console_router
from ticketing.training.views import service_router as training_service_router
from ticketing.verification.views import router as verification_router

DOCS_ASSETS_URL = "/docs/assets"


def _api_router() -> APIRouter:
    api = APIRouter(prefix="/api")
    for router in (
        health_router,
        staff_router,
        verification_router,
        orders_router,
        returns_router,
        refunds_router,
        policy_router,
        tickets_router,
        feedback_router,
        conversations_api_router,
        training_service_router,
    ):
        api.include_router(router)
    return api


def _without_api_docs(app: FastAPI) -> None:
    """Drop /openapi.json and the docs' assets (FastAPIOffline always adds both)."""
    openapi_url = app.openapi_url
    app.router.routes[:] = [
        route
        for route in app.router.routes
        if getattr(route, "path", None) not in {openapi_url, DOCS_ASSETS_URL}
    ]
    app.openapi_url = None


def create_app(
    settings: Settings | None = None,
    *,
    database: Database | None = None,
    clock: Callable[[], datetime] = utcnow,
    payment_gateway: PaymentGateway | None = None,
) -> FastAPI:
    """The backend app; tests pass their own settings, database and clock."""
    settings = settings or get_settings()
    database = database or Database(settings.sqlalchemy_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        crm_dispatch = BackgroundDispatch(settings, database, clock)  # no-op without a CRM URL
        crm_dispatch.start()
        sla_runner = SlaRunner(settings, database, clock, app.state.hub.broker)
        sla_runner.start()
        training_retention = RetentionRunner(
            database,
            clock,
            days=settings.training_inbox_retention_days,
            interval=settings.training_retention_check_seconds,
        )
        training_retention.start()
        yield
        await training_retention.stop()
        await sla_runner.stop()
        await crm_dispatch.stop()
        await app.state.hub.close()
        assistant = getattr(app.state, "assistant", None)  # made on the first console request
        if assistant is not None:
            assistant.close()  # a model still loading is not waited for
        database.dispose()

    # /docs and /redoc load Swagger UI and ReDoc from the app itself, not from a CDN: offline.
    # Production serves neither them nor /openapi.json unless SUPPORTBOT_API_DOCS=true.
    docs = settings.serves_api_docs
    app = FastAPIOffline(
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        static_url=DOCS_ASSETS_URL,
        title="supportbot ticketing API",
        version="0.1.0",
        description=(
            "Orders, returns, refunds and policy for the support assistant. The action server "
            "authenticates with `X-Api-Key` and acts for a customer verified through "
            "`POST /api/verifications` (`X-Verification-Token`); staff log in with "
            "`POST /api/auth/login` (bearer token). Every write takes an `Idempotency-Key`."
        ),
        # Invalid input is answered in the app's error format, not in FastAPI's default one.
        responses=error_responses(422),
        lifespan=lifespan,
    )
    if not docs:
        _without_api_docs(app)
    logs.configure(log_format=settings.log_format)
    app.state.settings = settings
    app.state.database = database
    app.state.clock = clock
    app.state.payment_gateway = payment_gateway or LocalPaymentGateway()
    app.state.failure_counter = make_failure_counter(
        settings.redis_url, settings.verification_window_seconds
    )
    redis_breaker = RedisBreaker()  # one view of Redis's health for the hub's broker and locks
    app.state.message_limits = make_message_limits(settings, breaker=redis_breaker)
    app.state.hub = Hub(
        database=database,
        broker=make_broker(settings.redis_url, redis_breaker),
        locks=ConversationLocks(settings.redis_url, redis_breaker),
        rasa=rasa_for(
            settings.rasa_urls,
            settings.rasa_timeout_seconds,
            startup_seconds=settings.rasa_startup_seconds,
        ),
        clock=clock,
        policy_file=settings.policy_file,
        conversation_secret=settings.secret_key.get_secret_value(),
        message_limits=app.state.message_limits,
    )
    install_error_handlers(app)
    app.add_middleware(InputLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    metrics.install()
    rollup_marks.install()
    app.add_middleware(RequestContextMiddleware)  # outermost: ids and timings cover everything
    app.include_router(_api_router())
    for router in (
        metrics_router,
        conversations_router,
        webchat_router,
        telegram_router,
        console_router,
        training_console_router,
        reports_router,
        home_router,
    ):
        app.include_router(router)
    return app

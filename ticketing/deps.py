"""FastAPI dependencies shared by every domain's views."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from ticketing.db import Database
from ticketing.orders.oms import OrderSystem, get_order_system
from ticketing.policy import service as policy_service
from ticketing.policy.schemas import Policy
from ticketing.refunds.payments import PaymentGateway
from ticketing.security.rate_limit import FailureCounter
from ticketing.settings import Settings


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db_session(database: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    """One session per request, committed when the view returns without an error."""
    with database.session() as db_session:
        yield db_session


def get_write_session(database: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    """A session for a request that changes data (queued behind other writers on SQLite)."""
    with database.session(write=True) as db_session:
        yield db_session


def get_clock(request: Request) -> Callable[[], datetime]:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock


def get_now(clock: Annotated[Callable[[], datetime], Depends(get_clock)]) -> datetime:
    return clock()


def get_policy(
    database: Annotated[Database, Depends(get_database)],
    settings: Annotated[Settings, Depends(get_settings_dep)],
) -> Policy:
    """The policy in force, read in a short session of its own (never holding a lock)."""
    with database.session() as db_session:
        current = policy_service.get_current(
            db_session=db_session, policy_file=settings.policy_file
        )
    return current.policy


def get_oms(db_session: Annotated[Session, Depends(get_db_session)]) -> OrderSystem:
    return get_order_system(db_session)


def get_gateway(request: Request) -> PaymentGateway:
    gateway: PaymentGateway = request.app.state.payment_gateway
    return gateway


def get_failure_counter(request: Request) -> FailureCounter:
    counter: FailureCounter = request.app.state.failure_counter
    return counter


DatabaseDep = Annotated[Database, Depends(get_database)]
SessionDep = Annotated[Session, Depends(get_db_session)]
# Committed when the view returns, before the answer is sent (FastAPI's default ends a yield
# dependency after sending): a client that reads right after its write sees the write.
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
NowDep = Annotated[datetime, Depends(get_now)]
PolicyDep = Annotated[Policy, Depends(get_policy)]
OmsDep = Annotated[OrderSystem, Depends(get_oms)]
GatewayDep = Annotated[PaymentGateway, Depends(get_gateway)]
FailureCounterDep = Annotated[FailureCounter, Depends(get_failure_counter)]

# Integer primary keys are 32-bit on PostgreSQL: a larger id in a path must be refused as
# invalid input before a query with it fails in the database.
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]

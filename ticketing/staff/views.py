"""POST /api/auth/login for agents, managers and admins."""

from __future__ import annotations

from fastapi import APIRouter

from ticketing.deps import NowDep, SessionDep, SettingsDep
from ticketing.staff import service
from ticketing.staff.schemas import LoginRead, LoginRequest

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=LoginRead)
def login(
    body: LoginRequest, db_session: SessionDep, settings: SettingsDep, now: NowDep
) -> LoginRead:
    """Log in with username and password: a bearer token for the other staff endpoints."""
    return service.login(
        db_session=db_session,
        username=body.username,
        password=body.password,
        settings=settings,
        now=now,
    )

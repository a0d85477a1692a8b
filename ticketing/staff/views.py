"""POST /api/auth/login for agents, managers and admins; the staff list and team changes for
admins under /api/admin/staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from ticketing.deps import NowDep, SessionDep, SettingsDep, WriteSessionDep
from ticketing.errors import error_responses
from ticketing.security.principals import AdminAccess, ManagerAccess
from ticketing.staff import service
from ticketing.staff.schemas import LoginRead, LoginRequest, StaffRead, StaffUpdate

router = APIRouter(responses=error_responses(401, 403, 404, 409))

Username = Annotated[str, Path(min_length=1, max_length=100)]


@router.post("/auth/login", response_model=LoginRead, tags=["auth"])
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


@router.get("/admin/staff", response_model=list[StaffRead], tags=["staff"])
def list_staff(_principal: ManagerAccess, db_session: SessionDep) -> list[StaffRead]:
    """Managers and admins: every staff account with its role and team."""
    return [service.read(user) for user in service.list_staff(db_session=db_session)]


@router.patch("/admin/staff/{username}", response_model=StaffRead, tags=["staff"])
def update_staff(
    username: Username, body: StaffUpdate, principal: AdminAccess, db_session: WriteSessionDep
) -> StaffRead:
    """Admins: put a staff member in a team (`{"team": "returns"}`) or in none
    (`{"team": null}`); audited. Setting the same value again changes nothing."""
    user = service.get_by_username_or_raise(db_session=db_session, username=username)
    if "team" in body.model_fields_set:
        user = service.set_team(
            db_session=db_session, username=username, team=body.team, actor=principal.actor
        )
    return service.read(user)

"""POST /api/auth/login for agents, managers and admins; the staff list and team changes for
admins under /api/admin/staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from ticketing.deps import NowDep, SessionDep, SettingsDep, WriteSessionDep
from ticketing.errors import error_responses
from ticketing.security.login_limits import LoginThrottle, get_login_throttle
from ticketing.security.message_limits import client_ip
from ticketing.security.principals import AdminAccess, ManagerAccess, StaffAccess
from ticketing.staff import service
from ticketing.staff.schemas import LoginRead, LoginRequest, StaffRead, StaffUpdate

router = APIRouter(responses=error_responses(401, 403, 404, 409))

Username = Annotated[str, Path(min_length=1, max_length=100)]


@router.post("/auth/login", response_model=LoginRead, tags=["auth"], responses=error_responses(429))
def login(
    body: LoginRequest,
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    throttle: Annotated[LoginThrottle, Depends(get_login_throttle)],
) -> LoginRead:
    """Log in with username and password: a bearer token for the other staff endpoints. Too
    many wrong passwords for an account or from an address lock it for a while (429)."""
    return service.login(
        db_session=db_session,
        username=body.username,
        password=body.password,
        settings=settings,
        now=now,
        throttle=throttle,
        client_ip=client_ip(request),
    )


@router.post("/auth/logout", status_code=204, tags=["auth"])
def logout(principal: StaffAccess, db_session: WriteSessionDep) -> Response:
    """End the caller's sessions: this token and every other one issued to them stop working."""
    service.end_sessions(db_session=db_session, username=principal.actor.removeprefix("staff:"))
    return Response(status_code=204)


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

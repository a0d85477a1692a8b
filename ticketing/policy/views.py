"""The shop policy: public summary for the bot, full read and update for admins."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body

from ticketing.deps import SessionDep, SettingsDep, WriteSessionDep
from ticketing.errors import error_responses
from ticketing.policy import service
from ticketing.policy.schemas import Policy, PolicyRead
from ticketing.security.principals import AdminAccess, ManagerAccess, ServiceAccess

router = APIRouter(tags=["policy"])


@router.get("/policy", response_model=Policy, responses=error_responses(401))
def read_policy_for_bot(
    _service: ServiceAccess, db_session: SessionDep, settings: SettingsDep
) -> Policy:
    """The policy in force, for the bot's answers to policy questions."""
    return service.get_current(db_session=db_session, policy_file=settings.policy_file).policy


@router.get("/admin/policy", response_model=PolicyRead, responses=error_responses(401, 403))
def read_policy(
    _principal: ManagerAccess, db_session: SessionDep, settings: SettingsDep
) -> PolicyRead:
    """Managers and admins: the policy in force and its version."""
    return service.get_current(db_session=db_session, policy_file=settings.policy_file)


@router.put("/admin/policy", response_model=PolicyRead, responses=error_responses(401, 403))
def update_policy(
    principal: AdminAccess,
    db_session: WriteSessionDep,
    document: dict[str, Any] = Body(..., description="A whole policy document, as policy.yml"),
) -> PolicyRead:
    """Admins: replace the policy (validated; every change is audited)."""
    return service.update(db_session=db_session, document=document, actor=principal.actor)

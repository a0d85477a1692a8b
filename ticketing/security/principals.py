"""Who is calling: the action server (service key) for a verified customer, or a staff member."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ticketing.db import Database
from ticketing.deps import DatabaseDep, NowDep, SettingsDep
from ticketing.errors import AuthenticationError, PermissionDeniedError
from ticketing.security import staff_tokens, tokens
from ticketing.security.staff_tokens import STAFF_TOKEN as STAFF_TOKEN  # re-exported
from ticketing.staff.models import StaffRole

VERIFICATION_TOKEN = "verification"  # noqa: S105 - a token kind, not a secret

_bearer = HTTPBearer(auto_error=False, description="Staff token from POST /api/auth/login")


@dataclass(frozen=True)
class Principal:
    """The caller. `customer_id` is None for staff, who may see every order."""

    actor: str
    role: str
    customer_id: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in {r.value for r in StaffRole}


def service_key_ok(key: str | None, accepted: list[str]) -> bool:
    """True when `key` is one of the accepted service keys (constant-time comparison)."""
    return key is not None and any(hmac.compare_digest(key, good) for good in accepted)


def require_service(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="Service API key")] = None,
) -> Principal:
    """The action server or an integration, by its service API key."""
    if not service_key_ok(x_api_key, settings.api_keys()):
        raise AuthenticationError("A valid X-Api-Key header is required.", code="bad_service_key")
    return Principal(actor="service", role="service")


def staff_from(
    credentials: HTTPAuthorizationCredentials | None,
    settings: SettingsDep,
    now: NowDep,
    database: Database | None = None,
) -> Principal | None:
    """The staff member of a bearer token, with their current role. With `database` (every
    caller should pass it) the account must still be active and the session not ended;
    without it only the signature and expiry are checked."""
    if credentials is None:
        return None
    token = credentials.credentials
    if database is None:
        claims = tokens.read(
            secret=settings.secret_key.get_secret_value(), kind=STAFF_TOKEN, token=token, now=now
        )
        return Principal(actor=f"staff:{claims['sub']}", role=str(claims["role"]))
    with database.session() as db_session:
        user = staff_tokens.current_user(db_session, token=token, settings=settings, now=now)
        return Principal(actor=f"staff:{user.username}", role=user.role.value)


def require_staff(
    settings: SettingsDep,
    now: NowDep,
    database: DatabaseDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """A logged-in agent, manager or admin whose session has not ended."""
    principal = staff_from(credentials, settings, now, database)
    if principal is None:
        raise AuthenticationError("Log in first: POST /api/auth/login.", code="login_required")
    return principal


def require_role(*roles: StaffRole) -> Callable[[Principal], Principal]:
    """A dependency that lets only staff with one of `roles` through."""
    allowed = {role.value for role in roles}

    def check(principal: Annotated[Principal, Depends(require_staff)]) -> Principal:
        if principal.role not in allowed:
            raise PermissionDeniedError(
                f"This needs one of the roles: {', '.join(sorted(allowed))}.",
                code="role_required",
            )
        return principal

    return check


def require_customer_access(
    settings: SettingsDep,
    now: NowDep,
    database: DatabaseDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    x_api_key: Annotated[str | None, Header(description="Service API key")] = None,
    x_verification_token: Annotated[
        str | None, Header(description="Token from POST /api/verifications")
    ] = None,
) -> Principal:
    """Staff, or a service acting for a customer who proved an order is theirs."""
    staff = staff_from(credentials, settings, now, database)
    if staff is not None:
        return staff
    if not service_key_ok(x_api_key, settings.api_keys()):
        raise AuthenticationError(
            "A valid X-Api-Key header (or a staff login) is required.", code="bad_service_key"
        )
    if not x_verification_token:
        raise AuthenticationError(
            "The customer must be verified first: POST /api/verifications with the order "
            "number and the email or phone on the order.",
            code="verification_required",
        )
    claims = tokens.read(
        secret=settings.secret_key.get_secret_value(),
        kind=VERIFICATION_TOKEN,
        token=x_verification_token,
        now=now,
    )
    customer_id = int(claims["cid"])
    return Principal(actor=f"customer:{customer_id}", role="customer", customer_id=customer_id)


CustomerAccess = Annotated[Principal, Depends(require_customer_access)]
ServiceAccess = Annotated[Principal, Depends(require_service)]
StaffAccess = Annotated[Principal, Depends(require_staff)]
AgentAccess = Annotated[
    Principal, Depends(require_role(StaffRole.AGENT, StaffRole.MANAGER, StaffRole.ADMIN))
]
ManagerAccess = Annotated[Principal, Depends(require_role(StaffRole.MANAGER, StaffRole.ADMIN))]
AdminAccess = Annotated[Principal, Depends(require_role(StaffRole.ADMIN))]

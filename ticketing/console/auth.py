"""Who is using the console: a staff token from the session cookie or a bearer header.

Pages and the console's WebSocket use the HttpOnly session cookie set by the login form. Writes
authenticated by that cookie must also send `X-CSRF-Token` equal to the (script-readable) CSRF
cookie: a page on another site can make the browser send the cookies but cannot read them.
Bearer-token callers send no cookie, so they need no CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from ticketing.db import Database
from ticketing.deps import NowDep, SettingsDep
from ticketing.errors import AuthenticationError, PermissionDeniedError
from ticketing.security import staff_tokens
from ticketing.settings import Settings
from ticketing.staff.models import StaffRole
from ticketing.staff.schemas import LoginRead

SESSION_COOKIE = "supportbot_console"
CSRF_COOKIE = "supportbot_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CONSOLE_ROLES = {StaffRole.AGENT, StaffRole.MANAGER, StaffRole.ADMIN}
MANAGER_ROLES = {StaffRole.MANAGER, StaffRole.ADMIN}

_bearer = HTTPBearer(auto_error=False, description="Staff token from POST /api/auth/login")


@dataclass(frozen=True)
class ConsoleUser:
    """A logged-in, active staff member allowed in the console."""

    staff_id: int
    username: str
    display_name: str
    role: StaffRole

    @property
    def actor(self) -> str:
        return f"staff:{self.username}"

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES


def user_from_token(
    db_session: Session, *, token: str, settings: Settings, now: datetime
) -> ConsoleUser:
    """The console user a staff token belongs to; AuthenticationError if it is not valid now
    (expired, or the session ended: logout, deactivation, a new password or role)."""
    staff = staff_tokens.current_user(db_session, token=token, settings=settings, now=now)
    if staff.role not in CONSOLE_ROLES:
        raise PermissionDeniedError("This account may not use the console.", code="role_required")
    return ConsoleUser(
        staff_id=staff.id, username=staff.username, display_name=staff.display_name, role=staff.role
    )


def read_cookie_user(
    database: Database, *, cookies: dict[str, str], settings: Settings, now: datetime
) -> ConsoleUser | None:
    """The user of the session cookie, or None when there is none or it is no longer valid."""
    token = cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        with database.session() as db_session:
            return user_from_token(db_session, token=token, settings=settings, now=now)
    except (AuthenticationError, PermissionDeniedError):
        return None


def csrf_matches(request: Request) -> bool:
    """Whether the request repeats the CSRF cookie in its header (double submit)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), sent.encode())


def require_console_user(
    request: Request,
    settings: SettingsDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ConsoleUser:
    """An agent, manager or admin, by bearer token or by session cookie (+ CSRF for writes)."""
    token = credentials.credentials if credentials is not None else None
    if token is None:
        token = request.cookies.get(SESSION_COOKIE)
        if token and request.method not in SAFE_METHODS and not csrf_matches(request):
            raise PermissionDeniedError(
                f"Send the {CSRF_HEADER} header with the value of the {CSRF_COOKIE} cookie.",
                code="csrf_failed",
            )
    if not token:
        raise AuthenticationError("Log in first: POST /api/auth/login.", code="login_required")
    database: Database = request.app.state.database
    with database.session() as db_session:
        return user_from_token(db_session, token=token, settings=settings, now=now)


def require_console_manager(
    user: Annotated[ConsoleUser, Depends(require_console_user)],
) -> ConsoleUser:
    """A manager or admin."""
    if not user.is_manager:
        raise PermissionDeniedError("This needs a manager or admin.", code="role_required")
    return user


ConsoleUserDep = Annotated[ConsoleUser, Depends(require_console_user)]
ConsoleManagerDep = Annotated[ConsoleUser, Depends(require_console_manager)]


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def set_csrf_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        CSRF_COOKIE,
        token,
        httponly=False,  # the console's script copies it into the X-CSRF-Token header
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def start_session(response: Response, request: Request, login: LoginRead, now: datetime) -> None:
    """Set the session cookie (the staff token) and a fresh CSRF cookie after a login."""
    max_age = max(int((login.expires_at - now).total_seconds()), 0)
    response.set_cookie(
        SESSION_COOKIE,
        login.access_token,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    set_csrf_cookie(response, request, new_csrf_token())


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")

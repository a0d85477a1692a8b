"""Staff session tokens: issued at login with the account's token version, and valid only while
the account is active and still has that version (logout, deactivation, a new password or role
bump it, so every older token stops working at once)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.errors import AuthenticationError
from ticketing.security import tokens
from ticketing.settings import Settings
from ticketing.staff.models import StaffUser

STAFF_TOKEN = "staff"  # noqa: S105 - a token kind, not a secret


def issue(*, user: StaffUser, settings: Settings, now: datetime) -> tuple[str, datetime]:
    """A staff token for `user` and when it expires."""
    return tokens.issue(
        secret=settings.secret_key.get_secret_value(),
        kind=STAFF_TOKEN,
        claims={"sub": user.username, "role": user.role.value, "ver": user.token_version},
        now=now,
        ttl=timedelta(minutes=settings.staff_token_minutes),
    )


def current_user(
    db_session: Session, *, token: str, settings: Settings, now: datetime
) -> StaffUser:
    """The active staff member `token` belongs to, with their role as the database has it now;
    AuthenticationError if the token is forged, expired or its session has ended."""
    claims = tokens.read(
        secret=settings.secret_key.get_secret_value(), kind=STAFF_TOKEN, token=token, now=now
    )
    user = db_session.scalar(select(StaffUser).where(StaffUser.username == str(claims["sub"])))
    version = claims.get("ver", 0)  # tokens from before versions count as the first one
    if (
        user is None
        or not user.active
        or not isinstance(version, int)
        or version != user.token_version
    ):
        raise AuthenticationError("This session has ended. Log in again.", code="session_ended")
    return user


def end_sessions(user: StaffUser) -> None:
    """Every token issued to `user` so far stops working (logout)."""
    user.token_version += 1

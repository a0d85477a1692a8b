"""Staff accounts: creating them and logging in."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.errors import AuthenticationError, ConflictError
from ticketing.security import tokens
from ticketing.security.principals import STAFF_TOKEN
from ticketing.settings import Settings
from ticketing.staff.models import StaffRole, StaffUser
from ticketing.staff.passwords import hash_password, verify_password
from ticketing.staff.schemas import LoginRead

# Checked when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = hash_password("not-a-real-password")


def get_by_username(*, db_session: Session, username: str) -> StaffUser | None:
    return db_session.scalar(select(StaffUser).where(StaffUser.username == username))


def create(
    *, db_session: Session, username: str, display_name: str, password: str, role: StaffRole
) -> StaffUser:
    """A new staff account; the username must be free."""
    if get_by_username(db_session=db_session, username=username) is not None:
        raise ConflictError(f"The username {username!r} is taken.", code="username_taken")
    user = StaffUser(
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        role=role,
    )
    db_session.add(user)
    db_session.flush()
    return user


def login(
    *, db_session: Session, username: str, password: str, settings: Settings, now: datetime
) -> LoginRead:
    """A staff token for the right password; the same refusal for any wrong pair."""
    user = get_by_username(db_session=db_session, username=username)
    valid = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not valid or not user.active:
        raise AuthenticationError("Wrong username or password.", code="login_failed")
    token, expires_at = tokens.issue(
        secret=settings.secret_key.get_secret_value(),
        kind=STAFF_TOKEN,
        claims={"sub": user.username, "role": user.role.value},
        now=now,
        ttl=timedelta(minutes=settings.staff_token_minutes),
    )
    return LoginRead(
        access_token=token,
        expires_at=expires_at,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
    )

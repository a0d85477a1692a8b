"""Staff accounts: creating them, their teams, and logging in."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.audit import service as audit_service
from ticketing.errors import AuthenticationError, ConflictError, InvalidInputError, NotFoundError
from ticketing.security import staff_tokens
from ticketing.security.login_limits import LoginThrottle
from ticketing.settings import Settings
from ticketing.staff.models import StaffRole, StaffUser
from ticketing.staff.passwords import hash_password, verify_password
from ticketing.staff.schemas import LoginRead, StaffRead

TEAM_NAME = re.compile(r"[a-z][a-z0-9_-]{0,39}")

# Checked when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = hash_password("not-a-real-password")


def get_by_username(*, db_session: Session, username: str) -> StaffUser | None:
    return db_session.scalar(select(StaffUser).where(StaffUser.username == username))


def get_by_username_or_raise(*, db_session: Session, username: str) -> StaffUser:
    user = get_by_username(db_session=db_session, username=username)
    if user is None:
        raise NotFoundError(f"There is no staff member {username!r}.", code="staff_not_found")
    return user


def normalise_team(team: str | None) -> str | None:
    """' Returns ' -> 'returns'; None or blank -> None (no team). Refuses anything that is not
    a short name, so reports and the console never show two spellings of one team."""
    if team is None or not team.strip():
        return None
    cleaned = team.strip().lower()
    if not TEAM_NAME.fullmatch(cleaned):
        raise InvalidInputError(
            f"{team!r} is not a team name: use 1-40 lowercase letters, digits, '-' or '_', "
            "starting with a letter (for example 'returns' or 'logistics').",
            code="bad_team",
        )
    return cleaned


def create(
    *,
    db_session: Session,
    username: str,
    display_name: str,
    password: str,
    role: StaffRole,
    team: str | None = None,
) -> StaffUser:
    """A new staff account; the username must be free."""
    team = normalise_team(team)
    if get_by_username(db_session=db_session, username=username) is not None:
        raise ConflictError(f"The username {username!r} is taken.", code="username_taken")
    user = StaffUser(
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        role=role,
        team=team,
    )
    db_session.add(user)
    db_session.flush()
    return user


def end_sessions(*, db_session: Session, username: str) -> None:
    """Log the staff member out everywhere: every token issued to them stops working."""
    user = get_by_username_or_raise(db_session=db_session, username=username)
    staff_tokens.end_sessions(user)
    db_session.flush()


def read(user: StaffUser) -> StaffRead:
    return StaffRead(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        active=user.active,
        team=user.team,
    )


def list_staff(*, db_session: Session) -> list[StaffUser]:
    """Everyone, by team (no team last) and username."""
    query = select(StaffUser).order_by(StaffUser.team.is_(None), StaffUser.team, StaffUser.username)
    return list(db_session.scalars(query))


def teams(*, db_session: Session) -> list[str]:
    """The teams someone is in, by name."""
    query = select(StaffUser.team).where(StaffUser.team.is_not(None)).distinct()
    return sorted(str(team) for team in db_session.scalars(query))


def set_team(*, db_session: Session, username: str, team: str | None, actor: str) -> StaffUser:
    """Put the staff member in `team` (None: in no team), audited when it changes."""
    team = normalise_team(team)
    user = get_by_username_or_raise(db_session=db_session, username=username)
    if user.team != team:
        audit_service.record(
            db_session=db_session,
            actor=actor,
            action="staff.team_changed",
            entity_type="staff_user",
            entity_id=user.username,
            changes={"team": [user.team, team]},
        )
        user.team = team
        db_session.flush()
    return user


def login(
    *,
    db_session: Session,
    username: str,
    password: str,
    settings: Settings,
    now: datetime,
    throttle: LoginThrottle,
    client_ip: str,
) -> LoginRead:
    """A staff token for the right password; the same refusal for any wrong pair, and
    `RateLimitedError` while the account or the caller's address is locked."""
    throttle.check(username=username, ip=client_ip)
    user = get_by_username(db_session=db_session, username=username)
    valid = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not valid or not user.active:
        throttle.failed(username=username, ip=client_ip)
        raise AuthenticationError("Wrong username or password.", code="login_failed")
    throttle.succeeded(username=username)
    token, expires_at = staff_tokens.issue(user=user, settings=settings, now=now)
    return LoginRead(
        access_token=token,
        expires_at=expires_at,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
    )

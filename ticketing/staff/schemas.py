"""Staff login, and staff accounts as admins read and change them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ticketing.staff.models import StaffRole


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class LoginRead(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_at: datetime
    username: str
    display_name: str
    role: StaffRole


class StaffRead(BaseModel):
    username: str
    display_name: str
    role: StaffRole
    active: bool
    team: str | None = Field(description="short team name, e.g. returns; null: no team")


class StaffUpdate(BaseModel):
    """The fields an admin may change; a field left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    team: str | None = Field(
        default=None,
        max_length=100,
        description="1-40 lowercase letters, digits, '-' or '_', starting with a letter; "
        "null or empty removes the staff member from their team",
    )

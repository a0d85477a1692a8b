"""Staff login."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

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

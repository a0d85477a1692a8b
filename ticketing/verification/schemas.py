"""Proving an order is yours: order number plus the email or phone on the order."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator


class VerificationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    order_number: str = Field(min_length=1, max_length=64)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=40)
    conversation_id: str | None = Field(
        default=None, max_length=200, description="Who is asking (rate limits count per asker)"
    )
    client_ip: str | None = Field(
        default=None,
        max_length=64,
        description="The customer's address as the hub saw it (message metadata `client_ip`); "
        "failures are also limited per address",
    )

    @model_validator(mode="after")
    def _email_or_phone(self) -> VerificationRequest:
        if not self.email and not self.phone:
            raise ValueError("give the email or the phone number on the order")
        return self


class VerificationRead(BaseModel):
    token: str
    expires_at: datetime
    order_number: str
    customer_first_name: str

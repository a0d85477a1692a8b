"""What the API takes and says about refunds."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from ticketing.refunds.models import RefundMethod, RefundStatus


class RefundCreate(BaseModel):
    """A refund request for a received return (by RMA) or a cancelled order."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rma_number: str | None = Field(default=None, max_length=32)
    method: RefundMethod | None = None
    reason: str = Field(default="customer request", min_length=1, max_length=500)


class RefundRead(BaseModel):
    id: int
    order_number: str
    rma_number: str | None
    amount: Decimal
    currency: str
    method: RefundMethod
    status: RefundStatus
    requires_approval: bool
    created_at: datetime
    processed_at: datetime | None
    expected_by: datetime | None
    message: str

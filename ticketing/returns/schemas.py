"""What the API takes and says about returns."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from ticketing.returns.models import ItemCondition, ReturnReason, ReturnResolution, ReturnStatus


class ItemEligibility(BaseModel):
    item_id: int
    sku: str
    name: str
    quantity: int
    returnable_quantity: int
    returnable: bool
    reason: str | None


class ReturnEligibility(BaseModel):
    """Whether the order can be returned, item by item, with the reason when it can't."""

    order_number: str
    eligible: bool
    code: str
    reason: str | None
    days_since_delivery: int | None
    window_days: int
    days_left: int | None
    items: list[ItemEligibility]


class ReturnItemRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_id: int | None = None
    sku: str | None = Field(default=None, max_length=64)
    quantity: int = Field(default=1, ge=1, le=1000)


class ReturnCreate(BaseModel):
    """A return request; no items means every returnable item of the order."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    items: list[ReturnItemRequest] = Field(default_factory=list, max_length=100)
    reason: ReturnReason
    condition: ItemCondition = ItemCondition.UNOPENED
    resolution: ReturnResolution = ReturnResolution.REFUND
    note: str | None = Field(default=None, max_length=2000)


class ReturnItemRead(BaseModel):
    item_id: int
    sku: str
    name: str
    quantity: int
    unit_price: Decimal


class ReturnRead(BaseModel):
    rma_number: str
    order_number: str
    status: ReturnStatus
    resolution: ReturnResolution
    reason: ReturnReason
    condition: ItemCondition
    note: str | None
    created_at: datetime
    received_at: datetime | None
    items: list[ReturnItemRead]
    refund_amount: Decimal
    currency: str
    next_steps: str

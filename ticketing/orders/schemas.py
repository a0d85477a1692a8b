"""What the API says about orders, shipments and tracking."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ticketing.orders.models import OrderStatus, PaymentMethod, ShipmentStatus


class Address(BaseModel):
    """A shipping address; every field bounded so a 10k-character value is refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    postal_code: str = Field(min_length=2, max_length=20)
    country: str = Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")


class OrderItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    final_sale: bool


class TrackingEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    occurred_at: datetime
    status: ShipmentStatus
    location: str | None
    description: str


DeliveryState = Literal["not_shipped", "on_time", "late", "presumed_lost", "delivered", "cancelled"]


class ShipmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    carrier: str
    tracking_number: str
    status: ShipmentStatus
    shipped_at: datetime | None
    promised_delivery_date: date | None
    delivered_at: datetime | None
    events: list[TrackingEventRead]
    tracking_url: str | None = None  # the carrier's tracking page (policy delivery.tracking_links)


class TrackingRead(BaseModel):
    """Where the parcel is, whether it is late, and what the customer can do."""

    order_number: str
    order_status: OrderStatus
    delivery_state: DeliveryState
    days_late: int = 0
    message: str
    shipments: list[ShipmentRead]


class OrderSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: str
    status: OrderStatus
    placed_at: datetime
    total: Decimal
    currency: str
    item_count: int


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: str
    status: OrderStatus
    placed_at: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
    shipping_address: Address
    payment_method: PaymentMethod
    currency: str
    subtotal: Decimal
    shipping_total: Decimal
    tax_total: Decimal
    total: Decimal
    items: list[OrderItemRead]
    tracking: TrackingRead
    can_cancel: bool
    can_change_address: bool


class CancelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=500)


class CancelResult(BaseModel):
    order: OrderRead
    refund_id: int | None
    message: str


class AddressText(BaseModel):
    """An address as the customer typed it (the parser refuses more than 500 characters with
    a message for the customer; the bound here only keeps the request small)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=20_000)


class AddressParsed(BaseModel):
    """The typed address read into fields, and as one line to read back to the customer."""

    address: Address
    text: str


class AddressChangeResult(BaseModel):
    order: OrderRead
    message: str

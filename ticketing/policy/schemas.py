"""The shape of `policy.yml`: validated the same way from the file and from the admin API."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Annotated, Literal
from urllib.parse import quote

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from ticketing.orders.models import OrderStatus, PaymentMethod
from ticketing.refunds.models import RefundMethod
from ticketing.returns.models import ItemCondition, ReturnResolution

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# A wall-clock time such as "09:00:00". Pydantic documents `time` as JSON Schema's "time"
# format, which requires a UTC offset that these times (local to the policy's timezone) lack.
LocalTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$",
            "description": "Local time in the policy's timezone, HH:MM[:SS]",
            "examples": ["09:00"],
        }
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReturnsPolicy(_Strict):
    window_days: int = Field(ge=0, le=3650)
    exchange_window_days: int = Field(ge=0, le=3650)
    final_sale_returnable: bool = False
    auto_approve: bool = True
    accepted_conditions: list[ItemCondition]
    resolutions: list[ReturnResolution] = Field(min_length=1)


class RefundsPolicy(_Strict):
    methods: list[RefundMethod] = Field(min_length=1)
    processing_days: dict[RefundMethod, int]
    auto_approve_limit: Decimal = Field(ge=0, decimal_places=2)
    refund_shipping_on_cancellation: bool = True

    @model_validator(mode="after")
    def _every_method_has_processing_days(self) -> RefundsPolicy:
        missing = [m.value for m in self.methods if m not in self.processing_days]
        if missing:
            raise ValueError(f"processing_days is missing for: {', '.join(missing)}")
        return self


class StatusRule(_Strict):
    allowed_statuses: list[OrderStatus]


class DeliveryOption(_Strict):
    name: str
    days: str
    price: Decimal = Field(ge=0)
    free_above: Decimal | None = None


class DeliveryPolicy(_Strict):
    late_after_days: int = Field(ge=0, default=1)
    lost_after_days: int = Field(ge=1, default=10)
    options: list[DeliveryOption] = []
    # carrier name -> its public tracking page, "{number}" standing for the tracking number
    tracking_links: dict[str, str] = {}

    @field_validator("tracking_links")
    @classmethod
    def _links_are_https_templates(cls, links: dict[str, str]) -> dict[str, str]:
        for carrier, template in links.items():
            if not template.startswith("https://") or "{number}" not in template:
                raise ValueError(
                    f"tracking_links.{carrier}: an https:// address with {{number}} where the "
                    f"tracking number goes, e.g. https://carrier.example/track?id={{number}}"
                )
        return links

    def tracking_url(self, carrier: str, number: str) -> str | None:
        template = self.tracking_links.get(carrier)
        return template.replace("{number}", quote(number, safe="")) if template else None


class TextPolicy(_Strict):
    text: str


class WarrantyPolicy(TextPolicy):
    months: int = Field(ge=0)


class PaymentPolicy(TextPolicy):
    methods: list[PaymentMethod]


class SlaTarget(_Strict):
    first_response_minutes: int = Field(gt=0)
    resolution_hours: int = Field(gt=0)


class BusinessHours(_Strict):
    timezone: str
    days: list[Weekday] = Field(min_length=1)
    open: LocalTime
    close: LocalTime
    holidays: list[date] = []

    @model_validator(mode="after")
    def _opens_before_closing(self) -> BusinessHours:
        if self.open >= self.close:
            raise ValueError("business_hours.open must be before close")
        return self


DEFAULT_NPS_QUESTION = (
    "One last question: how likely are you to recommend us to a friend or colleague? "
    "Tap a number from 0 (not at all likely) to 10 (extremely likely)."
)


class NpsPolicy(_Strict):
    """The 0-10 "how likely to recommend" question after a finished rating. Off unless the
    policy turns it on; a customer is asked at most once per `cooldown_days`."""

    enabled: bool = Field(default=False, strict=True)
    cooldown_days: int = Field(default=90, ge=0, le=3650, strict=True)
    question: str = Field(default=DEFAULT_NPS_QUESTION, min_length=1, max_length=500)

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the NPS question must not be blank")
        return value.strip()


class Policy(_Strict):
    """The whole policy document."""

    shop_name: str
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    timezone: str
    returns: ReturnsPolicy
    refunds: RefundsPolicy
    cancellation: StatusRule
    address_change: StatusRule
    delivery: DeliveryPolicy
    warranty: WarrantyPolicy
    payment: PaymentPolicy
    sla: dict[Literal["urgent", "high", "normal", "low"], SlaTarget]
    business_hours: BusinessHours
    nps: NpsPolicy = Field(default_factory=NpsPolicy)

    def nps_question(self) -> str:
        """The NPS question as customers read it: `{shop_name}` becomes the shop's name."""
        return self.nps.question.replace("{shop_name}", self.shop_name)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value


class PolicyRead(BaseModel):
    """The current policy and where it comes from."""

    version: int | None = Field(description="database version; null while the file is in force")
    source: Literal["file", "database"]
    policy: Policy

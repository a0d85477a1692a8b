"""Sending money back: the payment provider behind a small interface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ticketing.refunds.models import Refund


@dataclass(frozen=True)
class PaymentResult:
    ok: bool
    reference: str | None = None
    failure_reason: str | None = None


class PaymentGateway(Protocol):
    """What the backend needs from a payment provider."""

    def refund(self, refund: Refund) -> PaymentResult:
        """Pay `refund` back; called once per refund, inside its transaction."""
        ...


class LocalPaymentGateway:
    """The demo shop's provider: every refund succeeds at once."""

    def refund(self, refund: Refund) -> PaymentResult:
        return PaymentResult(ok=True, reference=f"local-{refund.idempotency_key}")

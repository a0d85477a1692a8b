"""Who calls the ticket, handoff and rating endpoints: staff, or a service that may act for a
verified customer.

Unlike the order endpoints, the customer's `X-Verification-Token` is optional here. It is
required only to attach an order (`Caller.verified_customer_or_raise`); otherwise a valid token
just links the ticket or rating to the customer, and an expired one is ignored, so a customer
whose verification ran out can still reach a person and still rate the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ticketing.deps import DatabaseDep, NowDep, SettingsDep
from ticketing.errors import AuthenticationError
from ticketing.security import tokens
from ticketing.security.principals import VERIFICATION_TOKEN, service_key_ok, staff_from

_bearer = HTTPBearer(auto_error=False, description="Staff token from POST /api/auth/login")

ApiKeyHeader = Annotated[str | None, Header(alias="X-Api-Key", description="Service API key")]
VerificationTokenHeader = Annotated[
    str | None,
    Header(
        alias="X-Verification-Token",
        description="Optional: token from POST /api/verifications; needed to attach an order",
    ),
]


@dataclass(frozen=True)
class Caller:
    """Staff, or a service; `customer_id` when the service sent a valid verification token."""

    actor: str
    is_staff: bool = False
    customer_id: int | None = None
    token_error: AuthenticationError | None = None

    def verified_customer_or_raise(self) -> int:
        """The verified customer, or why there is none (no token, expired, forged)."""
        if self.customer_id is not None:
            return self.customer_id
        if self.token_error is not None:
            raise self.token_error
        raise AuthenticationError(
            "The customer must be verified first: POST /api/verifications with the order "
            "number and the email or phone on the order.",
            code="verification_required",
        )


def _service_caller(
    settings: SettingsDep, now: NowDep, api_key: str | None, token: str | None, *, refusal: str
) -> Caller:
    if not service_key_ok(api_key, settings.api_keys()):
        raise AuthenticationError(refusal, code="bad_service_key")
    if not token:
        return Caller(actor="service")
    try:
        claims = tokens.read(
            secret=settings.secret_key.get_secret_value(),
            kind=VERIFICATION_TOKEN,
            token=token,
            now=now,
        )
    except AuthenticationError as refused:
        return Caller(actor="service", token_error=refused)
    customer_id = int(claims["cid"])
    return Caller(actor=f"customer:{customer_id}", customer_id=customer_id)


def identify_service(
    settings: SettingsDep,
    now: NowDep,
    x_api_key: ApiKeyHeader = None,
    x_verification_token: VerificationTokenHeader = None,
) -> Caller:
    """The action server or an integration (service key), maybe acting for a customer."""
    return _service_caller(
        settings,
        now,
        x_api_key,
        x_verification_token,
        refusal="A valid X-Api-Key header is required.",
    )


def identify_service_or_staff(
    settings: SettingsDep,
    now: NowDep,
    database: DatabaseDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    x_api_key: ApiKeyHeader = None,
    x_verification_token: VerificationTokenHeader = None,
) -> Caller:
    """A logged-in staff member, else a service as in `identify_service`."""
    staff = staff_from(credentials, settings, now, database)
    if staff is not None:
        return Caller(actor=staff.actor, is_staff=True)
    return _service_caller(
        settings,
        now,
        x_api_key,
        x_verification_token,
        refusal="A valid X-Api-Key header (or a staff login) is required.",
    )


ServiceCaller = Annotated[Caller, Depends(identify_service)]
ServiceOrStaffCaller = Annotated[Caller, Depends(identify_service_or_staff)]

"""Finding the person a privacy request is about: by email, phone, customer id, or the channel
identity of a conversation. A person is a customer record, or a conversation nobody verified."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ticketing.audit.models import AuditEntry
from ticketing.conversations.models import Conversation
from ticketing.customers.models import Customer
from ticketing.errors import ConflictError, NotFoundError
from ticketing.logs import mask
from ticketing.orders.models import Order
from ticketing.orders.numbers import phone_digits, phones_match
from ticketing.privacy import digests

MIN_PHONE_DIGITS = 8  # as verification: fewer digits match too many people


@dataclass(frozen=True)
class Selector:
    """Exactly one way of naming the person (the CLI makes sure of that)."""

    email: str | None = None
    phone: str | None = None
    customer_id: int | None = None
    channel: str | None = None
    external_id: str | None = None

    @property
    def kind(self) -> str:
        """`email`, `phone`, `customer_id` or `conversation` (what the audit log records)."""
        if self.email is not None:
            return "email"
        if self.phone is not None:
            return "phone"
        if self.customer_id is not None:
            return "customer_id"
        return "conversation"

    def describe(self) -> str:
        """The selector for messages, masked like the logs (terminals get copied around)."""
        if self.email is not None:
            return f"email {mask(self.email)}"
        if self.phone is not None:
            return f"phone {mask(self.phone)}"
        if self.customer_id is not None:
            return f"customer id {self.customer_id}"
        return f"{self.channel} conversation {mask(self.external_id or '')}"


@dataclass
class Subject:
    """Who the request is about: a customer (with everything linked to them), or a single
    conversation that was never linked to a customer."""

    customer: Customer | None
    conversation: Conversation | None = None
    found_by: str = ""
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """`customer 12`, or the channel of a chat nobody verified (its id names the person)."""
        if self.customer is not None:
            return f"customer {self.customer.id}"
        assert self.conversation is not None  # noqa: S101 - one of the two is always set
        return f"a {self.conversation.channel} conversation not linked to any customer"


@dataclass(frozen=True)
class Candidate:
    id: int
    email: str
    phone: str | None
    orders: int
    created: str

    def line(self) -> str:
        phone = mask(self.phone) if self.phone else "no phone"
        return (
            f"  --customer-id {self.id}: {mask(self.email)}, {phone}, "
            f"{self.orders} orders, customer since {self.created}"
        )


class NoMatchError(NotFoundError):
    code = "privacy_no_match"


class AmbiguousMatchError(ConflictError):
    code = "privacy_ambiguous"

    def __init__(self, msg: str, candidates: list[Candidate]) -> None:
        super().__init__(msg)
        self.candidates = candidates


class AlreadyErasedError(NotFoundError):
    """Nothing matches any more because the person was erased (the audit log says when)."""

    code = "privacy_already_erased"

    def __init__(self, msg: str, entry: AuditEntry) -> None:
        super().__init__(msg)
        self.entry = entry


def _candidates(db_session: Session, customers: list[Customer]) -> list[Candidate]:
    rows = db_session.execute(
        select(Order.customer_id, func.count())
        .where(Order.customer_id.in_([c.id for c in customers]))
        .group_by(Order.customer_id)
    )
    counts = {int(customer_id): int(count) for customer_id, count in rows}
    return [
        Candidate(c.id, c.email, c.phone, int(counts.get(c.id, 0)), f"{c.created_at:%Y-%m-%d}")
        for c in sorted(customers, key=lambda c: c.id)
    ]


def _by_email(db_session: Session, email: str) -> list[Customer]:
    wanted = email.strip().casefold()
    return list(db_session.scalars(select(Customer).where(func.lower(Customer.email) == wanted)))


def _by_phone(db_session: Session, phone: str) -> list[Customer]:
    digits = phone_digits(phone).lstrip("0")
    if len(digits) < MIN_PHONE_DIGITS:
        raise NoMatchError(
            f"{phone!r} has fewer than {MIN_PHONE_DIGITS} digits: give the whole number, "
            "with or without the country code."
        )
    tail = digits[-MIN_PHONE_DIGITS:]
    rough = db_session.scalars(select(Customer).where(Customer.phone_digits.endswith(tail)))
    # either way round: "0151 ..." and "+49 151 ..." are the same person's number
    return [
        c
        for c in rough
        if phones_match(phone, c.phone_digits) or phones_match(c.phone_digits or "", digits)
    ]


def _unique(db_session: Session, customers: list[Customer], selector: Selector) -> Customer:
    if len(customers) == 1:
        return customers[0]
    candidates = _candidates(db_session, customers)
    raise AmbiguousMatchError(
        f"{len(customers)} customers match {selector.describe()}; nothing was done. "
        "Run again with the --customer-id of the right one:",
        candidates,
    )


def _no_match(db_session: Session, selector: Selector, secret: str) -> NotFoundError:
    """Not found: either never known, or erased before (recognised by its digest)."""
    entry = digests.previous_erasure(db_session, selector, secret)
    if entry is not None:
        return AlreadyErasedError(
            f"Nothing matches {selector.describe()} any more: {entry.entity_type} "
            f"{entry.entity_id} was erased on {entry.occurred_at:%Y-%m-%d %H:%M} UTC by "
            f"{entry.actor} (audit entry {entry.id}).",
            entry,
        )
    hints = {
        "email": "no customer has that email; try --phone, or --channel and --external-id "
        "of their chat",
        "phone": "no customer has that phone number; try --email, or --channel and "
        "--external-id of their chat",
        "customer_id": "there is no customer with that id; try --email or --phone",
        "conversation": "there is no conversation with that channel and external id (web "
        "chats are named by a hash of the browser's token, Telegram chats by the chat id); "
        "try --email or --phone",
    }
    return NoMatchError(f"Nobody matches {selector.describe()}: {hints[selector.kind]}.")


def find_subject(db_session: Session, selector: Selector, *, secret: str) -> Subject:
    """The one person `selector` names; NoMatchError, AmbiguousMatchError (with candidates)
    or AlreadyErasedError otherwise."""
    customers: list[Customer]
    if selector.email is not None:
        customers = _by_email(db_session, selector.email)
    elif selector.phone is not None:
        customers = _by_phone(db_session, selector.phone)
    elif selector.customer_id is not None:
        found = db_session.get(Customer, selector.customer_id)
        customers = [found] if found is not None else []
    else:
        conversation = db_session.scalar(
            select(Conversation).where(
                Conversation.channel == selector.channel,
                Conversation.external_id == selector.external_id,
            )
        )
        if conversation is None:
            raise _no_match(db_session, selector, secret)
        if conversation.customer_id is None:
            return Subject(customer=None, conversation=conversation, found_by=selector.kind)
        owner = db_session.get(Customer, conversation.customer_id)
        note = (
            f"conversation {conversation.id} belongs to customer {conversation.customer_id} "
            "(verified in the chat): everything about that customer is included"
        )
        return Subject(customer=owner, found_by=selector.kind, notes=[note])
    if not customers and selector.email is not None:
        return _by_followup_email(db_session, selector, secret)
    if not customers:
        raise _no_match(db_session, selector, secret)
    return Subject(customer=_unique(db_session, customers, selector), found_by=selector.kind)


def _by_followup_email(db_session: Session, selector: Selector, secret: str) -> Subject:
    """No customer has the email, but a chat nobody verified may have left it for a reply by
    email: that conversation is the person's."""
    wanted = (selector.email or "").strip().casefold()
    chats = list(
        db_session.scalars(
            select(Conversation)
            .where(func.lower(Conversation.followup_email) == wanted)
            .order_by(Conversation.created_at, Conversation.id)
        )
    )
    if not chats:
        raise _no_match(db_session, selector, secret)
    if len(chats) > 1:
        raise NoMatchError(
            f"No customer has {selector.describe()}, but {len(chats)} chats left it for a reply "
            "by email; nothing was done. Run once per chat with --channel and --external-id: "
            + "; ".join(f"{c.channel} {c.external_id}" for c in chats)
        )
    [chat] = chats
    if chat.customer_id is not None:  # verified in the chat: everything about that customer
        owner = db_session.get(Customer, chat.customer_id)
        note = f"conversation {chat.id} left this email and belongs to customer {chat.customer_id}"
        return Subject(customer=owner, found_by=selector.kind, notes=[note])
    return Subject(customer=None, conversation=chat, found_by=selector.kind)

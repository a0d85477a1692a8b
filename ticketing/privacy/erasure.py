"""Erasing a person's personal data while keeping what the shop must keep and what reports need.

Why not delete every row: the right to erasure (GDPR Art. 17(1)) does not reach data the shop
needs "for compliance with a legal obligation" or "for the establishment, exercise or defence
of legal claims" (Art. 17(3)(b) and (e)). A sale and its refund are booking records that must
be kept for years (e.g. Germany: 10 years, HGB § 257 and AO § 147; the EU VAT Directive
2006/112/EC, Art. 244-249, for invoices), and deleting them would also make every report
(CSAT, containment, refund and return rates, resolution times) change after the fact. What is
kept is only what those purposes need, without anything that says who the person was
(Art. 5(1)(c), data minimisation). The invoices themselves (with the name and address VAT law
asks for) belong in the shop's accounting system, which this does not touch; the orders here
are the support backend's copy (`ticketing/orders/oms.py` fronts the real order system).

What each record keeps and loses:

- customer: keeps id, tier, created_at (the row the kept records point to); loses the name
  ("[erased]"), the phone, and the email, replaced by an unguessable
  `erased-<id>-<random>@erased.invalid` (verification compares emails: no pattern to guess).
- orders and items: keep number, status, dates, items, amounts, payment method and the
  shipping country (VAT); lose the address's name, lines, city and postal code.
- shipments: keep carrier, status, dates and hub scans; lose the tracking number (the carrier
  links it to the address) and the delivery-town scans.
- returns and refunds: keep status, reason codes, items, amounts, method, dates; lose the
  customer's note and a refund reason a person typed.
- conversations: keep channel, owner, times, who handled them and the context's `intent` and
  `reason` (top contact reasons); lose the rest of the context, the email left for a reply by
  email (its time stays), and their identity: the id and external id (a Telegram chat id is a
  person) become `erased-<random>` (see `pseudonyms`).
- messages: keep direction, sender and times (response-time reports); lose every text
  ("[erased]"), payloads (buttons, attachments: {}) and the customer's display name.
- conversation and ticket events: keep kind, actor, time, scores, statuses, seconds; lose note
  texts, handoff summaries and attachment lists (`redaction.FREE_TEXT_KEYS`).
- tickets: keep number, category, priority, status, source, times and assignee; lose subject
  and description ("[erased]") and the context but its report and follow-up keys.
- ratings and NPS answers: keep score, category, agent, channel and times, so reports stay
  right; lose the comment ("[erased]"); the external id becomes the conversation's pseudonym.
- CRM outbox: events stay (pending ones are still delivered: the CRM's CSAT still counts the
  score) without comment, customer id or the old conversation id; events delivered before are
  listed, so the CRM can be asked to erase its own copy.
- audit log: every entry stays (who did what when: accountability, Art. 5(2)); addresses and
  free text inside `changes` are erased.
- stored API answers (idempotency records): the key and request hash stay, so a retried
  request is still not carried out twice; the stored answer body goes.
- training inbox: the person's misunderstood messages and the examples labelled from them are
  deleted (masked, but still their words); the next `supportbot training export` leaves them
  out of `data/nlu/learned.yml`.

Outside the database: Rasa's tracker store (the assistant's copy of the chats) loses the
person's events, and their failed-verification counters are reset (see `service`). Files:
nothing is stored on disk; Telegram photos and documents stay on Telegram's servers (the Bot
API cannot delete them) and only their file ids were kept here, which are erased.

Every step compares before it writes, so a second erasure changes nothing and says so; the
caller runs it in one transaction with the audit entry (all or nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from ticketing.audit.models import AuditEntry
from ticketing.conversations.models import ConversationEvent, Message, Owner, Sender
from ticketing.orders.models import ShipmentStatus
from ticketing.privacy import redaction
from ticketing.privacy.pseudonyms import pseudonymise
from ticketing.privacy.redaction import ERASED, erased_text, keep_keys, redact_address, scrub
from ticketing.privacy.scope import Scope
from ticketing.tickets.models import DONE_STATUSES, TicketEvent
from ticketing.training import privacy as training_privacy

CONVERSATION_CONTEXT_KEYS = ("intent", "reason")  # reports: top contact reasons
TICKET_CONTEXT_KEYS = ("intent", "reason", "follow_up_of", "score", "ticket")  # follow-ups
SYSTEM_REFUND_REASONS = frozenset({"customer request", "order cancelled"})
LAST_MILE = frozenset({ShipmentStatus.OUT_FOR_DELIVERY, ShipmentStatus.DELIVERED})
# Audit actions whose `changes` hold text a person typed under a key that is a code elsewhere.
FREE_TEXT_BY_ACTION = {"order.cancelled": ("reason",)}
ERASED_ANSWER = {"erased": "the stored answer held personal data and was erased"}


@dataclass
class Erasure:
    """What an erasure changed (records per kind; a kind with 0 is not listed)."""

    counts: dict[str, int] = field(default_factory=dict)
    delivered_crm_events: list[str] = field(default_factory=list)
    still_open: list[str] = field(default_factory=list)
    renames: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, changed: bool | int) -> None:
        if changed:
            self.counts[kind] = self.counts.get(kind, 0) + int(changed)

    @property
    def changed(self) -> int:
        return sum(self.counts.values())


def _assign(row: Any, attribute: str, value: Any) -> bool:
    """Set only what differs; whether it did."""
    if getattr(row, attribute) == value:
        return False
    setattr(row, attribute, value)
    return True


def _keep_updated_at(row: Any) -> None:
    """Erasing is not an update of the ticket or rating: keep `updated_at` (no onupdate)."""
    if hasattr(row, "updated_at"):
        flag_modified(row, "updated_at")


def _customer(scope: Scope, result: Erasure) -> None:
    customer = scope.customer
    if customer is None:
        return
    changed = _assign(customer, "name", ERASED)
    if not redaction.is_tombstone_email(customer.email):
        changed = _assign(customer, "email", redaction.tombstone_email(customer.id)) or changed
    changed = _assign(customer, "phone", None) or changed
    changed = _assign(customer, "phone_digits", None) or changed
    result.add("customer", changed)


def _orders(scope: Scope, result: Erasure) -> None:
    for order in scope.orders:
        city = str(order.shipping_address.get("city") or "")
        result.add(
            "orders", _assign(order, "shipping_address", redact_address(order.shipping_address))
        )
        for shipment in order.shipments:
            changed = False
            if not shipment.tracking_number.startswith("erased-"):
                changed = _assign(shipment, "tracking_number", f"erased-{shipment.id}")
            for event in shipment.events:
                near_home = event.status in LAST_MILE or (
                    city != ERASED and bool(city) and city in (event.location or "")
                )
                if near_home and event.location is not None:
                    changed = _assign(event, "location", None) or changed
            result.add("shipments", changed)
    for return_ in scope.returns:
        changed = _assign(return_, "customer_note", erased_text(return_.customer_note))
        if changed:
            _keep_updated_at(return_)
        result.add("returns", changed)
    for refund in scope.refunds:
        if refund.reason not in SYSTEM_REFUND_REASONS:
            result.add("refunds", _assign(refund, "reason", ERASED))


def _conversations(db_session: Session, scope: Scope, result: Erasure) -> None:
    renames = result.renames
    for conversation in scope.conversations:
        context = scrub(keep_keys(conversation.context, CONVERSATION_CONTEXT_KEYS), renames)
        result.add("conversation_contexts", _assign(conversation, "context", context))
        result.add("followup_emails", _assign(conversation, "followup_email", None))
        if conversation.owner == Owner.HUMAN:
            result.still_open.append(f"conversation {conversation.id} is still with an agent")
    ids = [conversation.id for conversation in scope.conversations]
    for message in db_session.scalars(select(Message).where(Message.conversation_id.in_(ids))):
        attachments = (message.payload or {}).get("attachments") or []
        changed = _assign(message, "text", erased_text(message.text))
        changed = _assign(message, "payload", {}) or changed
        if message.sender == Sender.CUSTOMER:
            changed = _assign(message, "sender_name", None) or changed
        result.add("messages", changed)
        result.add("attachments", len(attachments))
    events = select(ConversationEvent).where(ConversationEvent.conversation_id.in_(ids))
    for event in db_session.scalars(events):
        result.add("conversation_events", _assign(event, "data", scrub(event.data, renames)))


def _tickets(db_session: Session, scope: Scope, result: Erasure) -> None:
    renames = result.renames
    for ticket in scope.tickets:
        context = scrub(keep_keys(ticket.context, TICKET_CONTEXT_KEYS), renames)
        changed = _assign(ticket, "subject", ERASED)
        if ticket.conversation_id in renames:
            renamed = renames[ticket.conversation_id]
            changed = _assign(ticket, "conversation_id", renamed) or changed
        changed = _assign(ticket, "description", ERASED) or changed
        changed = _assign(ticket, "context", context) or changed
        if changed:
            _keep_updated_at(ticket)
        result.add("tickets", changed)
        if ticket.status not in DONE_STATUSES:
            result.still_open.append(f"ticket {ticket.number} is still {ticket.status.value}")
    ids = [ticket.id for ticket in scope.tickets]
    for event in db_session.scalars(select(TicketEvent).where(TicketEvent.ticket_id.in_(ids))):
        result.add("ticket_events", _assign(event, "data", scrub(event.data, renames)))


def _feedback(scope: Scope, result: Erasure) -> None:
    externals = {c.id: c.external_id for c in scope.conversations}
    for table, rows in scope.feedback.items():
        for row in rows:
            changed = False
            if getattr(row, "conversation_id", None) in result.renames:
                changed = _assign(row, "conversation_id", result.renames[row.conversation_id])
            if hasattr(row, "comment"):
                changed = _assign(row, "comment", erased_text(row.comment)) or changed
            if hasattr(row, "external_id") and row.conversation_id in externals:
                changed = _assign(row, "external_id", externals[row.conversation_id]) or changed
            if changed:
                _keep_updated_at(row)
            result.add(table, changed)


def _crm_events(scope: Scope, result: Erasure) -> None:
    for event in scope.crm_events:
        payload = scrub(event.payload, result.renames)
        if "customer_id" in payload:
            payload["customer_id"] = None
        result.add("crm_events", _assign(event, "payload", payload))
        if event.delivered_at is not None:
            result.delivered_crm_events.append(str(event.id))


def _audit_entry(entry: AuditEntry, renames: dict[str, str]) -> dict[str, Any]:
    changes: dict[str, Any] = scrub(entry.changes, renames)
    for key in FREE_TEXT_BY_ACTION.get(entry.action, ()):
        if key in changes:
            changes[key] = redaction.erased_value(changes[key])
    return changes


def _audit_and_answers(scope: Scope, result: Erasure) -> None:
    for entry in scope.audit_entries:
        changed = _assign(entry, "changes", _audit_entry(entry, result.renames))
        if entry.entity_type == "conversation" and entry.entity_id in result.renames:
            changed = _assign(entry, "entity_id", result.renames[entry.entity_id]) or changed
        result.add("audit_entries", changed)
    for record in scope.stored_answers:
        result.add("stored_api_answers", _assign(record, "response_body", ERASED_ANSWER))


def erase(db_session: Session, scope: Scope) -> Erasure:
    """Erase everything in `scope` (in the caller's transaction); what changed."""
    result = Erasure()
    for kind, count in training_privacy.erase(db_session, scope.conversation_ids).items():
        result.add(kind, count)  # by the ids the inbox knows, before they are renamed
    renamed = [pseudonymise(db_session, c) for c in scope.conversations]
    scope.conversations = [conversation for conversation, _old in renamed]
    result.renames = {old: new.id for new, old in renamed if old != new.id}
    result.add("conversation_ids", len(result.renames))
    _customer(scope, result)
    _orders(scope, result)
    _conversations(db_session, scope, result)
    _tickets(db_session, scope, result)
    _feedback(scope, result)
    _crm_events(scope, result)
    _audit_and_answers(scope, result)
    db_session.flush()
    return result

"""A small fixed dataset with every report metric computed by hand (times UTC; the shop is in
Europe/Berlin, so every moment below falls on the same local day).

Week Mon 2026-11-16 .. Sun 2026-11-22 (the report range), previous week Nov 9 .. Nov 15.

  C1 web      Mon 16 09:00 created, 09:10 handoff (T1 logistics, intent where_is_my_order),
              09:20 ann replies (FRT 600 s), 10:00 ann resolves (3600 s); rated 5 (ann) 10:05
  C2 web      Mon 16 12:00 created, 12:05 bot resolves (300 s): contained; rated 4 at 12:06
  NPS answers: C1 10 (ann) 10:06, C2 9 at 12:07, C3 3 (bob) Tue 17 10:11: NPS (2 - 1) / 3 =
              33.33 points; none in the previous week
  C3 telegram Tue 17 08:00 created, 08:30 handoff (T2 payment, intent refund_status),
              09:30 bob replies (3600 s), 10:00 bob resolves (7200 s); rated 2 (bob) 10:10;
              Wed 18 09:00 reopened, 09:30 bot resolves again (91,800 s); no second rating
  C4 web      Thu 19 14:00 created, 14:05 handoff (T3 after_sales, no intent): waiting
  C5 telegram Sat 21 10:00 created and handed off (T4 logistics, where_is_my_order),
              11:00 ann replies (3600 s): open with ann
  C6 web      Sun 22 15:00 created: with the bot
  P1 web      Wed 11 10:00 created, 10:10 bot resolves (600 s), no rating
  P2 web      Thu 12 10:00 created, 10:05 handoff (T5 logistics, where_is_my_order),
              10:35 ann replies (1800 s), 11:00 handed back, 11:30 bot resolves (5400 s)

Orders delivered: O5 Tue 10 (refund on Nov 17, after the previous week), O1 Mon 16 (return
Mon 16, refund processed Tue 17), O2 Wed 18 (refund failed), O3 Fri 20, O4 Sat 21 (return
Sun 22), O6 Mon 23 (outside).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from tests.factories import make_customer, make_order
from ticketing.conversations.models import Conversation, ConversationEvent, CsatState, Owner
from ticketing.db import Database
from ticketing.feedback.models import CsatRating
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.orders.models import Order
from ticketing.refunds.models import Refund, RefundMethod, RefundStatus
from ticketing.returns.models import (
    ItemCondition,
    Return,
    ReturnReason,
    ReturnResolution,
    ReturnStatus,
)
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole
from ticketing.tickets.models import (
    Ticket,
    TicketCategory,
    TicketPriority,
    TicketSource,
    TicketStatus,
)

PASSWORD = "reports password 123"  # noqa: S105 - test accounts only
_numbers = itertools.count(1)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026 (UTC)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@dataclass(frozen=True)
class Staff:
    ann: int
    bob: int
    mia: int


class Builder:
    def __init__(self, db_session: Session) -> None:
        self.db = db_session

    def ticket(self, category: TicketCategory, created: datetime) -> Ticket:
        ticket = Ticket(
            number=f"T-{next(_numbers)}",
            category=category,
            priority=TicketPriority.NORMAL,
            status=TicketStatus.OPEN,
            source=TicketSource.HANDOFF,
            subject="help",
            description="help",
            context={},
            created_at=created,
            updated_at=created,
        )
        self.db.add(ticket)
        self.db.flush()
        return ticket

    def conversation(self, name: str, channel: str, created: datetime, **fields: Any) -> str:
        """A conversation; its contact reason, unless given, as the hub stores it: the intent
        the bot recognised, else its ticket's category."""
        context = fields.pop("context", {})
        reason = fields.pop("contact_reason", None) or context.get("intent")
        source = "bot" if reason else None
        if reason is None and fields.get("ticket_id") is not None:
            ticket = self.db.get(Ticket, fields["ticket_id"])
            reason, source = (ticket.category.value, "ticket") if ticket else (None, None)
        self.db.add(
            Conversation(
                id=name,
                channel=channel,
                external_id=name,
                owner=fields.pop("owner", Owner.BOT),
                csat_state=CsatState.NONE,
                context=context,
                created_at=created,
                updated_at=created,
                contact_reason=reason,
                contact_reason_source=source,
                **fields,
            )
        )
        self.db.flush()
        self.event(name, "created", created)
        return name

    def event(
        self,
        name: str,
        kind: str,
        moment: datetime,
        staff: int | None = None,
        seconds: int | None = None,
    ) -> None:
        data = {} if seconds is None else {"seconds": seconds}
        self.db.add(
            ConversationEvent(
                conversation_id=name, kind=kind, actor="test", staff_id=staff, data=data, at=moment
            )
        )

    def rating(self, name: str, score: int, moment: datetime, channel: str, **fields: Any) -> None:
        self.db.add(
            CsatRating(
                conversation_id=name,
                score=score,
                channel=channel,
                created_at=moment,
                updated_at=moment,
                **fields,
            )
        )

    def nps(self, name: str, score: int, moment: datetime, channel: str, **fields: Any) -> None:
        self.db.add(
            NpsAnswer(
                conversation_id=name,
                score=score,
                channel=channel,
                external_id=name,
                asked_at=moment,
                created_at=moment,
                **fields,
            )
        )

    def delivered(self, customer_id: Any, moment: datetime) -> Order:
        order = make_order(self.db, customer_id, now=moment, delivered_days_ago=0)
        order.delivered_at = moment
        return order

    def returned(self, order: Order, moment: datetime) -> None:
        self.db.add(
            Return(
                rma_number=f"RMA-{next(_numbers)}",
                order_id=order.id,
                status=ReturnStatus.REQUESTED,
                resolution=ReturnResolution.REFUND,
                reason=ReturnReason.DAMAGED,
                condition=ItemCondition.DAMAGED,
                created_at=moment,
                updated_at=moment,
            )
        )

    def refunded(self, order: Order, moment: datetime, status: RefundStatus) -> None:
        self.db.add(
            Refund(
                order_id=order.id,
                amount=Decimal("10.00"),
                currency="EUR",
                method=RefundMethod.ORIGINAL_PAYMENT,
                status=status,
                reason="damaged",
                idempotency_key=f"key-{next(_numbers)}",
                created_at=moment,
            )
        )


def _staff(db_session: Session) -> Staff:
    ids = {}
    for username, role in (
        ("ann", StaffRole.AGENT),
        ("bob", StaffRole.AGENT),
        ("mia", StaffRole.MANAGER),
    ):
        user = staff_service.create(
            db_session=db_session,
            username=username,
            display_name=username.title(),
            password=PASSWORD,
            role=role,
        )
        ids[username] = user.id
    db_session.flush()
    return Staff(**ids)


def _conversations(b: Builder, s: Staff) -> None:
    t1 = b.ticket(TicketCategory.LOGISTICS, at(16, 9, 10))
    b.conversation(
        "C1",
        "web",
        at(16, 9),
        owner=Owner.CLOSED,
        ticket_id=t1.id,
        assignee_id=s.ann,
        context={"intent": "where_is_my_order"},
        resolved_at=at(16, 10),
    )
    b.event("C1", "bot_handoff", at(16, 9, 10))
    b.event("C1", "agent_assigned", at(16, 9, 10), staff=s.ann)
    b.event("C1", "first_human_reply", at(16, 9, 20), staff=s.ann, seconds=600)
    b.event("C1", "resolved", at(16, 10), staff=s.ann, seconds=3600)
    b.event("C1", "csat_requested", at(16, 10), staff=s.ann)
    b.rating(
        "C1",
        5,
        at(16, 10, 5),
        "web",
        agent_id=s.ann,
        category=TicketCategory.LOGISTICS,
        ticket_id=t1.id,
    )

    b.nps("C1", 10, at(16, 10, 6), "web", agent_id=s.ann)

    b.conversation("C2", "web", at(16, 12), owner=Owner.CLOSED, resolved_at=at(16, 12, 5))
    b.event("C2", "bot_resolved", at(16, 12, 5), seconds=300)
    b.event("C2", "csat_requested", at(16, 12, 5))
    b.rating("C2", 4, at(16, 12, 6), "web")
    b.nps("C2", 9, at(16, 12, 7), "web")

    t2 = b.ticket(TicketCategory.PAYMENT, at(17, 8, 30))
    b.conversation(
        "C3",
        "telegram",
        at(17, 8),
        owner=Owner.RESOLVED,
        ticket_id=t2.id,
        context={"intent": "refund_status"},
        resolved_at=at(18, 9, 30),
    )
    b.event("C3", "bot_handoff", at(17, 8, 30))
    b.event("C3", "first_human_reply", at(17, 9, 30), staff=s.bob, seconds=3600)
    b.event("C3", "resolved", at(17, 10), staff=s.bob, seconds=7200)
    b.event("C3", "csat_requested", at(17, 10), staff=s.bob)
    b.rating(
        "C3",
        2,
        at(17, 10, 10),
        "telegram",
        agent_id=s.bob,
        category=TicketCategory.PAYMENT,
        ticket_id=t2.id,
    )
    b.nps("C3", 3, at(17, 10, 11), "telegram", agent_id=s.bob)
    b.event("C3", "reopened", at(18, 9))
    b.event("C3", "bot_resolved", at(18, 9, 30), seconds=91800)
    b.event("C3", "csat_requested", at(18, 9, 30))

    t3 = b.ticket(TicketCategory.AFTER_SALES, at(19, 14, 5))
    b.conversation(
        "C4",
        "web",
        at(19, 14),
        owner=Owner.HUMAN,
        ticket_id=t3.id,
        context={"reason": "agent_requested"},
        handed_off_at=at(19, 14, 5),
    )
    b.event("C4", "bot_handoff", at(19, 14, 5))

    t4 = b.ticket(TicketCategory.LOGISTICS, at(21, 10))
    b.conversation(
        "C5",
        "telegram",
        at(21, 10),
        owner=Owner.HUMAN,
        ticket_id=t4.id,
        assignee_id=s.ann,
        context={"intent": "where_is_my_order"},
    )
    b.event("C5", "bot_handoff", at(21, 10))
    b.event("C5", "first_human_reply", at(21, 11), staff=s.ann, seconds=3600)

    b.conversation("C6", "web", at(22, 15))

    b.conversation("P1", "web", at(11, 10), owner=Owner.RESOLVED, resolved_at=at(11, 10, 10))
    b.event("P1", "bot_resolved", at(11, 10, 10), seconds=600)
    b.event("P1", "csat_requested", at(11, 10, 10))

    t5 = b.ticket(TicketCategory.LOGISTICS, at(12, 10, 5))
    b.conversation(
        "P2",
        "web",
        at(12, 10),
        owner=Owner.RESOLVED,
        ticket_id=t5.id,
        context={"intent": "where_is_my_order"},
        resolved_at=at(12, 11, 30),
    )
    b.event("P2", "bot_handoff", at(12, 10, 5))
    b.event("P2", "first_human_reply", at(12, 10, 35), staff=s.ann, seconds=1800)
    b.event("P2", "handed_back", at(12, 11), staff=s.ann)
    b.event("P2", "bot_resolved", at(12, 11, 30), seconds=5400)
    b.event("P2", "csat_requested", at(12, 11, 30))


def _orders(b: Builder) -> None:
    customer = make_customer(b.db)
    o5 = b.delivered(customer, at(10, 12))
    b.refunded(o5, at(17, 12), RefundStatus.PROCESSED)
    o1 = b.delivered(customer, at(16, 12))
    b.returned(o1, at(16, 15))
    b.refunded(o1, at(17, 9), RefundStatus.PROCESSED)
    o2 = b.delivered(customer, at(18, 12))
    b.refunded(o2, at(18, 13), RefundStatus.FAILED)
    b.delivered(customer, at(20, 12))
    o4 = b.delivered(customer, at(21, 12))
    b.returned(o4, at(22, 12))
    b.delivered(customer, at(23, 12))


def seed(database: Database) -> Staff:
    with database.session(write=True) as db_session:
        staff = _staff(db_session)
        builder = Builder(db_session)
        _conversations(builder, staff)
        _orders(builder)
    return staff

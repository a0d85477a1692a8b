"""Did the customer get what they came for? Judged from the database after the conversation
(what was created or changed for the order and the conversation), and, for questions that
change nothing, from what the bot said."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from benchmarks.simulation.goals import REFUSAL
from benchmarks.simulation.personas import Persona, Target
from benchmarks.simulation.scenarios import Scenario
from ticketing.conversations.models import Conversation, Owner
from ticketing.orders.models import Order
from ticketing.refunds.models import Refund
from ticketing.returns.models import Return
from ticketing.tickets.models import Ticket, TicketSource

STATUS_WORDS = {
    "pending": ("waiting for payment", "awaiting payment", "not paid"),
    "paid": ("being prepared", "paid", "processing"),
    "packed": ("packed",),
    "shipped": ("on its way", "shipped", "in transit"),
    "out_for_delivery": ("out for delivery",),
    "delivered": ("delivered",),
}


@dataclass(frozen=True)
class Before:
    """The order's state before the conversation; rows created later are the new ones."""

    status: str | None
    address: dict[str, Any] | None
    returns: frozenset[int]
    refunds: frozenset[int]
    tickets: frozenset[int]


@dataclass
class After:
    status: str | None
    address: dict[str, Any] | None
    returns: list[Return]
    refunds: list[Refund]
    tickets: list[Ticket]
    owner: str | None
    said: str  # everything the bot said, lower-cased
    told: set[str] = field(default_factory=set)  # details the customer gave: reason, ...


def _tickets(session: Session, order_id: int | None, conversation_id: str) -> list[Ticket]:
    where = [Ticket.conversation_id == conversation_id]
    if order_id is not None:
        where.append(Ticket.order_id == order_id)
    return list(session.scalars(select(Ticket).where(or_(*where)).order_by(Ticket.id)))


def snapshot(session: Session, persona: Persona | None, conversation_id: str) -> Before:
    order = session.get(Order, persona.order_id) if persona else None
    order_id = order.id if order else None
    returns = session.scalars(select(Return.id).where(Return.order_id == order_id))
    refunds = session.scalars(select(Refund.id).where(Refund.order_id == order_id))
    return Before(
        status=order.status.value if order else None,
        address=dict(order.shipping_address) if order else None,
        returns=frozenset(returns),
        refunds=frozenset(refunds),
        tickets=frozenset(t.id for t in _tickets(session, order_id, conversation_id)),
    )


def after(
    session: Session, persona: Persona | None, conversation_id: str, before: Before, said: str
) -> After:
    order = session.get(Order, persona.order_id) if persona else None
    order_id = order.id if order else None
    returns = session.scalars(
        select(Return)
        .where(Return.order_id == order_id, Return.id.not_in(before.returns))
        .options(selectinload(Return.items))
    )
    refunds = session.scalars(
        select(Refund).where(Refund.order_id == order_id, Refund.id.not_in(before.refunds))
    )
    tickets = [
        t for t in _tickets(session, order_id, conversation_id) if t.id not in before.tickets
    ]
    conversation = session.get(Conversation, conversation_id)
    return After(
        status=order.status.value if order else None,
        address=dict(order.shipping_address) if order else None,
        returns=list(returns),
        refunds=list(refunds),
        tickets=tickets,
        owner=conversation.owner.value if conversation else None,
        said=said,
    )


Check = Callable[[Scenario, Persona | None, Target | None, Before, After], str | None]


def _nothing_written(before: Before, now: After) -> str | None:
    if now.returns:
        return f"a return was created ({now.returns[0].rma_number})"
    if now.refunds:
        return "a refund was created"
    if now.status != before.status:
        return f"the order went from {before.status} to {now.status}"
    if now.address != before.address:
        return "the delivery address was changed"
    return None


def _answered(scenario: Scenario, now: After) -> str | None:
    if now.owner == Owner.HUMAN.value and len(scenario.goals) == 1:
        return "handed to a person instead of answering"
    missing = [word for word in scenario.want.expect if word.lower() not in now.said]
    return f"the bot never said {missing}" if missing else None


def order_status(
    s: Scenario, p: Persona | None, _t: Target | None, b: Before, a: After
) -> str | None:
    assert p is not None
    words = STATUS_WORDS.get(str(b.status), ())
    if p.order_number not in a.said or not any(w in a.said for w in words):
        return f"the bot never gave the status of order {p.order_number} ({b.status})"
    return _answered(s, a)


def cancel(_s: Scenario, _p: Persona | None, _t: Target | None, _b: Before, a: After) -> str | None:
    return None if a.status == "cancelled" else f"the order is still {a.status}"


def address(s: Scenario, _p: Persona | None, _t: Target | None, _b: Before, a: After) -> str | None:
    wanted = s.want.address
    assert wanted is not None and a.address is not None
    got = (a.address.get("line1"), a.address.get("postal_code"), a.address.get("city"))
    want = (wanted.line1, wanted.postal_code, wanted.city)
    same_street = str(got[0] or "").startswith(wanted.line1)  # line 2 may be in the street
    if same_street and got[1:] == want[1:]:
        return None
    return f"the address is {got}, wanted {want}"


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _return(s: Scenario, t: Target | None, a: After, resolution: str) -> str | None:
    """The one new RMA has the wanted lines and units and resolution, and the reason and
    condition the customer gave (when the bot asked for them, or they said them unasked)."""
    assert t is not None
    if not a.returns:
        return "no return (RMA) was created"
    if len(a.returns) > 1:
        return f"{len(a.returns)} returns were created, one was wanted"
    made = a.returns[0]
    items = {item.order_item_id: item.quantity for item in made.items}
    if items != t.quantities:
        return f"{made.rma_number} returns {items} (item id: units), wanted {t.quantities}"
    wrong = [
        f"{name} {got} (wanted {want})"
        for name, got, want in (
            ("resolution", made.resolution.value, resolution),
            ("reason", made.reason.value, s.want.reason),
            ("condition", made.condition.value, s.want.condition),
        )
        if got != want and (name == "resolution" or name in a.told)
    ]
    if wrong:
        return f"{made.rma_number} has " + ", ".join(wrong)
    if s.want.wish_words:
        stored = " ".join(
            str(getattr(made, column.key) or "") for column in Return.__table__.columns
        )
        if not _words(stored) & set(s.want.wish_words):
            return f"{made.rma_number} does not record the wish {s.want.wish!r}"
    return None


def return_(s: Scenario, _p: Persona | None, t: Target | None, _b: Before, a: After) -> str | None:
    return _return(s, t, a, s.want.resolution)


def exchange(s: Scenario, _p: Persona | None, t: Target | None, _b: Before, a: After) -> str | None:
    return _return(s, t, a, "exchange")


def refund_request(
    s: Scenario, _p: Persona | None, t: Target | None, _b: Before, a: After
) -> str | None:
    if a.refunds:
        return None
    if a.returns and t is not None:  # refunds follow a return: a return for a refund counts
        return _return(s, t, a, "refund")
    return "no refund was requested (nor a return for one)"


def refund_status(
    s: Scenario, _p: Persona | None, _t: Target | None, b: Before, a: After
) -> str | None:
    if "refund" not in a.said:
        return "the bot never spoke of the refund"
    return _nothing_written(b, a) or _answered(s, a)


def _ticket(category: str, linked: bool) -> Check:
    def check(
        s: Scenario, p: Persona | None, _t: Target | None, _b: Before, a: After
    ) -> str | None:
        for ticket in a.tickets:
            if ticket.source == TicketSource.HANDOFF:
                continue
            wanted = s.want.category if category == "complaint" else category
            if ticket.category.value != wanted:
                continue
            if linked and p is not None and ticket.order_id != p.order_id:
                continue
            return None
        got = [f"{t.number} {t.category.value} {t.source.value}" for t in a.tickets]
        return f"no {category} ticket for the order; tickets: {got or 'none'}"

    return check


def damaged(s: Scenario, p: Persona | None, t: Target | None, b: Before, a: After) -> str | None:
    """A product-quality ticket on the order, or a return of the item for that reason."""
    if a.returns and t is not None:
        made = a.returns[0]
        lines = {item.order_item_id for item in made.items}
        if set(t.quantities) <= lines and made.reason.value == s.want.reason:
            return None
    return _ticket("product_quality", linked=True)(s, p, t, b, a)


def policy(s: Scenario, _p: Persona | None, _t: Target | None, _b: Before, a: After) -> str | None:
    return _answered(s, a)


def handoff(
    _s: Scenario, _p: Persona | None, _t: Target | None, _b: Before, a: After
) -> str | None:
    if a.owner != Owner.HUMAN.value:
        return f"the conversation is with {a.owner}, not a person"
    if not any(t.source == TicketSource.HANDOFF for t in a.tickets):
        return "no handoff ticket for the conversation"
    return None


def refused(_s: Scenario, _p: Persona | None, _t: Target | None, b: Before, a: After) -> str | None:
    written = _nothing_written(b, a)
    if written:
        return f"refused request, yet {written}"
    if not any(word in a.said for word in REFUSAL) and a.owner != Owner.HUMAN.value:
        return "the bot never said why it can't be done (nor passed it to a person)"
    return None


CHECKS: dict[str, Check] = {
    "order_status": order_status,
    "cancel": cancel,
    "address": address,
    "return": return_,
    "exchange": exchange,
    "refund_request": refund_request,
    "refund_status": refund_status,
    "late_delivery": _ticket("logistics", linked=True),
    "damaged": damaged,
    "wrong_item": damaged,
    "payment": _ticket("payment", linked=True),
    "complaint": _ticket("complaint", linked=False),
    "policy": policy,
    "delivery_options": policy,
    "handoff": handoff,
    "refused_return": refused,
    "refused_cancel": refused,
    "refused_address": refused,
}


def judge(
    scenario: Scenario, persona: Persona | None, target: Target | None, before: Before, now: After
) -> str | None:
    """None when every goal of the scenario was reached, else why not."""
    problems = [
        f"{goal}: {problem}"
        for goal in scenario.goals
        if (problem := CHECKS[goal](scenario, persona, target, before, now))
    ]
    if problems:
        return "; ".join(problems)
    if "handoff" not in scenario.goals and not scenario.want.person:
        if now.owner == Owner.HUMAN.value and not all(
            g.startswith("refused") for g in scenario.goals
        ):
            return "handed to a person, though the bot could have done it"
    return None

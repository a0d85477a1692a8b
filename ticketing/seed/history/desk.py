"""The ticket side of a conversation: the handoff ticket (category from the intent, priority
from `tickets.priority` with the customer's tier), the SLA watch's warnings, breaches and
escalations, and the follow-up a low rating opens for a team lead (`tickets.follow_up`)."""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from typing import Any

from ticketing.customers.models import CustomerTier
from ticketing.policy.schemas import Policy, SlaTarget
from ticketing.seed.history.calendar import Calendar
from ticketing.seed.history.orders import OrderRef
from ticketing.seed.history.story import Story, Ticket
from ticketing.seed.history.world import DAY, Staff
from ticketing.tickets.handoff import SUBJECT_BY_REASON, category_for, severity_for
from ticketing.tickets.models import TicketCategory, TicketPriority
from ticketing.tickets.priority import Severity, raised, ticket_priority
from ticketing.tickets.schemas import HandoffReason

SLA_ACTOR = "sla"
WARN_AT = 0.8  # sla_watch warns once no more than 20% of a target remains


class TicketDesk:
    """Opens and plays out tickets; numbers them `T-<ticket_base + id>`."""

    def __init__(
        self,
        rng: random.Random,
        calendar: Calendar,
        staff: Staff,
        policy: Policy,
        tiers: Mapping[int, str],
        *,
        first_ticket: int = 1,
        ticket_base: int = 1_000_000,
    ) -> None:
        self.rng = rng
        self.calendar = calendar
        self.staff = staff
        self.sla: dict[str, SlaTarget] = {str(k): v for k, v in policy.sla.items()}
        self.tiers = tiers  # customer id -> tier
        self.next_ticket = first_ticket
        self.ticket_base = ticket_base
        self.priorities: dict[tuple[str, str, str], str] = {}

    def reply_minutes(self, priority: str) -> float | None:
        target = self.sla.get(priority)
        return None if target is None else float(target.first_response_minutes)

    def tier(self, customer_id: int | None) -> str:
        return self.tiers.get(customer_id, "standard") if customer_id else "standard"

    def handoff(self, story: Story, moment: float, reason: str, last_words: str) -> Ticket:
        """The ticket a handoff opens; the conversation's context becomes its summary."""
        intent, order = story.intent, story.order
        category = category_for(intent).value
        severity = severity_for(HandoffReason(reason)).value
        priority = self.priority(category, severity, self.tier(story.customer_id))
        summary: dict[str, Any] = {
            "intent": intent,
            "order_number": order.number if order else None,
            "slots": {},
            "last_messages": [],
        }
        subject = f"{SUBJECT_BY_REASON[HandoffReason(reason)]} ({intent})"
        lines = [
            f"{SUBJECT_BY_REASON[HandoffReason(reason)]} (reason: {reason}).",
            f"Topic: {intent}.",
        ]
        if order is not None:
            lines.append(f"Order: {order.number} (verified).")
        lines.append(f"Last message from the customer: {last_words}")
        ticket = self.open(
            story, moment, category, priority, "handoff", subject, "\n".join(lines), order, summary
        )
        story.context = json.dumps({**summary, "reason": reason})
        return ticket

    def open(
        self,
        story: Story,
        moment: float,
        category: str,
        priority: str,
        source: str,
        subject: str,
        description: str,
        order: OrderRef | None,
        context: dict[str, Any],
    ) -> Ticket:
        ticket = Ticket(
            ticket_id=self.next_ticket,
            number=f"T-{self.ticket_base + self.next_ticket}",
            category=category,
            priority=priority,
            source=source,
            subject=subject,
            description=description,
            customer_id=story.customer_id,
            order_id=order.order_id if order else None,
            conversation_id=story.conversation_id if source == "handoff" else None,
            channel=story.channel,
            context=json.dumps(context),
            created=moment,
        )
        self.next_ticket += 1
        facts = {"source": source, "category": category, "priority": priority}
        ticket.step(moment, "bot" if source == "handoff" else "sla", "created", facts, None)
        story.tickets.append(ticket)
        return ticket

    def priority(self, category: str, severity: str, tier: str) -> str:
        key = (category, severity, tier)
        if key not in self.priorities:
            self.priorities[key] = ticket_priority(
                TicketCategory(category), Severity(severity), CustomerTier(tier)
            ).value
        return self.priorities[key]

    def sla_steps(self, ticket: Ticket, created: float, reply: float | None, done: float) -> None:
        """Warnings and breaches the SLA watch would have recorded before the answer came."""
        target = self.sla.get(ticket.priority)
        if target is None:
            return
        goals = [("resolution", target.resolution_hours * 60, done)]
        if reply is not None:
            goals.insert(0, ("first_response", target.first_response_minutes, reply))
        raised_once = False
        for name, minutes, finished in goals:
            warn = self.calendar.business_deadline(created, minutes * WARN_AT)
            if finished <= warn:
                continue
            data = {"target": name, "target_minutes": minutes}
            ticket.step(warn + 30, SLA_ACTOR, "sla_warning", data, None)
            breach = self.calendar.business_deadline(created, minutes)
            if finished <= breach:
                continue
            ticket.step(breach + 30, SLA_ACTOR, "sla_breached", data, None)
            if not raised_once:
                higher = raised(TicketPriority(ticket.priority)).value
                ticket.step(
                    breach + 30,
                    SLA_ACTOR,
                    "priority_raised",
                    {"priority": [ticket.priority, higher]},
                    ("priority", higher),
                )
                lead = self.lead()
                ticket.step(
                    breach + 31,
                    SLA_ACTOR,
                    "assigned",
                    {"agent": lead[1], "how": "sla_escalation"},
                    ("lead", lead[0]),
                )
                raised_once = True

    def lead(self) -> tuple[int, str]:
        return self.staff.leads[int(self.rng.random() * len(self.staff.leads))]

    def follow_up(self, story: Story, moment: float, score: int, rated: Ticket | None) -> None:
        """`tickets.follow_up.open_for_low_rating`: a high-priority task for a team lead."""
        rng = self.rng
        category = rated.category if rated else "other"
        priority = self.priority(category, "high", self.tier(story.customer_id))
        context = {"follow_up_of": story.conversation_id, "score": score}
        subject = f"Follow up a low rating ({score}/5)"
        ticket = self.open(
            story,
            moment,
            category,
            priority,
            "agent",
            subject,
            f"{subject} of conversation {story.conversation_id}.",
            story.order if rated and rated.order_id else None,
            context,
        )
        lead = self.lead()
        ticket.step(
            moment, "sla", "assigned", {"agent": lead[1], "how": "low_rating"}, ("lead", lead[0])
        )
        done = self.calendar.next_staffed(moment + rng.lognormvariate(0, 1) * DAY)
        self.sla_steps(ticket, moment, None, done)
        ticket.step(
            done,
            f"staff:{lead[1]}",
            "status_changed",
            {"from": "open", "to": "resolved"},
            ("status", "resolved"),
        )

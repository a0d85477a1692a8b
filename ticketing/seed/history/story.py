"""One conversation and its tickets while they are played out: every step is kept with its
moment, and nothing later than the end of the data is kept."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ticketing.seed.history.orders import OrderRef

Row = tuple[object, ...]
# (moment, actor, kind, data as JSON, effect on the ticket's columns)
TicketStep = tuple[float, str, str, str, tuple[str, object] | None]
# (moment, kind, actor, staff id, data as JSON)
EventStep = tuple[float, str, str, int | None, str]
# (moment, sender, text, sender name, staff id)
MessageStep = tuple[float, str, str, str | None, int | None]


class Cutoff(Exception):
    """The next step would happen after the end of the data."""


@dataclass
class Ticket:
    """A ticket being played out: its steps are folded up to the end when it is written."""

    ticket_id: int
    number: str
    category: str
    priority: str
    source: str
    subject: str
    description: str
    customer_id: int | None
    order_id: int | None
    conversation_id: str | None
    channel: str
    context: str
    created: float
    steps: list[TicketStep] = field(default_factory=list)

    def step(
        self, moment: float, actor: str, kind: str, data: object, effect: tuple[str, object] | None
    ) -> None:
        self.steps.append((moment, actor, kind, json.dumps(data), effect))


@dataclass
class Story:
    """The conversation so far: its state is changed only by the steps that were written."""

    conversation_id: str
    external_id: str
    channel: str
    created: float
    end: float
    intent: str = ""
    contact_reason: str | None = None  # as the hub stores it (`conversations.contact_reason`)
    contact_reason_source: str | None = None
    order: OrderRef | None = None
    customer_id: int | None = None
    owner: str = "bot"
    csat_state: str = "none"
    assignee: int | None = None
    ticket: Ticket | None = None
    context: str = "{}"
    handed_off_at: float | None = None
    first_reply_at: float | None = None
    resolved_at: float | None = None
    updated_at: float = 0.0
    events: list[EventStep] = field(default_factory=list)
    messages: list[MessageStep] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    ratings: list[Row] = field(default_factory=list)
    nps_answers: list[Row] = field(default_factory=list)
    nps_asked_at: float | None = None

    def check(self, moment: float) -> None:
        if moment > self.end:
            raise Cutoff

    def event(
        self,
        moment: float,
        kind: str,
        actor: str,
        staff_id: int | None = None,
        data: str = "{}",
    ) -> None:
        """Record an event (raises Cutoff when `moment` is after the end)."""
        self.check(moment)
        self.events.append((moment, kind, actor, staff_id, data))
        self.updated_at = max(self.updated_at, moment)

    def say(
        self,
        moment: float,
        sender: str,
        text: str,
        name: str | None = None,
        staff_id: int | None = None,
    ) -> None:
        """A message, unless it comes after the end (the story goes on: it may be cut later)."""
        if moment <= self.end and text:
            self.messages.append((moment, sender, text, name, staff_id))

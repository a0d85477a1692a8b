"""A played-out conversation as table rows, the way the hub and lifecycle store them: the
conversation's columns are the fold of the events that were written, a ticket's columns the
fold of its steps up to the end of the data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ticketing.seed.history.story import Row, Story, Ticket

Stamp = Callable[[float], object]  # epoch seconds -> what the timestamp columns take
Table = tuple[str, tuple[str, ...], list[Row]]

CONVERSATION_COLUMNS = (
    "id", "channel", "external_id", "owner", "csat_state", "customer_id", "ticket_id",
    "assignee_id", "context", "created_at", "updated_at", "handed_off_at",
    "first_human_reply_at", "resolved_at", "last_message_at", "contact_reason",
    "contact_reason_source",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "id", "conversation_id", "direction", "sender", "sender_name", "staff_id", "text",
    "payload", "client_message_id", "reply_to_id", "created_at",
)  # fmt: skip
EVENT_COLUMNS = ("id", "conversation_id", "kind", "actor", "staff_id", "data", "at")
TICKET_COLUMNS = (
    "id", "number", "category", "priority", "status", "source", "subject", "description",
    "order_id", "customer_id", "conversation_id", "channel", "context", "assignee_id",
    "created_at", "updated_at",
)  # fmt: skip
TICKET_EVENT_COLUMNS = ("id", "ticket_id", "at", "actor", "kind", "data")
RATING_COLUMNS = (
    "id", "conversation_id", "score", "comment", "channel", "ticket_id", "customer_id",
    "category", "agent_id", "created_at", "updated_at",
)  # fmt: skip
NPS_COLUMNS = (
    "id", "conversation_id", "score", "customer_id", "channel", "external_id", "agent_id",
    "asked_at", "created_at",
)  # fmt: skip
# The columns holding JSON text (a writer that binds Python values parses them).
JSON_COLUMNS = frozenset({"context", "payload", "data"})


@dataclass
class Rows:
    """One batch of rows for the conversation side (ids of events are given at flush, in time
    order, so the heap is roughly in time order as in a live database)."""

    stamp: Stamp
    conversations: list[Row] = field(default_factory=list)
    messages: list[Row] = field(default_factory=list)
    events: list[tuple[float, str, str, str, int | None, str]] = field(default_factory=list)
    tickets: list[Row] = field(default_factory=list)
    ticket_events: list[Row] = field(default_factory=list)
    ratings: list[Row] = field(default_factory=list)
    nps_answers: list[Row] = field(default_factory=list)

    def tables(self, next_event_id: int, *, nps: bool) -> list[Table]:
        """Table, columns, rows; without the NPS table (older schema) its column and rows go."""
        self.events.sort(key=lambda event: event[0])
        stamp = self.stamp
        events: list[Row] = [
            (next_event_id + n, cid, kind, actor, staff, data, stamp(moment))
            for n, (moment, cid, kind, actor, staff, data) in enumerate(self.events)
        ]
        conversations: tuple[tuple[str, ...], list[Row]]
        if nps:
            conversations = ((*CONVERSATION_COLUMNS, "nps_asked_at"), self.conversations)
        else:
            conversations = (CONVERSATION_COLUMNS, [row[:-1] for row in self.conversations])
        tables: list[Table] = [
            ("conversations", *conversations),
            ("tickets", TICKET_COLUMNS, self.tickets),
            ("ticket_events", TICKET_EVENT_COLUMNS, self.ticket_events),
            ("messages", MESSAGE_COLUMNS, self.messages),
            ("conversation_events", EVENT_COLUMNS, events),
            ("csat_ratings", RATING_COLUMNS, self.ratings),
        ]
        if nps:
            tables.append(("nps_answers", NPS_COLUMNS, self.nps_answers))
        return tables


class RowWriter:
    """Turns finished stories into rows, numbering messages and ticket events."""

    def __init__(self, stamp: Stamp, *, first_message: int = 1, first_ticket_event: int = 1):
        self.stamp = stamp
        self.next_message = first_message
        self.next_ticket_event = first_ticket_event

    def _maybe(self, epoch: float | None) -> object:
        return None if epoch is None else self.stamp(epoch)

    def write(self, rows: Rows, story: Story) -> None:
        cid, stamp = story.conversation_id, self.stamp
        last_customer: int | None = None
        client = 0
        last_message = None
        story.messages.sort(key=lambda m: m[0])
        for moment, sender, text, name, staff_id in story.messages:
            message_id = self.next_message
            self.next_message += 1
            inbound = sender == "customer"
            if inbound:
                client += 1
                last_customer = message_id
            rows.messages.append(
                (
                    message_id,
                    cid,
                    "in" if inbound else "out",
                    sender,
                    name,
                    staff_id,
                    text,
                    "{}",
                    f"c{client}" if inbound else None,
                    last_customer if sender == "bot" else None,
                    stamp(moment),
                )
            )
            last_message = moment
        for moment, kind, actor, staff_id, data in story.events:
            rows.events.append((moment, cid, kind, actor, staff_id, data))
        for ticket in story.tickets:
            self._ticket(rows, ticket, story)
        rows.ratings.extend(story.ratings)
        rows.nps_answers.extend(story.nps_answers)
        rows.conversations.append(
            (
                cid,
                story.channel,
                story.external_id,
                story.owner,
                story.csat_state,
                story.customer_id,
                story.ticket.ticket_id if story.ticket else None,
                story.assignee,
                story.context,
                stamp(story.created),
                stamp(max(story.updated_at, last_message or story.created)),
                self._maybe(story.handed_off_at),
                self._maybe(story.first_reply_at),
                self._maybe(story.resolved_at),
                self._maybe(last_message),
                story.contact_reason,
                story.contact_reason_source,
                self._maybe(story.nps_asked_at),
            )
        )

    def _ticket(self, rows: Rows, ticket: Ticket, story: Story) -> None:
        status, priority, assignee, updated = "new", ticket.priority, None, ticket.created
        for moment, actor, kind, data, effect in sorted(ticket.steps, key=lambda s: s[0]):
            if moment > story.end:
                continue
            rows.ticket_events.append(
                (self.next_ticket_event, ticket.ticket_id, self.stamp(moment), actor, kind, data)
            )
            self.next_ticket_event += 1
            updated = moment
            if effect is None:
                continue
            what, value = effect
            if what == "assign":
                assignee = value
                status = "open" if status == "new" else status
            elif what == "lead":
                assignee = value
            elif what == "priority":
                priority = str(value)
            elif what == "status":
                status = str(value)
        rows.tickets.append(
            (
                ticket.ticket_id,
                ticket.number,
                ticket.category,
                priority,
                status,
                ticket.source,
                ticket.subject,
                ticket.description,
                ticket.order_id,
                ticket.customer_id or story.customer_id,
                ticket.conversation_id,
                ticket.channel,
                ticket.context,
                assignee,
                self.stamp(ticket.created),
                self.stamp(updated),
            )
        )

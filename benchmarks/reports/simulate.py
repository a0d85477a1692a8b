"""One conversation's life, played out the way the hub and lifecycle record it, as rows.

Every conversation starts with the bot. About 68% end with `bot_resolved` (plus
`csat_requested`), 30% are handed to a person (`bot_handoff` + a handoff ticket), 2% are
abandoned. A person's stay: `agent_assigned` when someone is at work, `first_human_reply`,
then `resolved` (or, rarely, `handed_back`), then `csat_requested`; about 7% are reopened by the
customer and either solved by the bot or handed off again (a new ticket). About 40% of surveys
get a rating (`csat_submitted` + `csat_ratings`); a rating of 1-2 opens a follow-up ticket for a
team lead, as `tickets.follow_up` does. Tickets get `sla_warning` / `sla_breached` (with a
priority raise and a team lead) when the business-hours targets of `policy.yml` pass.

Nothing after the generator's end moment is written: a conversation whose next step lies in the
future stays where it is (with the bot, waiting for a person, ...), which is what fills the
backlog. The conversation's columns are the fold of the events that were written.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

from benchmarks.reports import world
from benchmarks.reports.shop import OrderIndex, at
from benchmarks.reports.world import DAY, HOUR, MINUTE, Agent, Calendar, Picker, Staff
from ticketing.customers.models import CustomerTier
from ticketing.policy.schemas import Policy
from ticketing.tickets.handoff import SUBJECT_BY_REASON, category_for, severity_for
from ticketing.tickets.models import TicketCategory, TicketPriority
from ticketing.tickets.priority import Severity, raised, ticket_priority
from ticketing.tickets.schemas import HandoffReason

CONVERSATION_COLUMNS = (
    "id", "channel", "external_id", "owner", "csat_state", "customer_id", "ticket_id",
    "assignee_id", "context", "created_at", "updated_at", "handed_off_at",
    "first_human_reply_at", "resolved_at", "last_message_at",
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

P_HANDOFF, P_BOT_RESOLVED = 0.30, 0.68  # the rest is abandoned
P_REOPEN, P_HANDED_BACK, P_RATED = 0.07, 0.04, 0.40
P_VERIFIED_BOT, P_VERIFIED_HUMAN = 0.35, 0.75
P_NPS_ANSWERED, NPS_COOLDOWN = 0.45, 90 * DAY  # policy.yml: nps.cooldown_days
SLA_ACTOR = "sla"
WARN_AT = 0.8  # sla_watch warns once no more than 20% of a target remains

CHANNEL = Picker(world.CHANNELS, world.CHANNEL_WEIGHTS)
INTENT = Picker(world.INTENTS, world.INTENT_WEIGHTS)
REASON = Picker(world.REASONS, world.REASON_WEIGHTS)
Row = tuple[object, ...]


@dataclass
class Rows:
    """One batch of rows for the conversation side (ids of events are given at flush, in time
    order, so the heap is roughly in time order as in a live database)."""

    conversations: list[Row] = field(default_factory=list)
    messages: list[Row] = field(default_factory=list)
    events: list[tuple[float, str, str, str, int | None, str]] = field(default_factory=list)
    tickets: list[Row] = field(default_factory=list)
    ticket_events: list[Row] = field(default_factory=list)
    ratings: list[Row] = field(default_factory=list)
    nps_answers: list[Row] = field(default_factory=list)

    def tables(
        self, next_event_id: int, *, nps: bool
    ) -> list[tuple[str, tuple[str, ...], list[Row]]]:
        """Table, columns, rows; without the NPS table (older schema) its column and rows go."""
        self.events.sort(key=lambda event: event[0])
        events: list[Row] = [
            (next_event_id + n, cid, kind, actor, staff, data, at(moment))
            for n, (moment, cid, kind, actor, staff, data) in enumerate(self.events)
        ]
        conversations: tuple[tuple[str, ...], list[Row]]
        if nps:
            conversations = ((*CONVERSATION_COLUMNS, "nps_asked_at"), self.conversations)
        else:
            conversations = (CONVERSATION_COLUMNS, [row[:-1] for row in self.conversations])
        tables = [
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


@dataclass
class Ticket:
    """A ticket being played out: its steps are kept with their effect and folded up to the
    end moment when the conversation is written."""

    ticket_id: int
    category: str
    priority: str
    source: str
    subject: str
    customer_id: int | None
    order_id: int | None
    conversation_id: str | None
    channel: str
    context: str
    created: float
    steps: list[tuple[float, str, str, str, tuple[str, object] | None]] = field(
        default_factory=list
    )

    def step(
        self, moment: float, actor: str, kind: str, data: object, effect: tuple[str, object] | None
    ) -> None:
        self.steps.append((moment, actor, kind, json.dumps(data), effect))


@dataclass
class Story:
    """The conversation so far: its state is changed only by the steps that were written."""

    conversation_id: str
    channel: str
    created: float
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
    events: list[tuple[float, str, str, int | None, str]] = field(default_factory=list)
    messages: list[tuple[float, str, str, str | None, int | None, str]] = field(
        default_factory=list
    )
    tickets: list[Ticket] = field(default_factory=list)
    ratings: list[Row] = field(default_factory=list)
    nps_answers: list[Row] = field(default_factory=list)
    nps_asked_at: float | None = None


class Cutoff(Exception):
    """The next step would happen after the generator's end moment."""


class Simulator:
    def __init__(
        self,
        rng: random.Random,
        calendar: Calendar,
        staff: Staff,
        policy: Policy,
        orders: OrderIndex,
        customer_tiers: list[str],
        *,
        nps: bool,
    ) -> None:
        self.rng = rng
        self.calendar = calendar
        self.staff = staff
        self.end = calendar.end
        self.sla = dict(policy.sla)
        self.orders = orders
        self.tiers = customer_tiers  # index = customer id - 1
        self.next_message = self.next_ticket = self.next_ticket_event = self.next_rating = 1
        self.priorities: dict[tuple[str, str, str], str] = {}
        self.nps = nps
        self.next_nps = 1
        self.nps_asked: dict[int, float] = {}  # customer id -> last asked (the cooldown)

    # -- the conversation ------------------------------------------------------------------

    def conversation(self, rows: Rows, seq: int, created: float) -> None:
        rng = self.rng
        channel = CHANNEL(rng)
        story = Story(f"{channel}-{seq:08d}", channel, created, updated_at=created)
        if rng.random() < P_VERIFIED_BOT:
            story.customer_id = 1 + int(rng.random() * len(self.tiers))
        fate = rng.random()
        try:
            self._event(story, created, "created", channel)
            if fate < P_HANDOFF:
                self._human_path(story, self._bot_talk(story, created, rng.randint(1, 3)))
            elif fate < P_HANDOFF + P_BOT_RESOLVED:
                moment = self._bot_talk(story, created, rng.randint(3, 5))
                self._bot_resolve(story, moment + rng.uniform(5, 60))
            else:
                self._bot_talk(story, created, rng.randint(2, 4))
        except Cutoff:
            pass
        self._write(rows, story, seq)

    def _human_path(self, story: Story, moment: float) -> None:
        rng = self.rng
        for stay in range(3):
            ending, moment = self._stay(story, moment + rng.uniform(20, 240))
            if ending == "handed_back":
                if rng.random() < 0.6:
                    self._bot_resolve(story, moment + rng.uniform(60, 600))
                return
            if stay < 2 and rng.random() < P_REOPEN:
                moment = moment + rng.lognormvariate(0, 1.2) * DAY
                self._reopen(story, moment)
                if rng.random() < 0.5:
                    self._bot_resolve(story, moment + rng.uniform(60, 400))
                    return
                continue
            if rng.random() < P_RATED:
                self._rate(story, moment + rng.lognormvariate(0, 1.0) * 15 * MINUTE, human=True)
            return

    # -- steps -------------------------------------------------------------------------

    def _check(self, moment: float) -> None:
        if moment > self.end:
            raise Cutoff

    def _event(
        self,
        story: Story,
        moment: float,
        kind: str,
        actor: str,
        staff_id: int | None = None,
        data: str = "{}",
    ) -> None:
        self._check(moment)
        story.events.append((moment, kind, actor, staff_id, data))
        story.updated_at = max(story.updated_at, moment)

    def _say(
        self,
        story: Story,
        moment: float,
        sender: str,
        text: str,
        agent: Agent | None = None,
    ) -> None:
        if moment <= self.end:
            name = agent.display_name if agent else ("Supportbot" if sender == "bot" else None)
            staff_id = agent.staff_id if agent else None
            story.messages.append((moment, sender, text, name, staff_id, ""))

    def _bot_talk(self, story: Story, moment: float, turns: int) -> float:
        """`turns` customer messages, each answered by the bot; the time of the last answer."""
        rng = self.rng
        for _ in range(turns):
            self._say(story, moment, "customer", rng.choice(world.CUSTOMER_TEXTS))
            moment += rng.uniform(1, 4)
            self._say(story, moment, "bot", rng.choice(world.BOT_TEXTS))
            moment += rng.uniform(15, 90)
        return moment

    def _bot_resolve(self, story: Story, moment: float) -> None:
        seconds = int(moment - story.created)
        self._event(story, moment, "bot_resolved", "bot", data=f'{{"seconds": {seconds}}}')
        self._event(story, moment, "csat_requested", "bot")
        story.resolved_at = moment
        if self.rng.random() < P_RATED:  # through the feedback API: the owner stays the bot
            self._rate(story, moment + self.rng.lognormvariate(0, 1.0) * 5 * MINUTE, human=False)

    def _reopen(self, story: Story, moment: float) -> None:
        self._say(story, moment, "customer", "it still has not arrived")
        self._event(story, moment, "reopened", "customer")
        self._say(story, moment + 2, "bot", "Sorry to hear that, let me check again.")
        story.owner, story.csat_state, story.assignee = "bot", "none", None

    def _stay(self, story: Story, handoff: float) -> tuple[str, float]:
        """Handoff to a person until they resolve it or hand it back: (ending, when)."""
        rng = self.rng
        self._check(handoff)
        ticket, reason = self._handoff_ticket(story, handoff)
        data = json.dumps({"reason": reason, "ticket": _number(ticket)})
        self._event(story, handoff, "bot_handoff", "bot", data=data)
        self._say(story, handoff, "bot", world.HANDOFF_TEXT)
        story.owner, story.assignee, story.csat_state = "human", None, "none"
        story.handed_off_at, story.first_reply_at, story.context = handoff, None, ticket.context
        story.ticket = ticket
        calendar = self.calendar
        assigned = calendar.next_staffed(handoff) + rng.expovariate(1 / 90)
        agent = world.working_agent(rng, self.staff.agents, assigned)
        reply = assigned + rng.lognormvariate(0, 0.9) * 100 * agent.reply_factor
        if not calendar.staffed(handoff) and rng.random() < 0.25:  # someone on call answers
            assigned, reply = handoff + rng.uniform(5, 40) * MINUTE, handoff + 45 * MINUTE
        slow = rng.random() < 0.25  # waits on the customer, the carrier or the warehouse
        work = rng.lognormvariate(0, 1.0) * (20 * HOUR if slow else 20 * MINUTE)
        finished = reply + work * agent.resolve_factor
        if slow:
            finished = calendar.next_staffed(finished)
        self._sla(ticket, handoff, reply, finished)
        ticket.step(
            assigned,
            "assignment",
            "assigned",
            {"agent": agent.username},
            ("assign", agent.staff_id),
        )
        self._event(
            story,
            assigned,
            "agent_assigned",
            "assignment",
            agent.staff_id,
            json.dumps({"agent": agent.username, "how": "auto", "previous_staff_id": None}),
        )
        story.assignee = agent.staff_id
        actor = f"staff:{agent.username}"
        self._say(story, reply, "agent", rng.choice(world.AGENT_TEXTS), agent)
        self._event(
            story,
            reply,
            "first_human_reply",
            actor,
            agent.staff_id,
            f'{{"seconds": {int(reply - handoff)}}}',
        )
        story.first_reply_at = reply
        turns = rng.randint(1, 4)
        for turn in range(1, turns + 1):
            moment = reply + (finished - reply) * turn / (turns + 1)
            self._say(story, moment, "customer", rng.choice(world.CUSTOMER_TEXTS))
            self._say(story, moment + 30, "agent", rng.choice(world.AGENT_TEXTS), agent)
        self._say(story, finished, "agent", "Is there anything else I can do for you?", agent)
        ending = "handed_back" if rng.random() < P_HANDED_BACK else "resolved"
        ticket.step(finished, actor, ending, {}, ("status", "resolved"))
        self._check(finished)
        if ending == "handed_back":
            self._event(story, finished, "handed_back", actor, agent.staff_id)
            story.owner, story.assignee = "bot", None
            return ending, finished
        seconds = int(finished - story.created)
        self._event(story, finished, "resolved", actor, agent.staff_id, f'{{"seconds": {seconds}}}')
        self._event(story, finished, "csat_requested", actor, agent.staff_id)
        story.owner, story.csat_state, story.resolved_at = "resolved", "asked", finished
        return ending, finished

    def _handoff_ticket(self, story: Story, handoff: float) -> tuple[Ticket, str]:
        rng = self.rng
        intent = INTENT(rng)
        reason = REASON(rng)
        order = None
        if intent in world.ORDER_INTENTS and rng.random() < 0.8:
            order = self.orders.recent(rng, handoff, 40)
        if order is not None:
            story.customer_id = order[1]
        elif story.customer_id is None and rng.random() < P_VERIFIED_HUMAN:
            story.customer_id = 1 + int(rng.random() * len(self.tiers))
        category = category_for(intent).value
        tier = self.tiers[story.customer_id - 1] if story.customer_id else "standard"
        priority = self._priority(category, severity_for(HandoffReason(reason)).value, tier)
        summary = {
            "intent": intent,
            "order_number": str(100000 + order[0]) if order else None,
            "slots": {},
            "last_messages": [],
        }
        subject = f"{SUBJECT_BY_REASON[HandoffReason(reason)]} ({intent})"
        ticket = self._ticket(
            story, handoff, category, priority, "handoff", subject, order, summary
        )
        story.context = json.dumps({**summary, "reason": reason})
        return ticket, reason

    def _ticket(
        self,
        story: Story,
        moment: float,
        category: str,
        priority: str,
        source: str,
        subject: str,
        order: tuple[int, int] | None,
        context: dict[str, object],
    ) -> Ticket:
        ticket = Ticket(
            ticket_id=self.next_ticket,
            category=category,
            priority=priority,
            source=source,
            subject=subject,
            customer_id=story.customer_id,
            order_id=order[0] if order else None,
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

    def _priority(self, category: str, severity: str, tier: str) -> str:
        key = (category, severity, tier)
        if key not in self.priorities:
            self.priorities[key] = ticket_priority(
                TicketCategory(category), Severity(severity), CustomerTier(tier)
            ).value
        return self.priorities[key]

    def _sla(self, ticket: Ticket, created: float, reply: float | None, finished: float) -> None:
        """Warnings and breaches the SLA watch would have recorded before the answer came."""
        target = self.sla.get(ticket.priority)
        if target is None:
            return
        goals = [("resolution", target.resolution_hours * 60, finished)]
        if reply is not None:
            goals.insert(0, ("first_response", target.first_response_minutes, reply))
        raised_once = False
        for name, minutes, done in goals:
            warn = self.calendar.business_deadline(created, minutes * WARN_AT)
            if done <= warn:
                continue
            data = {"target": name, "target_minutes": minutes}
            ticket.step(warn + 30, SLA_ACTOR, "sla_warning", data, None)
            breach = self.calendar.business_deadline(created, minutes)
            if done <= breach:
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
                lead = self.staff.leads[int(self.rng.random() * len(self.staff.leads))]
                ticket.step(
                    breach + 31,
                    SLA_ACTOR,
                    "assigned",
                    {"agent": lead[1], "how": "sla_escalation"},
                    ("lead", lead[0]),
                )
                raised_once = True

    def _rate(self, story: Story, moment: float, *, human: bool) -> None:
        rng = self.rng
        self._check(moment)
        ticket = story.ticket if human else None
        agent_id = story.assignee if human else None
        tilt = 0.0
        if human and story.handed_off_at and story.first_reply_at:
            wait = story.first_reply_at - story.handed_off_at
            tilt -= 0.6 if wait > HOUR else 0.0
            tilt += self.staff.agents[agent_id - 1].mood if agent_id else 0.0
        score = min(5, max(1, round(rng.gauss(3.9 + tilt, 1.2))))
        comment = rng.choice(world.COMMENTS) if rng.random() < 0.2 else None
        if human:
            self._say(story, moment, "customer", str(score))
            story.owner, story.csat_state = "closed", "done"
        data = json.dumps({"score": score, "updated": False, "comment": comment is not None})
        self._event(story, moment, "csat_submitted", f"customer:{story.conversation_id}", data=data)
        rating_id = self.next_rating
        self.next_rating += 1
        story.ratings.append(
            (
                rating_id,
                story.conversation_id,
                score,
                comment,
                story.channel,
                ticket.ticket_id if ticket else None,
                story.customer_id,
                ticket.category if ticket else None,
                agent_id,
                at(moment),
                at(moment),
            )
        )
        if score <= 2:
            self._follow_up(story, moment, score, ticket)
        if self.nps:
            self._ask_nps(story, moment + rng.uniform(2, 10), score, agent_id)

    def _ask_nps(self, story: Story, moment: float, csat: int, agent_id: int | None) -> None:
        """`conversations.nps_survey`: asked once the rating is in, at most once per customer
        per cooldown; an unanswered question keeps waiting (`nps_asked_at`)."""
        rng = self.rng
        customer = story.customer_id
        if customer is not None:
            if moment - self.nps_asked.get(customer, -NPS_COOLDOWN) < NPS_COOLDOWN:
                return
            self.nps_asked[customer] = moment
        self._event(
            story, moment, "nps_requested", "bot", data=json.dumps({"customer_id": customer})
        )
        story.nps_asked_at = moment
        if rng.random() >= P_NPS_ANSWERED:
            return
        answered = moment + rng.uniform(10, 300)
        score = min(10, max(0, round(rng.gauss(1.2 + 1.6 * csat, 1.6))))
        self._event(
            story,
            answered,
            "nps_submitted",
            f"customer:{story.conversation_id}",
            data=f'{{"score": {score}}}',
        )
        story.nps_asked_at = None
        nps_id = self.next_nps
        self.next_nps += 1
        story.nps_answers.append(
            (
                nps_id,
                story.conversation_id,
                score,
                customer,
                story.channel,
                story.conversation_id.split("-", 1)[1],
                agent_id,
                at(moment),
                at(answered),
            )
        )

    def _follow_up(self, story: Story, moment: float, score: int, rated: Ticket | None) -> None:
        """`tickets.follow_up.open_for_low_rating`: a high-priority task for a team lead."""
        rng = self.rng
        category = rated.category if rated else "other"
        tier = self.tiers[story.customer_id - 1] if story.customer_id else "standard"
        priority = self._priority(category, "high", tier)
        context = {"follow_up_of": story.conversation_id, "score": score}
        order = (rated.order_id, 0) if rated and rated.order_id else None
        ticket = self._ticket(
            story,
            moment,
            category,
            priority,
            "agent",
            f"Follow up a low rating ({score}/5)",
            order,
            context,
        )
        lead = self.staff.leads[int(rng.random() * len(self.staff.leads))]
        ticket.step(
            moment, "sla", "assigned", {"agent": lead[1], "how": "low_rating"}, ("lead", lead[0])
        )
        done = self.calendar.next_staffed(moment + rng.lognormvariate(0, 1) * DAY)
        self._sla(ticket, moment, None, done)
        ticket.step(
            done,
            f"staff:{lead[1]}",
            "status_changed",
            {"from": "open", "to": "resolved"},
            ("status", "resolved"),
        )

    # -- rows ----------------------------------------------------------------------------

    def _write(self, rows: Rows, story: Story, seq: int) -> None:
        cid = story.conversation_id
        last_customer: int | None = None
        client = 0
        last_message = None
        story.messages.sort(key=lambda m: m[0])
        for moment, sender, text, name, staff_id, _ in story.messages:
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
                    at(moment),
                )
            )
            last_message = moment
        for moment, kind, actor, staff_id, data in story.events:
            rows.events.append((moment, cid, kind, actor, staff_id, data))
        for ticket in story.tickets:
            self._write_ticket(rows, ticket, story)
        rows.ratings.extend(story.ratings)
        rows.nps_answers.extend(story.nps_answers)
        rows.conversations.append(
            (
                cid,
                story.channel,
                f"{seq:08d}",
                story.owner,
                story.csat_state,
                story.customer_id,
                story.ticket.ticket_id if story.ticket else None,
                story.assignee,
                story.context,
                at(story.created),
                at(max(story.updated_at, last_message or story.created)),
                _maybe(story.handed_off_at),
                _maybe(story.first_reply_at),
                _maybe(story.resolved_at),
                _maybe(last_message),
                _maybe(story.nps_asked_at),
            )
        )

    def _write_ticket(self, rows: Rows, ticket: Ticket, story: Story) -> None:
        status, priority, assignee, updated = "new", ticket.priority, None, ticket.created
        for moment, actor, kind, data, effect in sorted(ticket.steps, key=lambda s: s[0]):
            if moment > self.end:
                continue
            rows.ticket_events.append(
                (self.next_ticket_event, ticket.ticket_id, at(moment), actor, kind, data)
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
                _number(ticket),
                ticket.category,
                priority,
                status,
                ticket.source,
                ticket.subject,
                f"{ticket.subject} (benchmark data)",
                ticket.order_id,
                ticket.customer_id or story.customer_id,
                ticket.conversation_id,
                ticket.channel,
                ticket.context,
                assignee,
                at(ticket.created),
                at(updated),
            )
        )


def _number(ticket: Ticket) -> str:
    return f"T-{1000000 + ticket.ticket_id}"


def _maybe(epoch: float | None) -> object:
    return None if epoch is None else at(epoch)

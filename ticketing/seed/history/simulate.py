"""One conversation's life, played out the way the hub and lifecycle record it.

Every conversation starts with the bot. About 68% end with `bot_resolved` (plus
`csat_requested`), 30% are handed to a person (`bot_handoff` + a handoff ticket), 2% are
abandoned. A person's stay: `agent_assigned` when someone is at work, `first_human_reply`,
then `resolved` (or, rarely, `handed_back`), then `csat_requested`; about 7% are reopened by the
customer and either solved by the bot or handed off again (a new ticket). Surveys, ratings and
NPS answers are `surveys.py`'s; tickets and their SLA steps `desk.py`'s.

Nothing after the end of the data is written: a conversation whose next step lies in the
future stays where it is (with the bot, waiting for a person, with an agent), which is what
fills the queue and the backlog.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence

from ticketing.conversations import contact_reason
from ticketing.conversations.hub_core import CSAT_QUESTION, HANDED_BACK
from ticketing.policy.schemas import Policy
from ticketing.seed.history import replies, transcripts, world
from ticketing.seed.history.calendar import Calendar
from ticketing.seed.history.desk import TicketDesk
from ticketing.seed.history.orders import OrderIndex
from ticketing.seed.history.rows import Rows, RowWriter, Stamp
from ticketing.seed.history.story import Cutoff, Story
from ticketing.seed.history.surveys import Surveys
from ticketing.seed.history.world import DAY, HOUR, MINUTE, Staff
from ticketing.training.inbox import MISS_EVENT

P_HANDOFF, P_BOT_RESOLVED = 0.30, 0.68  # the rest is abandoned
P_ORDER = 0.8  # a question about an order names one
P_REOPEN, P_HANDED_BACK, P_RATED = 0.07, 0.04, 0.40
P_VERIFIED_BOT, P_VERIFIED_HUMAN = 0.35, 0.75


class Simulator:
    """Plays out conversations started at given moments and adds their rows to a batch.
    `customers` maps the customer ids conversations may belong to onto their tier."""

    def __init__(
        self,
        rng: random.Random,
        calendar: Calendar,
        staff: Staff,
        policy: Policy,
        orders: OrderIndex,
        customers: Mapping[int, str],
        *,
        nps: bool,
        stamp: Stamp,
        first_ids: Mapping[str, int] | None = None,
        ticket_base: int = 1_000_000,
    ) -> None:
        ids = dict(first_ids or {})
        self.rng = rng
        self.calendar = calendar
        self.staff = staff
        self.end = calendar.end
        self.orders = orders
        self.customer_ids: Sequence[int] = list(customers)
        self.desk = TicketDesk(
            rng,
            calendar,
            staff,
            policy,
            customers,
            first_ticket=ids.get("tickets", 1),
            ticket_base=ticket_base,
        )
        self.surveys = Surveys(
            rng,
            staff,
            self.desk,
            stamp,
            nps=nps,
            nps_question=policy.nps_question(),
            cooldown_days=policy.nps.cooldown_days,
            first_rating=ids.get("csat_ratings", 1),
            first_nps=ids.get("nps_answers", 1),
        )
        self.writer = RowWriter(
            stamp,
            first_message=ids.get("messages", 1),
            first_ticket_event=ids.get("ticket_events", 1),
        )

    def _day(self, moment: float) -> str:
        return f"{self.calendar.local(moment):%a %d %b}"

    def _any_customer(self) -> int:
        return self.customer_ids[int(self.rng.random() * len(self.customer_ids))]

    def conversation(self, rows: Rows, seq: int, created: float) -> None:
        """Play out conversation number `seq`, started at `created` (not after the end)."""
        rng = self.rng
        channel = world.CHANNEL(rng)
        external = f"{seq:08d}"
        story = Story(f"{channel}-{external}", external, channel, created, self.end)
        story.updated_at = created
        story.intent = world.INTENT(rng)
        # every transcript opens with the request, which the bot recognises in its first turn
        story.contact_reason = contact_reason.as_reason(story.intent)
        story.contact_reason_source = contact_reason.Source.BOT.value
        if story.intent in world.ORDER_INTENTS and rng.random() < P_ORDER:
            days = world.ORDER_AGE_DAYS[story.intent]
            story.order = self.orders.recent(rng, created, days, story.intent)
        if rng.random() < P_VERIFIED_BOT:
            story.customer_id = story.order.customer_id if story.order else self._any_customer()
        fate = rng.random()
        try:
            story.event(created, "created", channel)
            if fate < P_HANDOFF:
                reason = world.REASON(rng)
                moment, last = self._bot_talk(story, created, reason)
                self._human_path(story, moment, reason, last)
            elif fate < P_HANDOFF + P_BOT_RESOLVED:
                moment, _ = self._bot_talk(story, created, "resolved")
                self._bot_resolve(story, moment + rng.uniform(5, 60))
            else:
                self._bot_talk(story, created, "abandoned")
        except Cutoff:
            pass
        self.writer.write(rows, story)

    def _bot_talk(self, story: Story, moment: float, ending: str) -> tuple[float, str]:
        """The talk with the bot: the time of its last answer and the customer's last words."""
        rng = self.rng
        turns = transcripts.bot_turns(
            rng, story.intent, story.order, moment, self._day, ending=ending
        )
        last = ""
        for number, (customer, bot) in enumerate(turns):
            if number:
                moment += rng.uniform(15, 90)
            story.say(moment, "customer", customer)
            last = customer
            moment += rng.uniform(1, 4)
            story.say(moment, "bot", bot)
            if bot in transcripts.MISUNDERSTOOD:
                story.event(moment, MISS_EVENT, "bot", data='{"reason": "fallback"}')
        return moment, last

    def _human_path(self, story: Story, moment: float, reason: str, last: str) -> None:
        rng = self.rng
        pause = rng.uniform(0.5, 2)
        for stay in range(3):
            ending, moment = self._stay(story, moment + pause, reason, last)
            if ending == "handed_back":
                if rng.random() < 0.6:
                    self._bot_resolve(story, moment + rng.uniform(60, 600))
                return
            if stay < 2 and rng.random() < P_REOPEN:
                moment = moment + rng.lognormvariate(0, 1.2) * DAY
                last = self._reopen(story, moment)
                if rng.random() < 0.5:
                    self._bot_resolve(story, moment + rng.uniform(60, 400))
                    return
                reason, pause = "requested", rng.uniform(20, 240)
                continue
            if rng.random() < P_RATED:
                self.surveys.rate(
                    story, moment + rng.lognormvariate(0, 1.0) * 15 * MINUTE, human=True
                )
            return

    def _bot_resolve(self, story: Story, moment: float) -> None:
        seconds = int(moment - story.created)
        story.event(moment, "bot_resolved", "bot", data=f'{{"seconds": {seconds}}}')
        story.event(moment, "csat_requested", "bot")
        story.resolved_at = moment
        if self.rng.random() < P_RATED:
            rated = moment + self.rng.lognormvariate(0, 1.0) * 5 * MINUTE
            story.say(rated - 1, "bot", transcripts.RATING_QUESTION)
            self.surveys.rate(story, rated, human=False)

    def _reopen(self, story: Story, moment: float) -> str:
        text = replies.reopen_text(story.intent)
        story.say(moment, "customer", text)
        story.event(moment, "reopened", "customer")
        story.say(moment + 2, "bot", "Sorry to hear that, let me check again.")
        story.owner, story.csat_state, story.assignee = "bot", "none", None
        return text

    def _stay(self, story: Story, handoff: float, reason: str, last: str) -> tuple[str, float]:
        """Handoff to a person until they resolve it or hand it back: (ending, when)."""
        rng, calendar = self.rng, self.calendar
        story.check(handoff)
        if story.order is not None:
            story.customer_id = story.order.customer_id
        elif story.customer_id is None and rng.random() < P_VERIFIED_HUMAN:
            story.customer_id = self._any_customer()
        ticket = self.desk.handoff(story, handoff, reason, last)
        data = json.dumps({"reason": reason, "ticket": ticket.number})
        story.event(handoff, "bot_handoff", "bot", data=data)
        reply_minutes = self.desk.reply_minutes(ticket.priority)
        story.say(handoff, "bot", transcripts.handoff_message(ticket.number, reply_minutes))
        story.owner, story.assignee, story.csat_state = "human", None, "none"
        story.handed_off_at, story.first_reply_at = handoff, None
        story.ticket = ticket
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
        self.desk.sla_steps(ticket, handoff, reply, finished)
        ticket.step(
            assigned,
            "assignment",
            "assigned",
            {"agent": agent.username},
            ("assign", agent.staff_id),
        )
        how = json.dumps({"agent": agent.username, "how": "auto", "previous_staff_id": None})
        story.event(assigned, "agent_assigned", "assignment", agent.staff_id, how)
        story.assignee = agent.staff_id
        actor = f"staff:{agent.username}"
        name, staff_id = agent.display_name, agent.staff_id
        story.say(reply, "agent", replies.agent_greeting(rng, name, story.order), name, staff_id)
        story.event(
            reply, "first_human_reply", actor, staff_id, f'{{"seconds": {int(reply - handoff)}}}'
        )
        story.first_reply_at = reply
        exchanges = replies.agent_turns(rng, story.intent, rng.randint(1, 3))
        gap = (finished - reply) / (len(exchanges) + 1)
        for turn, (customer, answer) in enumerate(exchanges, start=1):
            moment = reply + gap * turn
            story.say(moment, "customer", customer)
            story.say(moment + gap * rng.uniform(0.1, 0.5), "agent", answer, name, staff_id)
        story.say(finished - 1, "agent", replies.ANYTHING_MORE, name, staff_id)
        ending = "handed_back" if rng.random() < P_HANDED_BACK else "resolved"
        ticket.step(finished, actor, ending, {}, ("status", "resolved"))
        story.check(finished)
        if ending == "handed_back":
            story.event(finished, "handed_back", actor, staff_id)
            story.say(finished + 1, "bot", HANDED_BACK)
            story.owner, story.assignee = "bot", None
            return ending, finished
        seconds = int(finished - story.created)
        story.event(finished, "resolved", actor, staff_id, f'{{"seconds": {seconds}}}')
        story.event(finished, "csat_requested", actor, staff_id)
        story.say(finished + 1, "bot", CSAT_QUESTION)
        story.owner, story.csat_state, story.resolved_at = "resolved", "asked", finished
        return ending, finished

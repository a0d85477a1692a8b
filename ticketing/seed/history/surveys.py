"""Ratings and NPS answers: about 40% of surveys get a CSAT rating (a low one opens a
follow-up for a team lead), then `conversations.nps_survey` asks the NPS question at most
once per customer per cooldown; 45% answer it."""

from __future__ import annotations

import json
import random

from ticketing.conversations.hub_core import CSAT_THANKS, CSAT_THANKS_BEFORE_NPS, NPS_THANKS
from ticketing.seed.history import replies
from ticketing.seed.history.desk import TicketDesk
from ticketing.seed.history.rows import Stamp
from ticketing.seed.history.story import Story
from ticketing.seed.history.world import DAY, HOUR, Staff

P_COMMENT = 0.2
P_NPS_ANSWERED = 0.45


class Surveys:
    def __init__(
        self,
        rng: random.Random,
        staff: Staff,
        desk: TicketDesk,
        stamp: Stamp,
        *,
        nps: bool,
        nps_question: str = "",
        cooldown_days: float = 90,
        first_rating: int = 1,
        first_nps: int = 1,
    ) -> None:
        self.rng = rng
        self.staff = staff
        self.desk = desk
        self.stamp = stamp
        self.nps = nps
        self.nps_question = nps_question
        self.cooldown = cooldown_days * DAY
        self.next_rating = first_rating
        self.next_nps = first_nps
        self.nps_asked: dict[int, float] = {}  # customer id -> last asked (the cooldown)

    def rate(self, story: Story, moment: float, *, human: bool) -> None:
        """The customer rates the conversation (in the chat after a person, else through the
        feedback API: the owner stays the bot)."""
        rng = self.rng
        story.check(moment)
        ticket = story.ticket if human else None
        agent_id = story.assignee if human else None
        tilt = 0.0
        if human and story.handed_off_at and story.first_reply_at:
            wait = story.first_reply_at - story.handed_off_at
            tilt -= 0.6 if wait > HOUR else 0.0
            tilt += self.staff.mood(agent_id) if agent_id else 0.0
        score = min(5, max(1, round(rng.gauss(3.9 + tilt, 1.2))))
        comment = replies.comment(rng, score) if rng.random() < P_COMMENT else None
        if human:
            story.say(moment, "customer", str(score))
            if comment is not None:
                story.say(moment + 20, "customer", comment)
            thanks = CSAT_THANKS_BEFORE_NPS if self.nps else CSAT_THANKS
            story.say(moment + 21, "bot", thanks)
            story.owner, story.csat_state = "closed", "done"
        data = json.dumps({"score": score, "updated": False, "comment": comment is not None})
        story.event(moment, "csat_submitted", f"customer:{story.conversation_id}", data=data)
        at = self.stamp(moment)
        story.ratings.append(
            (
                self.next_rating,
                story.conversation_id,
                score,
                comment,
                story.channel,
                ticket.ticket_id if ticket else None,
                story.customer_id,
                ticket.category if ticket else None,
                agent_id,
                at,
                at,
            )
        )
        self.next_rating += 1
        if score <= 2:
            self.desk.follow_up(story, moment, score, ticket)
        if self.nps:
            self._ask_nps(story, moment + rng.uniform(22, 30), score, agent_id, human=human)

    def _ask_nps(
        self, story: Story, moment: float, csat: int, agent_id: int | None, *, human: bool
    ) -> None:
        """Asked once the rating is in, at most once per customer per cooldown; an unanswered
        question keeps waiting (`nps_asked_at`)."""
        rng = self.rng
        customer = story.customer_id
        if customer is not None:
            if moment - self.nps_asked.get(customer, -self.cooldown) < self.cooldown:
                return
            self.nps_asked[customer] = moment
        story.event(moment, "nps_requested", "bot", data=json.dumps({"customer_id": customer}))
        if human:
            story.say(moment, "bot", self.nps_question)
        story.nps_asked_at = moment
        if rng.random() >= P_NPS_ANSWERED:
            return
        answered = moment + rng.uniform(10, 300)
        score = min(10, max(0, round(rng.gauss(1.2 + 1.6 * csat, 1.6))))
        actor = f"customer:{story.conversation_id}"
        story.event(answered, "nps_submitted", actor, data=f'{{"score": {score}}}')
        if human:
            story.say(answered, "customer", str(score))
            story.say(answered + 1, "bot", NPS_THANKS)
        story.nps_asked_at = None
        story.nps_answers.append(
            (
                self.next_nps,
                story.conversation_id,
                score,
                customer,
                story.channel,
                story.external_id,
                agent_id,
                self.stamp(moment),
                self.stamp(answered),
            )
        )
        self.next_nps += 1

"""The synthetic shop the generator simulates: calendar, staff, channels, intents and the words
people type. Only distributions and small helpers live here; `simulate.py` plays them out.

Times are UTC epoch seconds (floats) while simulating; rows get aware datetimes.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from benchmarks.reports.bulk import timestamp
from ticketing.policy.schemas import Policy

DAY = 86400.0
HOUR = 3600.0
MINUTE = 60.0

CHANNELS = ("web", "telegram", "rest")
CHANNEL_WEIGHTS = (0.55, 0.32, 0.13)

# What the customer asked about (kept with a handoff; `handoff.category_for` maps it to the
# ticket's category) and how often, among conversations that reach a person.
INTENTS = (
    "order_status",
    "late_delivery",
    "damaged_or_wrong_item",
    "payment_issue",
    "return_request",
    "refund_status",
    "ask_policy",
    "change_address",
)
INTENT_WEIGHTS = (0.22, 0.16, 0.14, 0.10, 0.14, 0.10, 0.06, 0.08)
ORDER_INTENTS = frozenset(
    {"order_status", "late_delivery", "damaged_or_wrong_item", "return_request", "refund_status"}
)
REASONS = ("requested", "fallback", "angry", "backend_down", "other")
REASON_WEIGHTS = (0.45, 0.30, 0.10, 0.03, 0.12)
TIERS = ("standard", "silver", "gold", "vip")
TIER_WEIGHTS = (0.80, 0.12, 0.06, 0.02)

# Local hour of day (shop time) -> relative number of new conversations.
HOUR_WEIGHTS = (
    1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.0, 2.0, 3.5, 5.0, 6.0, 6.5,
    6.0, 5.5, 5.5, 5.5, 5.5, 5.5, 6.0, 6.5, 6.0, 5.0, 3.5, 2.0,
)  # fmt: skip
WEEKDAY_WEIGHTS = (1.05, 1.0, 1.0, 1.0, 0.95, 0.75, 0.65)  # Monday first
GROWTH = 1.8  # the last day has 1.8x the first day's volume (linear growth)

CUSTOMER_TEXTS = (
    "hi",
    "where is my order?",
    "my parcel is late",
    "the item arrived damaged",
    "I want to return this",
    "when do I get my refund?",
    "can I change the delivery address?",
    "payment went through twice",
    "ok thanks",
    "that did not help",
    "I'd like to talk to a person",
    "yes please",
    "10234",
    "it says delivered but nothing came",
)
BOT_TEXTS = (
    "Hi! How can I help you today?",
    "Could you give me your order number?",
    "Thanks! And the email address on the order?",
    "Your order is on its way and should arrive in 2 days.",
    "You can return items within 30 days of delivery.",
    "Refunds reach your account within 5 business days.",
    "Is there anything else I can help with?",
)
AGENT_TEXTS = (
    "Hello, I'm looking into this for you now.",
    "I've checked with the carrier; it will arrive tomorrow.",
    "I've started the return; the label is in your inbox.",
    "The refund is on its way.",
    "Sorry about that! I've sent a replacement.",
    "Could you send a photo of the damage?",
    "Is there anything else I can do for you?",
)
HANDOFF_TEXT = "I'm passing you to a colleague who will answer here shortly."
COMMENTS = ("Quick and friendly", "Took too long", "Great help!", "Still waiting", "ok")
FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida", "Jonas",
    "Karla", "Lukas", "Mia", "Noah", "Olga", "Paul", "Queenie", "Rosa", "Sven", "Tara",
)  # fmt: skip
LAST_NAMES = (
    "Abel", "Berg", "Costa", "Dietz", "Engel", "Fischer", "Graf", "Hahn", "Iversen", "Jung",
    "Klein", "Lang", "Moser", "Nagel", "Otto", "Peters", "Quast", "Roth", "Sommer", "Vogel",
)  # fmt: skip


class Picker:
    """Weighted choice by bisecting cumulative weights (faster than `random.choices`)."""

    def __init__(self, values: tuple[str, ...], weights: tuple[float, ...]) -> None:
        self.values = values
        total, self.cumulative = 0.0, []
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random) -> str:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


@dataclass(frozen=True)
class Agent:
    """A support agent: when they worked here and how they work (speed, how happy customers
    end up), so the per-agent table differs from agent to agent."""

    staff_id: int
    username: str
    display_name: str
    joined: float
    left: float | None
    reply_factor: float
    resolve_factor: float
    mood: float  # added to the customer's score tilt


@dataclass(frozen=True)
class Staff:
    agents: list[Agent]
    leads: list[tuple[int, str]]  # managers who take escalations and follow-ups
    manager_username: str
    rows: list[tuple[object, ...]]  # staff_users rows


TEAMS = ("general", "logistics", "returns", "payments")


def build_staff(
    rng: random.Random,
    *,
    agents: int,
    start: float,
    end: float,
    password_hash: str,
    teams: bool,
) -> Staff:
    """`agents` agents (a few joined late, two have left), three team leads, the benchmark's
    manager login and an admin. With `teams` (the schema has `staff_users.team`) each agent
    and lead is in one of TEAMS and the rows get that column last."""
    made: list[Agent] = []
    rows: list[tuple[object, ...]] = []
    created = timestamp(start - 30 * DAY)
    for number in range(1, agents + 1):
        joined = start if number <= agents - 4 else start + rng.uniform(0.3, 0.8) * (end - start)
        left = start + rng.uniform(0.4, 0.7) * (end - start) if number in (3, 11) else None
        name = f"{FIRST_NAMES[number % 20]} {LAST_NAMES[(number * 7) % 20]}"
        agent = Agent(
            staff_id=number,
            username=f"agent{number:02d}",
            display_name=name,
            joined=joined,
            left=left,
            reply_factor=rng.lognormvariate(0, 0.35),
            resolve_factor=rng.lognormvariate(0, 0.35),
            mood=rng.gauss(0, 0.25),
        )
        made.append(agent)
        team = (TEAMS[number % len(TEAMS)],) if teams else ()
        rows.append(
            (number, agent.username, name, password_hash, "agent", left is None, created, *team)
        )
    leads = []
    for offset, username in enumerate(("lead1", "lead2", "lead3", "manager", "admin"), 1):
        staff_id = agents + offset
        role = "admin" if username == "admin" else "manager"
        team = (TEAMS[offset] if offset <= 3 else None,) if teams else ()
        rows.append(
            (staff_id, username, username.title(), password_hash, role, True, created, *team)
        )
        if username.startswith("lead"):
            leads.append((staff_id, username))
    return Staff(made, leads, "manager", rows)


def working_agent(rng: random.Random, agents: list[Agent], at: float) -> Agent:
    """A random agent employed at `at`."""
    while True:
        agent = agents[int(rng.random() * len(agents))]
        if agent.joined <= at and (agent.left is None or at < agent.left):
            return agent


class Calendar:
    """The shop's clock: new-conversation volume per day and hour, when agents work (Mon-Fri
    08-20, Sat 10-16) and the policy's SLA business hours."""

    def __init__(self, policy: Policy, end_day: date, days: int) -> None:
        self.zone = ZoneInfo(policy.timezone)
        self.first_day = end_day - timedelta(days=days - 1)
        self.days = days
        self.start = self.midnight(self.first_day)
        self.end = self.midnight(end_day + timedelta(days=1))
        hours = policy.business_hours
        self.open_weekdays = {
            ("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(d) for d in hours.days
        }
        self.open_minutes = hours.open.hour * 60 + hours.open.minute
        self.close_minutes = hours.close.hour * 60 + hours.close.minute
        self.holidays = set(hours.holidays)
        hour_total = sum(HOUR_WEIGHTS)
        self.hour_cumulative = [sum(HOUR_WEIGHTS[: h + 1]) / hour_total for h in range(24)]

    def midnight(self, day: date) -> float:
        return datetime.combine(day, time(0), tzinfo=self.zone).timestamp()

    def local(self, at: float) -> datetime:
        return datetime.fromtimestamp(at, self.zone)

    def day_weights(self) -> list[float]:
        weights = []
        for index in range(self.days):
            day = self.first_day + timedelta(days=index)
            growth = 1 + (GROWTH - 1) * index / max(self.days - 1, 1)
            season = 1.35 if (day.month == 11 and day.day >= 20) or day.month == 12 else 1.0
            weights.append(growth * WEEKDAY_WEIGHTS[day.weekday()] * season)
        return weights

    def day_counts(self, total: int) -> list[int]:
        """`total` split over the days by weight (largest remainders get the rest)."""
        weights = self.day_weights()
        scale = total / sum(weights)
        exact = [w * scale for w in weights]
        counts = [int(x) for x in exact]
        order = sorted(range(self.days), key=lambda i: counts[i] - exact[i])
        for index in order[: total - sum(counts)]:
            counts[index] += 1
        return counts

    def times_on(self, rng: random.Random, index: int, count: int) -> list[float]:
        """`count` sorted moments on day `index`, following the hour-of-day profile."""
        day = self.first_day + timedelta(days=index)
        midnight = self.midnight(day)
        offset = self.local(midnight + 12 * HOUR).utcoffset() or timedelta(0)
        base = datetime.combine(day, time(0), tzinfo=UTC).timestamp() - offset.total_seconds()
        moments = []
        for _ in range(count):
            hour = bisect.bisect_right(self.hour_cumulative, rng.random())
            moments.append(base + min(hour, 23) * HOUR + rng.random() * HOUR)
        moments.sort()
        return moments

    def staffed(self, at: float) -> bool:
        moment = self.local(at)
        weekday, hour = moment.weekday(), moment.hour
        return (weekday < 5 and 8 <= hour < 20) or (weekday == 5 and 10 <= hour < 16)

    def next_staffed(self, at: float) -> float:
        """The next moment agents are at work (`at` itself when they are)."""
        moment = self.local(at)
        for _ in range(8):
            if self.staffed(moment.timestamp()):
                return moment.timestamp()
            weekday, hour = moment.weekday(), moment.hour
            opens = 10 if weekday == 5 else 8
            if weekday == 6 or (weekday == 5 and hour >= 16) or (weekday < 5 and hour >= 20):
                moment = (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0)
                continue
            moment = moment.replace(hour=opens, minute=0, second=0)
        return moment.timestamp()

    def _business_day(self, day: date) -> bool:
        return day.weekday() in self.open_weekdays and day not in self.holidays

    def business_deadline(self, start: float, minutes: float) -> float:
        """The moment `minutes` of business time (policy hours) have passed since `start`."""
        moment = self.local(start)
        left = minutes
        for _ in range(400):
            day = moment.date()
            if self._business_day(day):
                now_minutes = moment.hour * 60 + moment.minute + moment.second / 60
                begin = max(now_minutes, self.open_minutes)
                if begin < self.close_minutes:
                    available = self.close_minutes - begin
                    if left <= available:
                        at = begin + left
                        local = datetime.combine(day, time(0), tzinfo=self.zone)
                        return (local + timedelta(minutes=at)).timestamp()
                    left -= available
            following = day + timedelta(days=1)
            moment = datetime.combine(following, time(0), tzinfo=self.zone)
        return moment.timestamp()

"""The synthetic shop's distributions: channels, what customers ask about, why the bot hands
over, customer tiers, the hour and weekday profile of new conversations, and the agents who
answer. Only distributions and small helpers live here; `simulate.py` plays them out.

Times are UTC epoch seconds (floats) while simulating; rows get what the writer's `stamp`
makes of them (aware datetimes for the demo seed, COPY text for the reports benchmark).
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from dataclasses import dataclass

DAY = 86400.0
HOUR = 3600.0
MINUTE = 60.0

CHANNELS = ("web", "telegram", "rest")
CHANNEL_WEIGHTS = (0.55, 0.32, 0.13)

# What the customer asks about (kept with a handoff; `handoff.category_for` maps it to the
# ticket's category) and how often.
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
# How far back the order a customer asks about was placed, by intent (days).
ORDER_AGE_DAYS = {
    "order_status": 10.0,
    "late_delivery": 21.0,
    "damaged_or_wrong_item": 30.0,
    "return_request": 40.0,
    "refund_status": 60.0,
}
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
GROWTH = 1.8  # by default the last day has 1.8x the first day's volume (linear growth)


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


CHANNEL = Picker(CHANNELS, CHANNEL_WEIGHTS)
INTENT = Picker(INTENTS, INTENT_WEIGHTS)
REASON = Picker(REASONS, REASON_WEIGHTS)


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
    """Who answers: the agents, and the leads (managers) who take escalations and follow-ups."""

    agents: list[Agent]
    leads: list[tuple[int, str]]

    def mood(self, staff_id: int) -> float:
        for agent in self.agents:
            if agent.staff_id == staff_id:
                return agent.mood
        return 0.0


def make_agent(
    rng: random.Random,
    *,
    staff_id: int,
    username: str,
    display_name: str,
    joined: float,
    left: float | None = None,
) -> Agent:
    """An agent with their own reply speed, resolution speed and effect on ratings."""
    return Agent(
        staff_id=staff_id,
        username=username,
        display_name=display_name,
        joined=joined,
        left=left,
        reply_factor=rng.lognormvariate(0, 0.35),
        resolve_factor=rng.lognormvariate(0, 0.35),
        mood=rng.gauss(0, 0.25),
    )


def working_agent(rng: random.Random, agents: Sequence[Agent], at: float) -> Agent:
    """A random agent employed at `at` (any agent when nobody was)."""
    employed = [a for a in agents if a.joined <= at and (a.left is None or at < a.left)]
    if not employed:
        employed = list(agents)
    if len(employed) == len(agents):  # the common case, without building a list
        return agents[int(rng.random() * len(agents))]
    return employed[int(rng.random() * len(employed))]

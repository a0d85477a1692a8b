"""The benchmark's staff and names. The distributions, the calendar and the conversation's life
are the product's (`ticketing/seed/history/`, which also seeds the demo's history); only what
differs at benchmark scale lives here: 40 agents (a few joined late, two left) and their rows.

Times are UTC epoch seconds (floats) while simulating; rows get COPY text (`bulk.timestamp`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from benchmarks.reports.bulk import timestamp
from ticketing.seed.history.calendar import Calendar
from ticketing.seed.history.world import (
    DAY,
    HOUR,
    MINUTE,
    TIER_WEIGHTS,
    TIERS,
    Agent,
    Picker,
    Staff,
    make_agent,
)

__all__ = [
    "DAY",
    "FIRST_NAMES",
    "HOUR",
    "LAST_NAMES",
    "MINUTE",
    "TEAMS",
    "TIERS",
    "TIER_WEIGHTS",
    "BenchStaff",
    "Calendar",
    "Picker",
    "build_staff",
]

FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida", "Jonas",
    "Karla", "Lukas", "Mia", "Noah", "Olga", "Paul", "Queenie", "Rosa", "Sven", "Tara",
)  # fmt: skip
LAST_NAMES = (
    "Abel", "Berg", "Costa", "Dietz", "Engel", "Fischer", "Graf", "Hahn", "Iversen", "Jung",
    "Klein", "Lang", "Moser", "Nagel", "Otto", "Peters", "Quast", "Roth", "Sommer", "Vogel",
)  # fmt: skip
TEAMS = ("general", "logistics", "returns", "payments")


@dataclass(frozen=True)
class BenchStaff:
    staff: Staff  # who the simulator hands conversations and escalations to
    manager_username: str
    rows: list[tuple[object, ...]]  # staff_users rows


def build_staff(
    rng: random.Random,
    *,
    agents: int,
    start: float,
    end: float,
    password_hash: str,
    teams: bool,
) -> BenchStaff:
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
        agent = make_agent(
            rng,
            staff_id=number,
            username=f"agent{number:02d}",
            display_name=name,
            joined=joined,
            left=left,
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
    return BenchStaff(Staff(made, leads), "manager", rows)

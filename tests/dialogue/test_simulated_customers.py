"""A few simulated customers (benchmarks/simulation) of different flows, through the hub with
the real model, action server and backend: each must reach its goal as the database shows
(the full set with the success rate is `benchmarks/simulation/run.py`)."""

from __future__ import annotations

import pytest

from benchmarks.simulation.conversation import casting_for, simulate
from benchmarks.simulation.queries import Casting
from benchmarks.simulation.scenarios import BY_NAME
from tests.dialogue.conftest import Stack

# the first test also waits for Rasa to load its model: minutes on a busy 2-core machine
pytestmark = [pytest.mark.rasa, pytest.mark.timeout(900)]

FAST = (
    "status_in_transit",
    "cancel_paid",
    "address_paid_berlin",
    "return_single_item",
    "late_parcel",
    "refund_status_pending",
    "policy_return_window",
    "refused_window_closed",
    "oos_weather_then_status",
    "handoff_straight_away",
)


@pytest.fixture(scope="module")
def casting(stack: Stack) -> Casting:
    """Each scenario's own seeded order, the same as in a benchmark run's catalogue."""
    return casting_for(stack.database)


@pytest.mark.parametrize("name", FAST)
def test_a_simulated_customer_reaches_the_goal(stack: Stack, casting: Casting, name: str) -> None:
    result = simulate(
        BY_NAME[name],
        backend_url=stack.backend.url,
        database=stack.database,
        seed=7,
        casting=casting,
    )
    assert result.passed, result.report() + "\n" + stack.backend.tail(20)
    assert not result.repeats, result.report()  # one answer per fact (issue 21)

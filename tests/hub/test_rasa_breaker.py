"""A failing Rasa is skipped for a while: after three failed turns in a row the hub hands
conversations to people at once, without waiting for Rasa, and tries again 30 s later."""

from __future__ import annotations

from tests.hub.helpers import conversation, rest_id, rest_say


def say(hub_client, sender: str, text: str) -> list[dict]:
    response = rest_say(hub_client, sender, text)
    assert response.status_code == 200, response.text
    return response.json()


def test_three_failures_open_the_circuit_and_it_closes_after_a_while(
    hub_client, rasa, database
) -> None:
    now = [1000.0]
    breaker = hub_client.app.state.hub.rasa.breaker
    breaker.clock = lambda: now[0]
    rasa.mode = "error"
    for n in range(3):
        replies = say(hub_client, f"breaker-{n}", "hello")
        assert "colleague" in replies[0]["text"]
    assert len(rasa.received) == 3

    replies = say(hub_client, "breaker-3", "hello?")
    assert "colleague" in replies[0]["text"], "handed over at once"
    assert conversation(database, rest_id("breaker-3")).owner == "human"
    assert len(rasa.received) == 3, "Rasa was not asked while the circuit is open"

    rasa.mode = "ok"
    now[0] += 29
    say(hub_client, "breaker-4", "still down?")
    assert len(rasa.received) == 3
    now[0] += 2
    replies = say(hub_client, "breaker-5", "hi again")
    assert replies[0]["text"] == "You said: hi again"
    assert len(rasa.received) == 4
    assert conversation(database, rest_id("breaker-5")).owner == "bot"


def test_a_success_resets_the_count(hub_client, rasa) -> None:
    for n, mode in enumerate(["error", "error", "ok", "error", "error"]):
        rasa.mode = mode
        say(hub_client, f"reset-{n}", "hello")
    rasa.mode = "ok"
    replies = say(hub_client, "reset-5", "hello")
    assert replies[0]["text"] == "You said: hello", "two failures after a success: still closed"
    assert len(rasa.received) == 6

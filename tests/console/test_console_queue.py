"""The queue, presence and capacity, and round-robin assignment among online agents."""

from __future__ import annotations

from sqlalchemy import select

from tests.api.helpers import codes
from ticketing.conversations.models import Conversation
from ticketing.staff.models import StaffRole
from ticketing.tickets.models import TicketPriority


def set_priority(database, conversation_id: str, priority: TicketPriority) -> None:
    with database.session(write=True) as db_session:
        conversation = db_session.get(Conversation, conversation_id)
        assert conversation is not None and conversation.ticket is not None
        conversation.ticket.priority = priority


def assignees(database) -> dict[str, str | None]:
    with database.session() as db_session:
        rows = db_session.scalars(select(Conversation).order_by(Conversation.id))
        return {c.id: (c.assignee.username if c.assignee else None) for c in rows}


def test_the_queue_is_most_urgent_first_then_oldest_first(console, database, clock):
    console.staff("ann")
    oldest = console.handoff("old", minutes_later=5)
    middle = console.handoff("mid", minutes_later=5)
    newest = console.handoff("new", minutes_later=5)
    set_priority(database, newest, TicketPriority.URGENT)
    set_priority(database, oldest, TicketPriority.LOW)
    answer = console.get("ann", "/queue")
    assert answer.status_code == 200, answer.text
    queue = answer.json()
    assert [item["id"] for item in queue["items"]] == [newest, middle, oldest]
    assert [item["priority"] for item in queue["items"]] == ["urgent", "normal", "low"]
    urgent, normal, low = queue["items"]
    assert (low["wait_seconds"], normal["wait_seconds"], urgent["wait_seconds"]) == (900, 600, 300)
    assert urgent["channel"] == "web"
    assert urgent["ticket_number"]
    assert urgent["last_customer_message"] == "help"
    assert urgent["reason"] == "backend_down"
    assert queue["server_time"].startswith(clock.now.isoformat()[:19])


def test_round_robin_among_online_agents_under_capacity(console, database):
    for name in ("ann", "bob", "cid"):
        console.staff(name)
        console.online(name, capacity=1)
    conversations = [console.handoff(f"c{n}") for n in range(4)]
    assigned = assignees(database)
    assert sorted(a for a in assigned.values() if a) == ["ann", "bob", "cid"]
    [waiting] = [c for c in conversations if assigned[c] is None]
    assert [item["id"] for item in console.get("ann", "/queue").json()["items"]] == [waiting]
    first = conversations[0]
    owner = assigned[first]
    resolved = console.post(owner, f"/conversations/{first}/resolve")
    assert resolved.status_code == 200, resolved.text
    assert assignees(database)[waiting] == owner
    assert console.get("ann", "/queue").json()["items"] == []


def test_away_agents_get_nothing(console, database):
    console.staff("ann")
    console.staff("bob")
    console.online("ann", capacity=5)
    console.put("ann", "/me", {"presence": "away"})
    conversation_id = console.handoff("c1")
    assert assignees(database)[conversation_id] is None
    console.online("bob", capacity=1)
    assert assignees(database)[conversation_id] == "bob"


def test_going_online_takes_waiting_conversations_up_to_capacity(console, database):
    console.staff("ann")
    first = console.handoff("c1")
    second = console.handoff("c2")
    third = console.handoff("c3")
    me = console.put("ann", "/me", {"presence": "online", "capacity": 2}).json()
    assert (me["presence"], me["capacity"], me["open_count"]) == ("online", 2, 2)
    assert assignees(database) == {first: "ann", second: "ann", third: None}
    mine = console.get("ann", "/conversations", params={"mine": "true"}).json()
    assert {c["id"] for c in mine} == {first, second}
    raised = console.put("ann", "/me", {"capacity": 3}).json()
    assert raised["open_count"] == 3


def test_capacity_is_between_1_and_20(console):
    console.staff("ann")
    for capacity in (0, 21):
        response = console.put("ann", "/me", {"capacity": capacity})
        assert response.status_code == 422
        assert codes(response) == ["invalid_input"]
    assert console.put("ann", "/me", {"capacity": 20}).json()["capacity"] == 20
    assert console.put("ann", "/me", {"presence": "busy"}).status_code == 422


def test_managers_see_everyones_presence_and_load(console):
    console.staff("ann")
    console.staff("bob")
    console.staff("max", StaffRole.MANAGER)
    console.online("ann", capacity=2)
    console.handoff("c1")
    agents = {a["username"]: a for a in console.get("max", "/agents").json()}
    assert agents["ann"]["presence"] == "online"
    assert agents["ann"]["open_count"] == 1
    assert agents["ann"]["capacity"] == 2
    assert (agents["bob"]["presence"], agents["bob"]["open_count"]) == ("away", 0)
    assert agents["max"]["role"] == "manager"


def test_conversations_can_be_filtered_by_state(console):
    console.staff("ann")
    waiting = console.handoff("c1")
    humans = console.get("ann", "/conversations", params={"status": "human"}).json()
    assert [c["id"] for c in humans] == [waiting]
    assert console.get("ann", "/conversations", params={"status": "bot"}).json() == []
    assert console.get("ann", "/conversations", params={"status": "nope"}).status_code == 422

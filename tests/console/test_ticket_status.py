"""Agents set the conversation's ticket status from the console; waiting on the customer pauses
the SLA clock until the customer writes, which opens the ticket again."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.api.helpers import codes
from tests.console.conftest import PASSWORD, Console, cookie_login
from ticketing.conversations.models import Conversation, CsatState, Owner
from ticketing.db import Database
from ticketing.policy.service import load_file
from ticketing.settings import REPO_ROOT
from ticketing.staff.models import StaffRole
from ticketing.tickets.models import Ticket
from ticketing.tickets.sla_clock import elapsed_minutes
from ticketing.tickets.sla_watch import check_all

POLICY = load_file(REPO_ROOT / "policy.yml")
BERLIN = ZoneInfo("Europe/Berlin")


def ticket_of(database: Database, conversation_id: str) -> Ticket:
    with database.session() as s:
        conversation = s.get(Conversation, conversation_id)
        assert conversation is not None and conversation.ticket is not None
        ticket = conversation.ticket
        ticket.events  # noqa: B018 - loaded before the session closes
        return ticket


def status_steps(database: Database, conversation_id: str) -> list[tuple[str, str, str]]:
    ticket = ticket_of(database, conversation_id)
    return [
        (e.actor, e.data["from"], e.data["to"]) for e in ticket.events if e.kind == "status_changed"
    ]


def set_status(console: Console, username: str, conversation_id: str, status: str):  # type: ignore[no-untyped-def]
    return console.post(
        username, f"/conversations/{conversation_id}/ticket-status", {"status": status}
    )


def test_agent_sets_the_status_and_it_is_in_the_history(console: Console, database: Database):
    console.staff("ann")
    conversation_id = console.handoff("c1")
    assert console.post("ann", f"/conversations/{conversation_id}/claim").status_code == 200
    assert ticket_of(database, conversation_id).status == "open"  # claiming opened it

    answer = set_status(console, "ann", conversation_id, "pending_internal")
    assert answer.status_code == 200, answer.text
    ticket = answer.json()
    assert ticket["status"] == "pending_internal"
    last = ticket["history"][-1]
    assert (last["kind"], last["actor"]) == ("status_changed", "staff:ann")
    assert last["data"] == {"from": "open", "to": "pending_internal"}
    assert ticket_of(database, conversation_id).status == "pending_internal"

    again = set_status(console, "ann", conversation_id, "pending_internal")
    assert again.status_code == 200  # the same status: nothing new in the history
    assert set_status(console, "ann", conversation_id, " Open ").json()["status"] == "open"
    assert status_steps(database, conversation_id) == [
        ("staff:ann", "open", "pending_internal"),
        ("staff:ann", "pending_internal", "open"),
    ]
    detail = console.get("ann", f"/conversations/{conversation_id}").json()
    assert [e["kind"] for e in detail["ticket"]["history"]][-2:] == [
        "status_changed",
        "status_changed",
    ]


def test_who_may_set_it(console: Console, database: Database):
    console.staff("ann")
    console.staff("bob")
    console.staff("mia", StaffRole.MANAGER)
    waiting = console.handoff("c1")
    # nobody has it yet: any agent may
    assert set_status(console, "bob", waiting, "open").status_code == 200
    console.post("ann", f"/conversations/{waiting}/claim")
    refused = set_status(console, "bob", waiting, "pending_customer")
    assert refused.status_code == 403
    assert codes(refused) == ["not_your_conversation"]
    assert ticket_of(database, waiting).status == "open"
    by_manager = set_status(console, "mia", waiting, "pending_customer")
    assert by_manager.status_code == 200
    assert status_steps(database, waiting)[-1] == ("staff:mia", "open", "pending_customer")
    anonymous = console.client.post(
        f"/api/console/conversations/{waiting}/ticket-status", json={"status": "open"}
    )
    assert anonymous.status_code == 401


def test_bad_statuses_are_refused_with_the_choices(console: Console, database: Database):
    console.staff("ann")
    conversation_id = console.handoff("c1")
    for bad in ("resolved", "closed", "new", "waiting", "pending customer"):
        answer = set_status(console, "ann", conversation_id, bad)
        assert answer.status_code == 422, bad
        assert codes(answer) == ["bad_ticket_status"]
        message = answer.json()["detail"][0]["msg"]
        assert "open, pending_customer, pending_internal" in message
    for body in ({}, {"status": ""}, {"status": "x" * 33}):
        answer = console.post("ann", f"/conversations/{conversation_id}/ticket-status", body)
        assert answer.status_code == 422
    assert status_steps(database, conversation_id) == []
    missing = set_status(console, "ann", "web-nobody", "open")
    assert missing.status_code == 404
    assert codes(missing) == ["conversation_not_found"]


def test_no_ticket_or_a_finished_one(console: Console, database: Database):
    console.staff("ann")
    with database.session(write=True) as s:
        s.add(
            Conversation(
                id="web-bot",
                channel="web",
                external_id="bot",
                owner=Owner.BOT,
                csat_state=CsatState.NONE,
                context={},
            )
        )
    no_ticket = set_status(console, "ann", "web-bot", "open")
    assert no_ticket.status_code == 409
    assert codes(no_ticket) == ["no_ticket"]

    conversation_id = console.handoff("c1")
    assert console.post("ann", f"/conversations/{conversation_id}/resolve").status_code == 200
    done = set_status(console, "ann", conversation_id, "open")
    assert done.status_code == 409
    assert codes(done) == ["ticket_done"]
    assert ticket_of(database, conversation_id).status == "resolved"


def test_waiting_on_the_customer_pauses_the_sla_until_they_write(
    console: Console, database: Database
):
    """Normal priority, first response within 480 business minutes. Handed off on Monday
    15 June at 14:00 Berlin; ann claims it (no reply) and waits on the customer from 14:01;
    the customer writes on Wednesday at 10:00: one minute used, so the target is missed on
    Wednesday at 17:59 (1 + 479), not on Tuesday at 13:00 as without the pause."""
    console.staff("ann")
    conversation_id = console.handoff("c1")  # 14:00, the clock moves on a minute
    console.post("ann", f"/conversations/{conversation_id}/claim")
    assert set_status(console, "ann", conversation_id, "pending_customer").status_code == 200

    def watch(at: datetime) -> list[tuple[str, str]]:
        with database.session(write=True) as s:
            return [(a.kind, a.target) for a in check_all(db_session=s, policy=POLICY, now=at)]

    assert watch(datetime(2026, 6, 16, 13, tzinfo=BERLIN)) == []  # paused: no breach
    console.clock.now = datetime(2026, 6, 17, 10, tzinfo=BERLIN)
    delivery = console.customer_writes("c1", "Here is the photo you asked for")
    assert delivery.conversation.owner == "human"
    ticket = ticket_of(database, conversation_id)
    assert ticket.status == "open"
    assert status_steps(database, conversation_id)[-1] == ("customer", "pending_customer", "open")
    assert elapsed_minutes(ticket, console.clock.now, POLICY.business_hours) == 1

    assert watch(datetime(2026, 6, 17, 17, 58, tzinfo=BERLIN)) == [
        ("sla_warning", "first_response")
    ]
    assert watch(datetime(2026, 6, 17, 17, 59, tzinfo=BERLIN)) == [
        ("sla_breached", "first_response")
    ]
    login = console.client.post("/api/auth/login", json={"username": "ann", "password": PASSWORD})
    fresh = {"Authorization": f"Bearer {login.json()['access_token']}"}  # two days later
    detail = console.client.get(f"/api/console/conversations/{conversation_id}", headers=fresh)
    history = detail.json()["ticket"]["history"]
    # no manager to escalate to: the priority goes up and the ticket stays where it is
    assert [(e["kind"], e["actor"]) for e in history] == [
        ("created", "hub"),
        ("assigned", "staff:ann"),
        ("status_changed", "staff:ann"),
        ("status_changed", "customer"),
        ("sla_warning", "sla"),
        ("priority_raised", "sla"),
        ("sla_breached", "sla"),
    ]
    assert history[-1]["data"]["elapsed_minutes"] == 480


def test_a_customer_message_leaves_other_statuses_alone(console: Console, database: Database):
    console.staff("ann")
    conversation_id = console.handoff("c1")
    set_status(console, "ann", conversation_id, "pending_internal")
    console.customer_writes("c1", "any news?")
    assert ticket_of(database, conversation_id).status == "pending_internal"
    assert status_steps(database, conversation_id) == [("staff:ann", "new", "pending_internal")]


def test_the_page_has_the_status_control_and_history(console: Console):
    console.staff("ann")
    conversation_id = console.handoff("c1")
    cookie_login(console.client, "ann")
    page = console.client.get(f"/console/conversations/{conversation_id}")
    assert page.status_code == 200
    assert 'id="ticket-status"' in page.text
    assert 'id="ticket-history"' in page.text
    script = console.client.get("/console/static/conversation.js").text
    assert "/ticket-status" in script

"""`supportbot privacy export`: everything about the person, nothing about anyone else."""

from __future__ import annotations

import json
import stat

from sqlalchemy import select

from tests.privacy.helpers import run_cli, text_of
from tests.privacy.people import HOME, NEW_HOME, TEXTS
from ticketing.audit.models import AuditEntry


def export(capsys, *selector: str, out=None) -> tuple[int, dict, str]:
    argv = ["privacy", "export", *selector, "--actor", "dpo", "--reason", "request R-7"]
    if out is not None:
        argv += ["--out", str(out)]
    code = run_cli(argv)
    captured = capsys.readouterr()
    document = json.loads(out.read_text() if out is not None else captured.out or "null")
    return code, document, captured.err


def test_export_holds_everything_seeded_for_the_person(people, cli_env, capsys, tmp_path):
    henrietta = people.henrietta
    out = tmp_path / "henrietta.json"

    code, document, err = export(capsys, "--email", "HENRIETTA.quandt@example.org", out=out)

    assert code == 0, err
    assert document["customer"]["email"] == henrietta.email
    assert document["customer"]["phone"] == henrietta.phone
    orders = {o["number"]: o for o in document["orders"]}
    assert sorted(orders) == sorted(henrietta.order_numbers)
    delivered, unshipped = henrietta.order_numbers
    assert orders[delivered]["shipping_address"] == HOME
    assert orders[unshipped]["shipping_address"] == NEW_HOME
    assert [i["name"] for i in orders[delivered]["items"]] == ["Linen shirt", "Wool socks"]
    shipment = orders[delivered]["shipments"][0]
    assert shipment["tracking_number"] == henrietta.tracking_numbers[0]
    assert "Wolfsburg, DE" in [e["location"] for e in shipment["events"]]
    [returned] = orders[delivered]["returns"]
    assert returned["customer_note"] == TEXTS["return_note"] and returned["items"]
    reasons = sorted(r["reason"] for o in orders.values() for r in o["refunds"])
    assert reasons == sorted([TEXTS["refund_reason"], "order cancelled"])

    [conversation] = document["conversations"]
    assert conversation["id"] == henrietta.conversation_id
    texts = [m["text"] for m in conversation["messages"]]
    assert TEXTS["first"] in texts and TEXTS["reply"] in texts and TEXTS["photo"] in texts
    assert f"You said: {TEXTS['first']}" in texts  # the bot's side too
    attachments = [a for m in conversation["messages"] for a in m["payload"].get("attachments", [])]
    assert [a["file_id"] for a in attachments] == ["AgAD-HQ-1"]
    notes = [e["data"]["text"] for e in conversation["events"] if e["kind"] == "note"]
    assert notes == [TEXTS["note"]]
    kinds = [e["kind"] for e in conversation["events"]]
    assert {"created", "bot_handoff", "agent_assigned", "resolved"} <= set(kinds)

    tickets = document["tickets"]
    assert len(tickets) == 2  # the handoff and the low rating's follow-up
    handoff = next(t for t in tickets if t["source"] == "handoff")
    assert TEXTS["first"] in handoff["description"]
    assert [e["kind"] for e in handoff["history"]][0] == "created"
    assert "attachment" in [e["kind"] for e in handoff["history"]]
    follow_up = next(t for t in tickets if t["source"] == "agent")
    assert TEXTS["comment"] in follow_up["description"]

    [rating] = document["feedback"]["csat_ratings"]
    assert (rating["score"], rating["comment"]) == (2, TEXTS["comment"])
    [nps] = document["feedback"]["nps_answers"]
    assert nps["score"] == 3
    kinds = sorted(e["kind"] for e in document["crm_events"])
    assert kinds == ["csat.rating", "ticket.resolved"]
    actions = {e["action"] for e in document["audit_log"]}
    assert {"order.address_changed", "order.cancelled", "return.created"} <= actions
    assert {"refund.created", "ticket.created", "rating.created"} <= actions
    scopes = sorted(r["scope"].split(":")[0] for r in document["stored_api_answers"])
    assert scopes == ["address", "cancel", "handoff", "rating", "refund", "return"]
    assistant = document["assistant"]["events"]
    assert [e["data"].get("text") for e in assistant if e["type_name"] == "user"] == [
        TEXTS["first"]
    ]
    counted = document["verification"]["failed_attempts_counted_now"]
    if counted is not None:  # Redis configured: the failed attempt is counted there
        assert counted == {
            f"verify:order:{delivered}": 1,
            f"verify:asker:{henrietta.conversation_id}": 1,
        }
    assert "orders" in err and "wrote" in err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_export_holds_nothing_of_anyone_else(people, cli_env, capsys):
    code, document, _err = export(capsys, "--phone", "0170 5550123")

    assert code == 0
    text = text_of(document)
    for needle in people.henrietta.needles:
        assert needle in text, needle
    for other in (people.bob, people.anon):
        for needle in other.needles:
            assert needle not in text, needle
        assert other.email is None or other.email.lower() not in text


def test_a_chat_linked_to_a_customer_exports_that_customer(people, cli_env, capsys):
    selector = ["--channel", "rest", "--external-id", people.henrietta.external_id]

    code, document, err = export(capsys, *selector)

    assert code == 0
    assert document["customer"]["id"] == people.henrietta.customer_id
    assert len(document["orders"]) == 2
    assert "belongs to customer" in err


def test_an_unverified_chat_exports_only_that_chat(people, cli_env, capsys):
    code, document, _err = export(
        capsys, "--channel", "rest", "--external-id", people.anon.external_id
    )

    assert code == 0
    assert document["customer"] is None and document["orders"] == []
    [conversation] = document["conversations"]
    assert conversation["messages"][0]["text"] == "I won't say who I am; my cat is Mr Whiskers"
    assert [r["comment"] for r in document["feedback"]["csat_ratings"]] == ["whiskers ok"]
    assert "henrietta" not in text_of(document) and "kettle" not in text_of(document)


def test_an_export_is_audited_without_the_data(people, cli_env, capsys, database):
    code, _document, _err = export(capsys, "--customer-id", str(people.henrietta.customer_id))

    assert code == 0
    with database.session() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "privacy.exported"))
    assert entry.actor == "admin:dpo"
    assert (entry.entity_type, entry.entity_id) == ("customer", str(people.henrietta.customer_id))
    assert entry.changes["reason"] == "request R-7"
    assert entry.changes["selected_by"] == "customer_id"
    assert entry.changes["counts"]["orders"] == 2
    assert "henrietta" not in json.dumps(entry.changes).lower()

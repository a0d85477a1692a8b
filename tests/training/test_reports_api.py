"""POST /api/training/misunderstandings: what the action server reports lands in the inbox
masked, once per message, with every reason; only with the service key and the hub's proof."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import SERVICE_KEY
from tests.training.conftest import SERVICE
from ticketing.conversations.models import ConversationEvent
from ticketing.training.models import InboxItem

GUESSES = [
    {"intent": "nlu_fallback", "confidence": 0.4},
    {"intent": "order_status", "confidence": 0.31},
    {"intent": "late_delivery", "confidence": 0.29},
    {"intent": "return_item", "confidence": 0.1},
    {"intent": "complaint", "confidence": 0.05},
]


def test_a_report_is_stored_masked_with_context_and_top_three_guesses(inbox, database):
    cid = inbox.conversation("web-1")
    answer = inbox.report(
        cid,
        "I'm Jane Roe, jane.roe@example.org, order #10234 or call +44 7700 900123",
        guesses=GUESSES,
        previous_bot_text="Which order? Yours was 55501 to jane.roe@example.org",
        previous_customer_text="hi it's Jane",
        entities=[{"entity": "order_number", "value": "10234"}],
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["created"] is True
    with database.session() as s:
        item = s.scalars(select(InboxItem)).one()
        assert item.text == "I'm Jane Roe, {email}, order {order_number} or call {phone}"
        assert item.previous_bot_text == "Which order? Yours was {order_number} to {email}"
        assert item.previous_customer_text == "hi it's Jane"  # no name known: kept
        assert item.guesses == [
            {"intent": "order_status", "confidence": 0.31},
            {"intent": "late_delivery", "confidence": 0.29},
            {"intent": "return_item", "confidence": 0.1},
        ]
        assert item.reasons == ["fallback"]
        assert item.conversation_id == cid


def test_the_linked_customers_name_and_contact_are_masked(inbox, database):
    from tests.factories import make_customer
    from ticketing.conversations.models import Conversation

    cid = inbox.conversation("web-2")
    with database.session(write=True) as s:
        customer = make_customer(s, name="Henrietta Quandt", email="hq@shop.example")
        s.get(Conversation, cid).customer_id = customer.id
    inbox.reported(cid, "henrietta quandt wants to know, mail hq@shop.example")
    with database.session() as s:
        assert (
            s.scalars(select(InboxItem.text)).one() == "{name} {name} wants to know, mail {email}"
        )


def test_the_same_message_reported_again_is_one_item_with_both_reasons(inbox, database):
    cid = inbox.conversation("web-3")
    first = inbox.report(cid, "blah  BLAH", guesses=GUESSES)
    again = inbox.report(cid, "blah blah", reason="handoff")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {
        "id": first.json()["id"],
        "created": False,
        "reasons": ["fallback", "handoff"],
    }
    other = inbox.conversation("web-4")
    assert inbox.report(other, "blah blah").status_code == 201  # another conversation: its own
    with database.session() as s:
        kinds = s.scalars(
            select(ConversationEvent.kind).where(ConversationEvent.conversation_id == cid)
        ).all()
    assert kinds.count("bot_misunderstood") == 1  # one miss, counted once for the reports


def test_reports_need_the_service_key_and_the_proof_for_that_conversation(inbox, client):
    cid = inbox.conversation("web-5")
    other = inbox.conversation("web-6")
    body = {"conversation_id": cid, "text": "hmm", "reason": "fallback"}
    no_key = client.post("/api/training/misunderstandings", json=body)
    assert no_key.status_code == 401
    no_proof = client.post("/api/training/misunderstandings", json=body, headers=SERVICE)
    assert no_proof.status_code == 403
    assert no_proof.json()["detail"][0]["code"] == "conversation_proof_required"
    from tests.api.helpers import proof

    wrong = client.post(
        "/api/training/misunderstandings",
        json=body,
        headers={"X-Api-Key": SERVICE_KEY, **proof(client, other)},
    )
    assert wrong.status_code == 403


def test_bad_reports_are_refused_with_what_to_fix(inbox):
    cid = inbox.conversation("web-7")
    unknown_reason = inbox.report(cid, "hmm", reason="bored")
    assert unknown_reason.status_code == 422
    empty = inbox.report(cid, "")
    assert empty.status_code == 422
    too_confident = inbox.report(cid, "hmm", guesses=[{"intent": "greet", "confidence": 3}])
    assert too_confident.status_code == 422
    assert inbox.report("web-nobody", "hmm").status_code in (403, 404)


def test_an_agent_correcting_the_contact_reason_sends_the_request_to_the_inbox(inbox, database):
    cid = inbox.conversation("web-8", "hi")
    inbox.customer_writes("web-8", "my thing from you is all wrong honestly")
    answer = inbox.put(AGENT_NAME, f"/conversations/{cid}/contact-reason", {"reason": "complaint"})
    assert answer.status_code == 200, answer.text
    [cluster] = inbox.inbox()["clusters"]
    [item] = cluster["items"]
    assert item["text"] == "my thing from you is all wrong honestly"  # not "hi"
    assert item["reasons"] == ["reason_corrected"]
    assert item["contact_reason"] == "complaint"
    again = inbox.put(AGENT_NAME, f"/conversations/{cid}/contact-reason", {"reason": "complaint"})
    assert again.status_code == 200
    assert inbox.inbox()["pending"] == 1  # the same reason again adds nothing


AGENT_NAME = "arno"


def test_a_name_the_bot_knows_is_masked(inbox, database):
    cid = inbox.conversation("web-9")
    inbox.reported(
        cid, "Ann Smith again, blorp", entities=[{"entity": "name", "value": "Ann Smith"}]
    )
    with database.session() as s:
        assert s.scalars(select(InboxItem.text)).one() == "{name} {name} again, blorp"

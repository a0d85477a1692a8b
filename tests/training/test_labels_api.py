"""The Training page's API: managers only (agents 403, CSRF with the cookie), the inbox grouped,
label a cluster or one message, undo, and bad input refused with what to do."""

from __future__ import annotations

from sqlalchemy import select

from tests.console.conftest import PASSWORD, cookie_login
from tests.training.conftest import AGENT, MANAGER
from ticketing.audit.models import AuditEntry
from ticketing.training.models import TrainingLabel

PARCEL = ["where is my parcel", "where is my parcel now", "my parcel where is it"]
OTHER = "do you sell gift cards"


def fill(inbox) -> dict[str, int]:
    """Four messages: three about a parcel (one cluster), one about gift cards."""
    ids = {}
    for n, text in enumerate([*PARCEL, OTHER]):
        cid = inbox.conversation(f"fill-{n}")
        ids[text] = inbox.reported(
            cid, text, guesses=[{"intent": "order_status", "confidence": 0.3 + n / 100}]
        )
        inbox.clock.advance(seconds=1)
    return ids


def test_agents_are_refused_and_managers_see_the_grouped_inbox(inbox):
    ids = fill(inbox)
    refused = inbox.get(AGENT, "/training/inbox")
    assert refused.status_code == 403
    assert refused.json()["detail"][0]["code"] == "role_required"
    assert (
        inbox.post(AGENT, "/training/labels", {"item_ids": [1], "decision": "skip"}).status_code
        == 403
    )
    assert inbox.client.get("/api/console/training/inbox").status_code == 401

    body = inbox.inbox()
    assert body["pending"] == 4
    assert body["grouping"] == "minilm"
    sizes = [(c["size"], [i["text"] for i in c["items"]]) for c in body["clusters"]]
    assert sizes == [(3, PARCEL), (1, [OTHER])]
    assert body["clusters"][0]["id"] == ids[PARCEL[0]]
    assert body["clusters"][0]["top_guess"] == "order_status"
    assert "order_status" in body["intents"] and "out_of_scope" not in body["intents"]
    assert body["out_of_scope_intent"] == "out_of_scope"


def test_bulk_label_a_cluster_then_undo_it(inbox, database):
    ids = fill(inbox)
    cluster = [ids[text] for text in PARCEL]
    answer = inbox.label(cluster, intent="late_delivery")
    assert answer.status_code == 201, answer.text
    batch = answer.json()["batch"]
    assert answer.json()["labelled"] == 3
    body = inbox.inbox()
    assert body["pending"] == 1 and [c["size"] for c in body["clusters"]] == [1]
    with database.session() as s:
        labels = s.scalars(select(TrainingLabel).order_by(TrainingLabel.item_id)).all()
        assert [(lab.intent, lab.labelled_by, lab.batch) for lab in labels] == [
            ("late_delivery", f"staff:{MANAGER}", batch)
        ] * 3
        assert labels[0].labelled_at == inbox.clock()
    recent = inbox.get(MANAGER, "/training/labels").json()
    assert [(r["intent"], r["count"]) for r in recent] == [("late_delivery", 3)]

    undone = inbox.post(MANAGER, "/training/undo", {"batch": batch})
    assert undone.status_code == 200 and undone.json()["undone"] == 3
    assert inbox.inbox()["pending"] == 4
    assert inbox.post(MANAGER, "/training/undo", {"batch": batch}).status_code == 404
    with database.session() as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_type == "training_label_batch")
        ).all()
    assert [(e.action, e.entity_id, e.actor) for e in entries] == [
        ("training.labelled", batch, f"staff:{MANAGER}"),
        ("training.label_undone", batch, f"staff:{MANAGER}"),
    ]


def test_one_message_out_of_scope_and_one_skipped(inbox):
    ids = fill(inbox)
    assert inbox.label([ids[OTHER]], "out_of_scope").json()["intent"] == "out_of_scope"
    skipped = inbox.label([ids[PARCEL[1]]], "skip", intent="order_status")
    assert skipped.status_code == 201 and skipped.json()["intent"] is None
    texts = [i["text"] for c in inbox.inbox()["clusters"] for i in c["items"]]
    assert texts == [PARCEL[0], PARCEL[2]]


def test_bad_labels_are_refused_and_change_nothing(inbox):
    ids = fill(inbox)
    unknown = inbox.label([ids[OTHER]], intent="buy_gift_card")
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["code"] == "unknown_intent"
    missing = inbox.label([ids[OTHER]])
    assert missing.json()["detail"][0]["code"] == "intent_required"
    gone = inbox.label([ids[OTHER], 99_999], intent="order_status")
    assert gone.status_code == 404
    assert gone.json()["detail"][0]["code"] == "inbox_item_not_found"
    assert inbox.inbox()["pending"] == 4  # all or nothing: the known item is not labelled
    assert inbox.label([ids[OTHER]], intent="order_status").status_code == 201
    double = inbox.label([ids[PARCEL[0]], ids[OTHER]], intent="complaint")
    assert double.status_code == 409
    assert double.json()["detail"][0]["code"] == "already_labelled"
    assert "undo" in double.json()["detail"][0]["msg"]
    assert inbox.inbox()["pending"] == 3
    empty = inbox.post(MANAGER, "/training/labels", {"item_ids": [], "decision": "skip"})
    assert empty.status_code == 422
    odd = inbox.post(MANAGER, "/training/labels", {"item_ids": [1], "decision": "maybe"})
    assert odd.status_code == 422


def test_cookie_writes_need_the_csrf_header(inbox, client):
    ids = fill(inbox)
    csrf = cookie_login(client, MANAGER, PASSWORD)
    body = {"item_ids": [ids[OTHER]], "decision": "skip"}
    without = client.post("/api/console/training/labels", json=body)
    assert without.status_code == 403
    assert without.json()["detail"][0]["code"] == "csrf_failed"
    with_header = client.post(
        "/api/console/training/labels", json=body, headers={"X-CSRF-Token": csrf}
    )
    assert with_header.status_code == 201
    assert client.get("/api/console/training/inbox").status_code == 200


def test_the_page_is_for_managers(inbox, client):
    anonymous = client.get("/console/training", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/console/login?next=/console/training"
    cookie_login(client, AGENT, PASSWORD)
    assert client.get("/console/training").status_code == 403
    assert "Training" not in client.get("/console/").text
    client.cookies.clear()
    cookie_login(client, MANAGER, PASSWORD)
    page = client.get("/console/training")
    assert page.status_code == 200
    assert "training.js" in page.text
    assert 'href="/console/training"' in client.get("/console/").text


def test_the_export_download_holds_the_labels(inbox):
    ids = fill(inbox)
    inbox.label([ids[PARCEL[0]], ids[PARCEL[1]]], intent="order_status")
    download = inbox.get(MANAGER, "/training/export")
    assert download.status_code == 200
    assert download.text.splitlines()[2:] == [
        'version: "3.1"',
        "nlu:",
        "- intent: order_status",
        "  examples: |",
        "    - where is my parcel",
        "    - where is my parcel now",
    ]
    assert inbox.get(AGENT, "/training/export").status_code == 403


def test_each_message_is_embedded_once_and_the_vectors_kept(inbox, database):
    from tests.assist.fakes import WordEmbedder
    from ticketing.training.grouping import Encoder
    from ticketing.training.models import InboxItem

    embedder = WordEmbedder()
    inbox.client.app.state.training_encoder = Encoder(load=lambda: embedder)
    fill(inbox)
    inbox.inbox()
    inbox.reported(inbox.conversation("late"), "one more question")
    assert inbox.inbox()["pending"] == 5
    assert embedder.embedded == [*PARCEL, OTHER, "one more question"]
    with database.session() as s:
        assert all(len(v) == 384 * 4 for v in s.scalars(select(InboxItem.embedding)))

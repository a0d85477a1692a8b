"""The training inbox in privacy requests: the export lists a person's inbox items and labels;
erasure deletes them (and the examples labelled from them), nobody else's, idempotently."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.api.helpers import proof
from tests.privacy.helpers import run_cli
from tests.privacy.people import SERVICE
from tests.training.conftest import use_word_embedder
from ticketing.training import service as training_service
from ticketing.training.export import render
from ticketing.training.models import Decision, InboxItem, TrainingLabel

ERASE = ["privacy", "erase", "--actor", "dpo", "--reason", "GDPR request R-9", "--yes"]


def report(client, conversation_id: str, text: str) -> int:
    answer = client.post(
        "/api/training/misunderstandings",
        json={"conversation_id": conversation_id, "text": text, "reason": "fallback"},
        headers={**SERVICE, **proof(client, conversation_id)},
    )
    assert answer.status_code == 201, answer.text
    item_id: int = answer.json()["id"]
    return item_id


def seed_inbox(hub_client, database, people, clock) -> dict[str, int]:
    use_word_embedder(hub_client)
    ids = {
        "henrietta": report(hub_client, people.henrietta.conversation_id, "Quandt parcel gone??"),
        "henrietta_2": report(hub_client, people.henrietta.conversation_id, "blorp the parcel"),
        "bob": report(hub_client, people.bob.conversation_id, "kettle blorp parcel"),
    }
    with database.session(write=True) as s:
        training_service.label(
            s,
            item_ids=[ids["henrietta"], ids["bob"]],
            decision=Decision.INTENT,
            intent="late_delivery",
            actor="staff:maya",
            now=clock(),
        )
    return ids


def test_the_export_lists_the_persons_inbox_items_and_labels(
    people, cli_env, capsys, hub_client, database, clock
):
    seed_inbox(hub_client, database, people, clock)
    code = run_cli(
        [
            "privacy",
            "export",
            "--email",
            people.henrietta.email,
            "--actor",
            "dpo",
            "--reason",
            "R-7",
        ]
    )
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    items = document["training_inbox"]
    assert [(i["text"], (i["label"] or {}).get("intent")) for i in items] == [
        ("{name} parcel gone??", "late_delivery"),  # her name masked before it was stored
        ("blorp the parcel", None),
    ]
    assert {i["conversation_id"] for i in items} == {people.henrietta.conversation_id}


def test_erasure_deletes_the_persons_inbox_items_and_examples_only(
    people, cli_env, capsys, hub_client, database, clock
):
    ids = seed_inbox(hub_client, database, people, clock)

    assert run_cli([*ERASE, "--email", people.henrietta.email]) == 0
    err = capsys.readouterr().err

    with database.session() as s:
        assert list(s.scalars(select(InboxItem.id))) == [ids["bob"]]
        labels = s.scalars(select(TrainingLabel)).all()
        assert [(row.item_id, row.intent) for row in labels] == [(ids["bob"], "late_delivery")]
        exported = render(training_service.examples(s))
    assert "kettle blorp parcel" in exported and "gone" not in exported
    assert "  training inbox items: 2" in err and "  training labels: 1" in err

    assert run_cli([*ERASE, "--email", people.henrietta.email]) == 0  # again: nothing left
    with database.session() as s:
        assert list(s.scalars(select(InboxItem.id))) == [ids["bob"]]

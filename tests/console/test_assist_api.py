"""The console's suggestions endpoint: it never waits for the model (loading answers at once),
fills the conversation's values into past replies, and refuses what it cannot answer."""

from __future__ import annotations

import threading
import time

from tests.api.helpers import codes
from tests.assist.fakes import WordEmbedder
from tests.assist.history import add_conversation
from tests.factories import make_staff
from ticketing.assist.assistant import Assistant
from ticketing.assist.service import answered_message
from ticketing.conversations.models import Conversation
from ticketing.staff.models import StaffRole


def install(console, load) -> Assistant:
    assistant = Assistant(console.database, load_embedder=load)
    console.client.app.state.assistant = assistant
    return assistant


def past_conversation(database) -> None:
    with database.session(write=True) as db_session:
        bob = make_staff(db_session, "bob", StaffRole.AGENT)
        add_conversation(
            db_session,
            "past",
            [("customer", "help"), ("agent", "Hello, Bob here. I'm checking order 777 for you.")],
            agent=bob,
            context={"order_number": "777"},
        )


def test_suggestions_answer_loading_at_once_while_the_model_loads(console, database):
    console.staff("ann")
    past_conversation(database)
    conversation_id = console.handoff("now")
    release = threading.Event()

    def slow_model() -> WordEmbedder:
        release.wait(30)
        return WordEmbedder()

    assistant = install(console, slow_model)
    started = time.monotonic()
    loading = console.get("ann", f"/conversations/{conversation_id}/suggestions")
    assert time.monotonic() - started < 5
    assert loading.status_code == 200, loading.text
    assert loading.json()["status"] == "loading"
    assert loading.json()["message"]["text"] == "help"
    assert loading.json()["suggestions"] == []

    release.set()
    for _ in range(100):
        if assistant.status == "ready":
            break
        time.sleep(0.05)
    ready = console.get("ann", f"/conversations/{conversation_id}/suggestions").json()

    assert ready["status"] == "ready"
    [suggestion] = ready["suggestions"]
    assert suggestion["source"] == "past_reply"
    # the past agent's name and order became placeholders, filled now for Ann; this
    # conversation has no order, so that placeholder stays for her to fill
    assert suggestion["text"] == "Hello, Ann here. I'm checking order {order_number} for you."
    assert suggestion["missing"] == ["{order_number}"]
    assert suggestion["example"] == "help"
    assert suggestion["label"] == "Past reply (once)"


def test_the_order_of_this_conversation_is_filled_in(console, database):
    console.staff("ann")
    past_conversation(database)
    conversation_id = console.handoff("with-order")
    with database.session(write=True) as db_session:
        conversation = db_session.get(Conversation, conversation_id)
        conversation.context = {**conversation.context, "order_number": "10410"}
    install(console, WordEmbedder).start().result(timeout=30)

    answer = console.get("ann", f"/conversations/{conversation_id}/suggestions").json()

    assert [s["text"] for s in answer["suggestions"]] == [
        "Hello, Ann here. I'm checking order 10410 for you."
    ]


def test_a_model_that_cannot_load_makes_suggestions_unavailable(console, database):
    console.staff("ann")
    conversation_id = console.handoff("broken")

    def broken() -> WordEmbedder:
        raise OSError("no weights")

    install(console, broken).start().result(timeout=30)
    answer = console.get("ann", f"/conversations/{conversation_id}/suggestions")

    assert answer.status_code == 200
    assert answer.json()["status"] == "unavailable"
    assert answer.json()["suggestions"] == []


def test_unknown_conversations_and_messages_of_another_are_404(console, database):
    console.staff("ann")
    install(console, WordEmbedder).start().result(timeout=30)
    mine = console.handoff("mine")
    other = console.handoff("other")
    with database.session() as db_session:
        other_message = answered_message(db_session, other)
        assert other_message is not None
        other_id = other_message.id

    missing = console.get("ann", "/conversations/web-nope/suggestions")
    assert missing.status_code == 404
    assert codes(missing) == ["conversation_not_found"]
    foreign = console.get("ann", f"/conversations/{mine}/suggestions?message_id={other_id}")
    assert foreign.status_code == 404
    assert codes(foreign) == ["message_not_found"]


def test_suggestions_need_a_login(client):
    assert client.get("/api/console/conversations/web-x/suggestions").status_code == 401

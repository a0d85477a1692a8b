"""Canned replies through the console API: who may add, change and delete them, what the form
is told when a title or text is wrong, search, and placeholders filled from a conversation."""

from __future__ import annotations

import pytest

from tests.api.helpers import codes
from tests.factories import make_customer
from ticketing.conversations.models import Conversation
from ticketing.staff.models import StaffRole


@pytest.fixture
def staff(console):
    console.staff("ann")
    console.staff("max", StaffRole.MANAGER)
    console.staff("ada", StaffRole.ADMIN)
    return console


def create(console, username: str, title: str, text: str = "Some text."):
    return console.post(username, "/canned-replies", {"title": title, "text": text})


def titles(console, query: str | None = None) -> list[str]:
    path = "/canned-replies" + (f"?q={query}" if query is not None else "")
    response = console.get("ann", path)
    assert response.status_code == 200, response.text
    return [r["title"] for r in response.json()]


def test_managers_and_admins_add_change_and_delete_agents_only_read(staff):
    made = create(staff, "max", "Refund sent", "Your refund is on its way.")
    assert made.status_code == 201, made.text
    reply_id = made.json()["id"]
    assert create(staff, "ada", "Greeting", "Hello!").status_code == 201

    assert create(staff, "ann", "Mine").status_code == 403
    change = {"title": "Refund sent", "text": "Changed by an agent"}
    assert (
        staff.client.put(
            f"/api/console/canned-replies/{reply_id}", json=change, headers=staff.headers("ann")
        ).status_code
        == 403
    )
    assert (
        staff.client.delete(
            f"/api/console/canned-replies/{reply_id}", headers=staff.headers("ann")
        ).status_code
        == 403
    )
    assert titles(staff) == ["Greeting", "Refund sent"]

    changed = staff.put(
        "max", f"/canned-replies/{reply_id}", {"title": "Refund resent", "text": "Sent again."}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() == {
        "id": reply_id,
        "title": "Refund resent",
        "text": "Sent again.",
        "filled": None,
        "missing": [],
    }
    deleted = staff.client.delete(
        f"/api/console/canned-replies/{reply_id}", headers=staff.headers("max")
    )
    assert deleted.status_code == 204
    assert titles(staff) == ["Greeting"]
    gone = staff.client.delete(
        f"/api/console/canned-replies/{reply_id}", headers=staff.headers("max")
    )
    assert gone.status_code == 404
    assert codes(gone) == ["canned_reply_not_found"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"title": "", "text": "x"}, "title", "Give the reply a title."),
        ({"title": "   ", "text": "x"}, "title", "Give the reply a title."),
        (
            {"title": "t" * 101, "text": "x"},
            "title",
            "The title is 101 characters long; at most 100 fit.",
        ),
        ({"title": "Fine", "text": " \n "}, "text", "Write the reply's text."),
        (
            {"title": "Fine", "text": "x" * 4001},
            "text",
            "The text is 4001 characters long; a message holds at most 4000.",
        ),
    ],
)
def test_a_wrong_title_or_text_is_refused_naming_the_field(staff, body, field, message):
    response = staff.post("max", "/canned-replies", body)

    assert response.status_code == 422, response.text
    problems = response.json()["detail"]
    assert [(p["loc"], p["msg"]) for p in problems] == [(["body", field], message)]
    assert titles(staff) == []


def test_titles_are_unique_whatever_their_case(staff):
    first = create(staff, "max", "Refund sent").json()
    create(staff, "max", "Greeting")

    taken = create(staff, "max", "  refund   SENT ")
    assert taken.status_code == 409
    assert codes(taken) == ["title_taken"]
    renamed = staff.put("max", f"/canned-replies/{first['id']}", {"title": "greeting", "text": "x"})
    assert renamed.status_code == 409
    same = staff.put("max", f"/canned-replies/{first['id']}", {"title": "Refund Sent", "text": "y"})
    assert same.status_code == 200  # its own title, in another case, is fine
    assert titles(staff) == ["Greeting", "Refund Sent"]


def test_a_title_is_stored_without_extra_spaces(staff):
    made = create(staff, "max", "  Late   parcel ", "  We are on it.  ").json()
    assert (made["title"], made["text"]) == ("Late parcel", "We are on it.")


def test_search_finds_the_words_in_the_title_or_the_text_in_any_case(staff):
    create(staff, "max", "Refund sent", "Your money is on its way.")
    create(staff, "max", "Greeting", "Hello! How can I help?")
    create(staff, "max", "Discount", "Take 100% off_the next order")

    assert titles(staff, "REFUND") == ["Refund sent"]
    assert titles(staff, "money") == ["Refund sent"]
    assert titles(staff, "hel") == ["Greeting"]
    assert titles(staff, "100%") == ["Discount"]  # % and _ are letters here, not wildcards
    assert titles(staff, "%") == ["Discount"]
    assert titles(staff, "f_t") == ["Discount"]
    assert titles(staff, "nothing like it") == []
    assert titles(staff, "") == ["Discount", "Greeting", "Refund sent"]


def test_placeholders_are_filled_from_the_conversation_and_unknown_ones_stay(staff, database):
    conversation_id = staff.handoff("jonas")
    with database.session(write=True) as db_session:
        jonas = make_customer(db_session, name="Jonas Weber")
        conversation = db_session.get(Conversation, conversation_id)
        conversation.customer_id = jonas.id
        conversation.context = {**conversation.context, "order_number": "10410"}
    anonymous_id = staff.handoff("nobody")
    text = "Hi {customer_name}, order {order_number} is sorted. {agent_name} {voucher_code}"
    create(staff, "max", "Sorted", text)

    response = staff.get("ann", f"/canned-replies?conversation_id={conversation_id}")
    assert response.status_code == 200, response.text
    [reply] = response.json()
    assert reply["text"] == text  # as written, for the editor
    assert reply["filled"] == "Hi Jonas Weber, order 10410 is sorted. Ann {voucher_code}"
    assert reply["missing"] == ["{voucher_code}"]

    [other] = staff.get("ann", f"/canned-replies?conversation_id={anonymous_id}").json()
    assert (
        other["filled"] == "Hi {customer_name}, order {order_number} is sorted. Ann {voucher_code}"
    )
    assert other["missing"] == ["{customer_name}", "{order_number}", "{voucher_code}"]


def test_filling_for_an_unknown_conversation_is_404(staff):
    create(staff, "max", "Greeting", "Hello {customer_name}")
    response = staff.get("ann", "/canned-replies?conversation_id=web-nope")
    assert response.status_code == 404
    assert codes(response) == ["conversation_not_found"]


def test_canned_replies_need_a_login(client):
    assert client.get("/api/console/canned-replies").status_code == 401
    body = {"title": "x", "text": "y"}
    assert client.post("/api/console/canned-replies", json=body).status_code == 401

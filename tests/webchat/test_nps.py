"""NPS in the web chat: the widget's stars finish the rating, the question arrives as a message
with 11 generic buttons, and a button's answer (sent like any button) is stored once."""

from __future__ import annotations

from sqlalchemy import select

from ticketing.conversations.hub_core import NPS_ALREADY_ANSWERED, NPS_THANKS
from ticketing.feedback.nps_models import NpsAnswer


def resolved_chat(client, new_chat, agent_id):
    chat = new_chat(client)
    chat.send("My parcel never came")  # the bot is down: a person takes over
    hub = client.app.state.hub
    client.portal.call(hub.agent_reply, chat.conversation_id, agent_id, "Sorry! It's resent.")
    client.portal.call(hub.resolve, chat.conversation_id, agent_id)
    return chat


def test_the_stars_are_followed_by_the_question_and_a_button_answers_it(
    client, new_chat, agent_id, database
):
    chat = resolved_chat(client, new_chat, agent_id)
    before = chat.history()["messages"][-1]["id"]

    rating = client.post("/chat/api/rating", json={"score": 5}, headers=chat.headers)

    assert rating.status_code == 200, rating.text
    assert rating.json()["conversation"]["csat_state"] == "done"
    [question] = chat.history(after=before)["messages"]
    assert "how likely" in question["text"]
    assert question["custom"] == {"type": "nps", "min": 0, "max": 10}
    nine = question["buttons"][9]
    assert nine == {"title": "9", "payload": '/nps{"score":9}'}

    answer = chat.send(nine["title"], payload=nine["payload"], client_id="press-1")
    retry = chat.send(nine["title"], payload=nine["payload"], client_id="press-1")  # same id
    again = chat.send(nine["title"], payload=nine["payload"], client_id="press-2")  # new id

    assert answer.status_code == 200, answer.text
    assert [m["text"] for m in answer.json()["messages"]] == ["9", NPS_THANKS]
    assert retry.json()["messages"] == answer.json()["messages"]
    assert [m["text"] for m in again.json()["messages"]] == ["9", NPS_ALREADY_ANSWERED]
    with database.session() as db_session:
        [stored] = db_session.scalars(select(NpsAnswer))
        assert (stored.score, stored.channel, stored.agent_id) == (9, "web", agent_id)
        assert stored.conversation_id == chat.conversation_id


def test_rating_again_does_not_ask_twice(client, new_chat, agent_id):
    chat = resolved_chat(client, new_chat, agent_id)
    client.post("/chat/api/rating", json={"score": 2}, headers=chat.headers)
    before = chat.history()["messages"][-1]["id"]

    changed = client.post("/chat/api/rating", json={"score": 4}, headers=chat.headers)

    assert changed.status_code == 200
    assert chat.history(after=before)["messages"] == []
    assert chat.send("8").json()["messages"][-1]["text"] == NPS_THANKS  # still waiting

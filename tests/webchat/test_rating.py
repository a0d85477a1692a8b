"""The rating request after resolution: stars and a comment from the widget."""

from __future__ import annotations

from sqlalchemy import select

from tests.api.helpers import codes
from tests.contract import assert_documented
from ticketing.feedback.models import CsatRating


def test_stars_and_a_comment_are_stored_with_the_agent(client, new_chat, agent_id, database):
    chat = new_chat(client)
    chat.send("My parcel never came")  # the bot is down: a person takes over
    rate = {"score": 4, "comment": "Quick and friendly 👍"}
    early = client.post("/chat/api/rating", json=rate, headers=chat.headers)
    assert (early.status_code, codes(early)) == (409, ["not_rateable"])
    hub = client.app.state.hub
    client.portal.call(hub.agent_reply, chat.conversation_id, agent_id, "Sorry! It's resent.")
    client.portal.call(hub.resolve, chat.conversation_id, agent_id)
    request = chat.history()["messages"][-1]
    assert request["custom"] == {"type": "csat", "scale": 5}
    response = client.post("/chat/api/rating", json=rate, headers=chat.headers)
    assert response.status_code == 200, response.text
    assert response.json()["conversation"]["csat_state"] == "done"
    with database.session() as db_session:
        query = select(CsatRating).where(CsatRating.conversation_id == chat.conversation_id)
        [rating] = db_session.scalars(query)
        assert (rating.score, rating.comment, rating.channel) == (4, rate["comment"], "web")
        assert rating.agent_id == agent_id


def test_a_rating_needs_a_score_from_1_to_5(client, new_chat):
    chat = new_chat(client)
    for body in ({"score": 6}, {"score": 0}, {"comment": "no score"}, {"score": "five"}):
        response = client.post("/chat/api/rating", json=body, headers=chat.headers)
        assert (response.status_code, codes(response)) == (422, ["invalid_input"]), body
    nothing = client.post("/chat/api/rating", json={"score": 5}, headers=chat.headers)
    assert (nothing.status_code, codes(nothing)) == (409, ["not_rateable"])


def test_a_refused_rating_is_declared_in_the_schema(client, new_chat):
    chat = new_chat(client)
    too_early = client.post("/chat/api/rating", json={"score": 5}, headers=chat.headers)
    out_of_range = client.post("/chat/api/rating", json={"score": 6}, headers=chat.headers)
    assert [too_early.status_code, out_of_range.status_code] == [409, 422]
    for response in (too_early, out_of_range):
        assert_documented(client, response)

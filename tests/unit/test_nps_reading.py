"""Reading the customer's reply to the NPS question: typed answers as customers write them are
stored, two numbers or an out-of-range one are asked again, a "no thanks" declines, and
anything that is not a score (a new request, an order number, a price, a long message) is
passed on. Table: what the customer typed -> what the hub makes of it."""

from __future__ import annotations

import time

import pytest

from ticketing.conversations.nps_survey import NpsReading, is_button_press, read_answer

AGAIN = "again"  # NPS_INVALID: the question again, nothing stored
DECLINED = "declined"  # NPS_DECLINED: the question closes, nothing goes to the bot
PASSED_ON = "passed on"  # not an answer: the question is skipped, the bot gets the message

ANSWERS: list[tuple[str, int | str]] = [
    # stored
    ("7", 7),
    ("0", 0),
    ("10", 10),
    ("9 i guess", 9),
    ("I'd say 8", 8),
    ("probably a 7!", 7),
    ("8 out of 10", 8),
    ("8/10", 8),
    (" 9 / 10 ", 9),
    ("7.", 7),
    ("a solid 9", 9),
    ("10 definitely", 10),
    ("nine", 9),
    ("Ten out of ten!", 10),
    ("I\u2019d give you a ten", 10),
    ("zero, sorry", 0),
    ("hmm... 6", 6),
    ("9, delivery was a bit slow", 9),
    ("10/10 would recommend", 10),
    ("5 stars", 5),
    ("8 8 8", 8),
    ("24/7 support, so a 9", 9),
    ("Honestly? 8", 8),
    ("9\ufe0f\u20e3", 9),  # the keycap emoji
    # asked again
    ("maybe 6 or 7", AGAIN),
    ("6 or 7", AGAIN),
    ("between 7 and 8", AGAIN),
    ("7-8", AGAIN),
    ("i'd say 7/8", AGAIN),
    ("eight... no, nine", AGAIN),
    ("11", AGAIN),
    ("100", AGAIN),
    ("-1", AGAIN),
    ("7.5", AGAIN),
    ("I'd say 11", AGAIN),
    # declined
    ("no", DECLINED),
    ("No thanks", DECLINED),
    ("no, thank you!", DECLINED),
    ("nope", DECLINED),
    ("skip", DECLINED),
    ("Skip it please", DECLINED),
    ("rather not", DECLINED),
    ("I'd rather not say", DECLINED),
    ("no comment", DECLINED),
    ("don't want to", DECLINED),
    ("I dont want to answer", DECLINED),
    ("later", DECLINED),
    ("maybe later, bye", DECLINED),
    ("not now \U0001f642", DECLINED),
    # passed on to the bot
    ("actually, where is my other order?", PASSED_ON),
    ("where is order 10410", PASSED_ON),
    ("my order 10410 never came", PASSED_ON),
    ("order #5 is missing", PASSED_ON),
    ("my email is ada7@example.com", PASSED_ON),
    ("call me on +31 6 1234 5678", PASSED_ON),
    ("555-123-4567", PASSED_ON),
    ("it was delivered on 12/03/2024", PASSED_ON),
    ("on 3 March", PASSED_ON),
    ("at 9:30", PASSED_ON),
    ("it cost 30 euros", PASSED_ON),
    ("I paid $7", PASSED_ON),
    ("100%", PASSED_ON),
    ("24/7", PASSED_ON),
    ("it took 3 days", PASSED_ON),
    ("two items are missing", PASSED_ON),
    ("one more thing", PASSED_ON),
    ("I have one more question", PASSED_ON),
    ("can I change the address to 5 Main Street", PASSED_ON),
    ("what does 10 mean?", PASSED_ON),
    ("yes", PASSED_ON),
    ("ok", PASSED_ON),
    ("\U0001f600\U0001f44d", PASSED_ON),
    ("", PASSED_ON),
    ("   ", PASSED_ON),
    (
        "My parcel arrived damaged and I would like a refund, I'd rate you 2 for this " * 2,
        PASSED_ON,
    ),
    ("9" + " " * 100, 9),  # trailing spaces do not make it long
    ("9 " * 60, PASSED_ON),
    ("x" * 10_000 + " 9", PASSED_ON),
]


def outcome(reading: NpsReading | None) -> int | str:
    if reading is None:
        return PASSED_ON
    if reading.declined:
        return DECLINED
    return AGAIN if reading.score is None else reading.score


@pytest.mark.parametrize(("typed", "expected"), ANSWERS, ids=[t[:40] for t, _ in ANSWERS])
def test_a_typed_reply(typed: str, expected: int | str) -> None:
    assert outcome(read_answer(typed, None)) == expected


def test_the_table_covers_every_outcome() -> None:
    outcomes = [expected for _, expected in ANSWERS]
    for kind in (AGAIN, DECLINED, PASSED_ON):
        assert outcomes.count(kind) >= 8, kind
    assert sum(isinstance(o, int) for o in outcomes) >= 20


@pytest.mark.parametrize(
    ("text", "payload", "expected"),
    [
        (None, '/nps{"score":7}', 7),
        ("7", '/nps{"score":3}', 3),  # the button's payload, not its title
        ('/nps{"score":0}', None, 0),
        ("/nps 4", None, 4),
        (None, '/nps{"score":12}', AGAIN),
        (None, '/nps{"score":"7"}', AGAIN),
        (None, '/nps{"score":true}', AGAIN),
        (None, '/nps{"score":7.0}', AGAIN),
        (None, "/nps[7]", AGAIN),
        (None, "/nps{oops", AGAIN),
        (None, "/nps", AGAIN),
        (None, "/nps" + "[" * 100_000, AGAIN),  # too deep for json: no RecursionError
        (None, '/nps{"score":' + "9" * 5000 + "}", AGAIN),
        ("9", "/affirm", PASSED_ON),  # another button's press, whatever its title
        (None, "/csat 4", PASSED_ON),
        (None, None, PASSED_ON),
    ],
)
def test_a_button_press(text: str | None, payload: str | None, expected: int | str) -> None:
    assert outcome(read_answer(text, payload)) == expected


def test_only_nps_payloads_are_nps_button_presses() -> None:
    assert is_button_press(None, '/nps{"score":7}')
    assert is_button_press(" /nps 7", None)
    assert not is_button_press("7", None)
    assert not is_button_press("9", "/affirm")


@pytest.mark.parametrize(
    "typed",
    [
        "no " * 33,
        "1 " * 50,
        "9" * 100,
        "+" + "1 " * 49,
        "7/" * 50,
        "x" * 10_000,
        "\U0001f600" * 10_000,
    ],
)
def test_awkward_messages_are_read_quickly(typed: str) -> None:
    started = time.perf_counter()
    read_answer(typed, None)
    assert time.perf_counter() - started < 0.5  # no runaway backtracking

"""actions/mood.py: a small, explainable anger score."""

from __future__ import annotations

import time

import pytest

from actions.mood import anger_score, is_angry


@pytest.mark.parametrize(
    ("text", "score"),
    [
        (None, 0),
        ("", 0),
        ("where is my order?", 0),
        ("hello, can you help me", 0),  # "hell" only as a word
        ("I'd like to return a plate", 0),
        ("thanks! great service!", 0),
        ("Order 10234 please", 0),
        ("😀😀😀", 0),
        ("😡😡😡", 0),
        ("is this a joke?", 1),
        ("this is unacceptable", 1),
        ("WHERE IS MY PARCEL", 1),  # shouting: 12+ letters, mostly capitals
        ("WHERE IS IT", 0),  # too short to count as shouting
        ("where is it!!", 1),
        ("this is ridiculous, the worst service ever", 2),
        ("WTF, this is a SCAM!!", 3),
        ("THIS IS RIDICULOUS!!", 3),
        ("Unacceptable. Disgusting. Pathetic.", 3),
        ("I will get a lawyer and sue you", 2),
        ("rip off", 1),
    ],
)
def test_anger_score(text: str | None, score: int) -> None:
    assert anger_score(text) == score


@pytest.mark.parametrize(
    ("text", "angry"),
    [
        ("this is unacceptable", False),
        ("this is unacceptable!!", True),
        ("furious and fed up", True),
        ("", False),
        (None, False),
    ],
)
def test_is_angry(text: str | None, angry: bool) -> None:
    assert is_angry(text) is angry


def test_a_long_calm_text_is_calm() -> None:
    assert anger_score("please help me with my order. " * 400) == 0


def test_a_long_angry_text_is_scored_quickly() -> None:
    text = ("this is the worst, a total scam!! " * 300)[:10_000]
    started = time.perf_counter()
    assert anger_score(text) >= 3
    assert anger_score("A" * 10_000) == 1
    assert anger_score("😡" * 10_000) == 0
    assert time.perf_counter() - started < 1.0

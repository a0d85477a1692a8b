"""benchmarks/simulation/repeats.py: the one-answer-per-fact check finds the repetitions and
contradictions issue 21 quoted, and passes the replies the bot gives now."""

from __future__ import annotations

import pytest

from benchmarks.simulation.repeats import in_transcript, in_turn

ISSUE_21_REPLIES = [
    (
        [
            "Order 10848 (2 × Leather sneakers) is on its way.",
            "Order 10848 is on its way with GLS and should arrive by December 7. Carrier GLS, "
            "tracking number 123456789012, promised for 2026-12-07.",
        ],
        "said twice: 'on its way'",
    ),
    (
        ["Your return number (RMA) is RMA-323114. Your return number is RMA-323114."],
        "return number twice: RMA-323114",
    ),
    (
        ["Order 10848 is on its way. It seems to be lost in transit."],
        "contradiction: 'on its way' and 'lost in transit'",
    ),
    (["I've opened ticket T-1042.", "Ticket T-1042 is with our team."], "ticket number twice"),
    (["Thanks for waiting.", "Thanks  for waiting!"], "sentence twice: 'thanks for waiting'"),
]


@pytest.mark.parametrize(("texts", "finding"), ISSUE_21_REPLIES)
def test_the_repetitions_the_issue_quoted_are_found(texts: list[str], finding: str) -> None:
    assert any(finding in found for found in in_turn(texts)), in_turn(texts)


@pytest.mark.parametrize(
    "texts",
    [
        # today's order status: the tracking number is also in its link, said once in words
        [
            "Order 10848 (2 × Leather sneakers) is on its way with GLS and should arrive by "
            "Monday 7 December. Tracking number 123456789012: "
            "https://gls-group.eu/track/123456789012"
        ],
        # the order number may come back in the question
        [
            "Order 10848 was due on Monday 7 December and is 3 days late.",
            "I'm sorry it's late. Shall I open a delivery ticket for order 10848?",
        ],
        ["Shall I?", "Shall I?"],  # too short to count as a repeated sentence
        [],
        ["", "🙂"],
    ],
)
def test_one_answer_per_fact_passes(texts: list[str]) -> None:
    assert in_turn(texts) == []


def test_a_transcript_is_checked_turn_by_turn() -> None:
    transcript = [
        "> where is 10848",
        "< Order 10848 is on its way. [Yes | No]",
        "> and the other one?",
        "< Order 10849 is on its way.",
        "< Order 10849 is on its way.",
    ]
    # the first turn's "on its way" is not counted with the second turn's
    assert in_transcript(transcript) == [
        "after 'and the other one?': sentence twice: 'order 10849 is on its way'",
        "after 'and the other one?': said twice: 'on its way'",
    ]

"""The pure parts of benchmarks/learning: the traffic/held-out split, the row behind an inbox
item, how a manager's labelling is counted, and the held-out scores."""

from __future__ import annotations

import pytest

from benchmarks.learning import rows as rowlib
from benchmarks.learning.scores import Parsed, by_source, score
from tests.hub.helpers import rest_id


def make(texts: list[str], source: str = "hint3", intent: str = "order_status") -> list[rowlib.Row]:
    return [rowlib.Row(source, n, text, intent) for n, text in enumerate(texts, start=1)]


TEXTS = [f"where is my order number {n} please" for n in range(400)]


def test_the_split_is_stable_whatever_the_order_and_spelling() -> None:
    rows = make(TEXTS)
    traffic, held = rowlib.split(rows)
    again_traffic, again_held = rowlib.split(list(reversed(rows)))
    assert {r.text for r in held} == {r.text for r in again_held}
    assert {r.text for r in traffic} == {r.text for r in again_traffic}
    # about 40 % held out, and the same text held out however it is spelled
    assert 0.3 < len(held) / len(rows) < 0.5
    for row in held[:20]:
        shouted = row.text.upper() + "!!"
        assert rowlib.is_held_out(shouted)
    assert rowlib.position("Where is my order?") == rowlib.position("where is my order")


def test_each_text_once_and_texts_labelled_two_ways_left_out() -> None:
    pairs = [
        ("Where is my order?", "order_status"),
        ("where is my  order", "order_status"),  # the same text again
        ("Cancel it", "cancel_order"),
        ("cancel it!", "out_of_scope"),  # the source disagrees with itself
        ("   ", "order_status"),
        ("EMI option", "out_of_scope"),
    ]
    kept, dropped = rowlib.unique_rows("abcd", pairs)
    assert [(r.line, r.text, r.intent) for r in kept] == [
        (1, "Where is my order?", "order_status"),
        (6, "EMI option", "out_of_scope"),
    ]
    assert dropped == {"duplicate": 1, "conflicting_labels": 2, "empty": 1}
    assert rowlib.check_intents(kept, ["order_status"]) == ["out_of_scope"]


def test_an_inbox_item_maps_to_the_row_of_its_conversation() -> None:
    a, b = make(["my parcel is late", "emi option"])
    conversations = {rest_id(row.sender): row for row in (a, b)}
    assert len(conversations) == 2 and a.sender == "learn-hint3-1"
    items = [
        rowlib.Item(7, rest_id(b.sender), "emi option"),
        rowlib.Item(8, rest_id(a.sender), "my parcel is {order_number}"),  # masked text
        rowlib.Item(9, "rest-someone-else", "hello"),
    ]
    found, unknown = rowlib.rows_of_items(items, conversations)
    assert found == {7: b, 8: a}
    assert unknown == [9]


def test_a_cluster_of_one_label_is_one_action_a_mixed_one_item_by_item() -> None:
    clusters = [[1, 2, 3], [4, 5], [6], [7, 8]]
    label_of = {
        1: "late_delivery",
        2: "late_delivery",
        3: "late_delivery",
        4: "order_status",
        5: "out_of_scope",
        6: "out_of_scope",
        7: "refund_request",
        # 8 has no row: it is not labelled, and its cluster is not labelled whole
    }
    actions = rowlib.plan(clusters, label_of)
    assert [(a.item_ids, a.intent, a.whole_cluster) for a in actions] == [
        ((1, 2, 3), "late_delivery", True),
        ((4,), "order_status", False),
        ((5,), "out_of_scope", False),
        ((6,), "out_of_scope", False),
        ((7,), "refund_request", False),
    ]
    assert sum(len(a.item_ids) for a in actions) == 7
    assert rowlib.actions_if_split_by_label(clusters, label_of) == 5
    assert rowlib.decision("out_of_scope") == ("out_of_scope", None)
    assert rowlib.decision("late_delivery") == ("intent", "late_delivery")


def test_held_out_scores_count_a_fallback_as_not_acting() -> None:
    rows = [
        Parsed("hint3", "order_status", "order_status", 0.9, "order_status"),  # right
        Parsed("hint3", "order_status", "nlu_fallback", 0.4, "order_status"),  # asked
        Parsed("hint3", "out_of_scope", "out_of_scope", 0.8, "out_of_scope"),  # right
        Parsed("abcd", "out_of_scope", "nlu_fallback", 0.4, "complaint"),  # not acted on
        Parsed("abcd", "out_of_scope", "complaint", 0.7, "complaint"),  # acted wrongly
        Parsed("abcd", "refund_request", "cancel_order", 0.3, "cancel_order"),  # under 0.4
    ]
    overall = score(rows, 0.4)
    assert overall["in_scope_accuracy"] == pytest.approx(1 / 3, abs=1e-4)
    assert overall["in_scope_accuracy_strict"] == pytest.approx(2 / 3, abs=1e-4)
    assert overall["in_scope_not_acted"] == pytest.approx(2 / 3, abs=1e-4)  # rows 2 and 6
    assert overall["in_scope_wrong_intent"] == 0.0
    assert overall["oos_recall"] == pytest.approx(2 / 3, abs=1e-4)
    # not acted on: the fallbacks (rows 2, 4, 6) and the confident out of scope (row 3)
    assert overall["oos_precision"] == 0.5
    assert overall["fallback_rate"] == 0.5
    assert overall["out_of_scope_share"] == pytest.approx(1 / 6, abs=1e-4)
    assert overall["misunderstood_share"] == pytest.approx(4 / 6, abs=1e-4)
    parts = by_source(rows, 0.4)
    assert set(parts) == {"hint3", "abcd", "overall"}
    assert parts["hint3"]["rows"] == 3 and parts["abcd"]["in_scope_rows"] == 1

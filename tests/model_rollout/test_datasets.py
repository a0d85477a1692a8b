"""The fixed test rows: the same labelled rows held out every time, nothing either model
trained on, each text once; Bitext capped per intent the same way every run."""

from __future__ import annotations

from pathlib import Path

import yaml

from ticketing.model_rollout.datasets import (
    Row,
    _capped,
    fixed_test,
    is_held_out,
    normalise,
    project_rows,
    split_labelled,
    write_test_file,
)


def _rows(count: int, intent: str = "order_status") -> list[Row]:
    return [Row("labelled", f"where is parcel number {n}?", intent) for n in range(count)]


def test_the_held_out_share_is_chosen_by_text_and_stable() -> None:
    rows = _rows(1000)
    trained, held = split_labelled(rows, 0.2)
    assert 150 < len(held) < 250  # a hash, not a count: about a fifth
    assert len(trained) + len(held) == 1000
    again_trained, again_held = split_labelled(list(reversed(rows)), 0.2)
    assert {r.text for r in again_held} == {r.text for r in held}  # order does not matter
    # Case, punctuation and spacing do not move a text to the other side.
    assert all(is_held_out("  " + r.text.upper().rstrip("?") + " !", 0.2) for r in held)
    assert split_labelled(rows, 0.0) == (rows, [])


def test_a_larger_share_holds_out_a_superset() -> None:
    small = {r.text for r in split_labelled(_rows(300), 0.1)[1]}
    large = {r.text for r in split_labelled(_rows(300), 0.3)[1]}
    assert small < large


def test_rows_a_model_trained_on_are_left_out_and_texts_counted_once() -> None:
    rows = [
        Row("labelled", "Where is my parcel?", "order_status"),
        Row("bitext", "where is my parcel", "order_status"),  # the same text again
        Row("hint3", "I want my money back!", "refund_request"),
        Row("abcd", "cancel it", "cancel_order"),
    ]
    kept, dropped = fixed_test(rows, trained={normalise("i want my money back")})
    assert [(r.source, r.text) for r in kept] == [
        ("labelled", "Where is my parcel?"),
        ("abcd", "cancel it"),
    ]
    assert dropped == 1


def test_bitext_is_capped_per_intent_the_same_way_every_time() -> None:
    rows = _rows(50, "order_status") + _rows(3, "cancel_order")
    capped = _capped(rows, 10)
    assert sum(r.intent == "order_status" for r in capped) == 10
    assert sum(r.intent == "cancel_order" for r in capped) == 3
    assert _capped(list(reversed(rows)), 10) == capped


def test_project_rows_read_the_datasets_and_skip_missing_ones(tmp_path: Path) -> None:
    pool = tmp_path / "pool.csv"
    pool.write_text(
        "text,intent\nwhat is your refund policy,refund_policy\n  ,order_status\n", "utf-8"
    )
    rows = project_rows(5, {"bitext": pool, "hint3": tmp_path / "missing.csv"})
    assert rows == [Row("bitext", "what is your refund policy", "ask_policy")]


def test_the_test_file_is_rasa_nlu_yaml(tmp_path: Path) -> None:
    path = tmp_path / "test.yml"
    write_test_file(path, [('say "hi": now', "greet"), ("where is it", "order_status")])
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["version"] == "3.1"
    assert [block["intent"] for block in data["nlu"]] == ["greet", "order_status"]
    assert "say" in data["nlu"][0]["examples"]

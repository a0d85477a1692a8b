"""The comparison gate on evaluation results: refuses a candidate worse overall or on one
intent by more than the margin; small intents cannot block; larger margins let more through."""

from __future__ import annotations

import pytest

from tests.model_rollout.factories import THRESHOLD, balanced, scores
from ticketing.model_rollout.evaluate import Prediction, score
from ticketing.model_rollout.gate import OVERALL, Rules, changes, judge
from ticketing.model_rollout.report import report_lines


def test_an_equal_candidate_passes() -> None:
    verdict = judge({"cv": (balanced(), balanced())}, Rules())
    assert verdict.passed and verdict.worse == []


def test_a_candidate_worse_overall_is_refused() -> None:
    old = balanced({"order_status": 1, "return_item": 1, "complaint": 1})
    new = balanced({"order_status": 3, "return_item": 3, "complaint": 3})  # 95% -> 85%
    verdict = judge({"cv": (old, new)}, Rules(margin=0.02, min_support=5))
    assert not verdict.passed
    overall = [c for c in verdict.worse if c.subject == OVERALL]
    assert {c.metric for c in overall} == {"accuracy", "live_accuracy"}
    assert overall[0].old == pytest.approx(0.95) and overall[0].new == pytest.approx(0.85)


def test_one_worse_intent_refuses_a_candidate_better_overall() -> None:
    old = balanced({"order_status": 6, "return_item": 6, "complaint": 0})
    new = balanced({"order_status": 0, "return_item": 0, "complaint": 4})
    assert new.accuracy > old.accuracy
    verdict = judge({"fixed test": (old, new)}, Rules(margin=0.02, min_support=5))
    assert not verdict.passed
    assert [c.subject for c in verdict.worse] == ["complaint"]
    assert verdict.worse[0].evaluation == "fixed test"


def test_any_evaluation_can_refuse() -> None:
    worse = balanced({"complaint": 5})
    verdict = judge({"cv": (balanced(), balanced()), "fixed test": (balanced(), worse)}, Rules())
    assert not verdict.passed
    assert {c.evaluation for c in verdict.worse} == {"fixed test"}


def test_the_margin_is_how_much_worse_is_tolerated() -> None:
    old, new = balanced(), balanced({"complaint": 1})  # complaint F1 1.0 -> ~0.974
    assert not judge({"cv": (old, new)}, Rules(margin=0.02)).passed
    assert judge({"cv": (old, new)}, Rules(margin=0.03)).passed


def test_exactly_the_margin_is_not_worse_than_it() -> None:
    old = scores(("a", "a", 100))
    new = scores(("a", "a", 98), ("a", "b", 2))  # accuracy 1.00 -> 0.98
    assert judge({"cv": (old, new)}, Rules(margin=0.02, min_support=1000)).passed
    assert not judge({"cv": (old, new)}, Rules(margin=0.019, min_support=1000)).passed


def test_an_intent_under_min_support_cannot_block() -> None:
    common = [("order_status", "order_status", 200)]
    old = scores(*common, ("rare", "rare", 4))
    new = scores(*common, ("rare", "rare", 2), ("rare", "order_status", 2))
    # Overall: 204 -> 202 right of 204 (-0.0098): within the margin; "rare" F1 drops by a third.
    assert judge({"cv": (old, new)}, Rules(margin=0.02, min_support=5)).passed
    refused = judge({"cv": (old, new)}, Rules(margin=0.02, min_support=4))
    assert [c.subject for c in refused.worse] == ["rare"]


def test_an_intent_the_candidate_lost_is_worse() -> None:
    old = scores(("a", "a", 50), ("b", "b", 10))
    new = scores(("a", "a", 50), ("b", "a", 10))
    worse = judge({"cv": (old, new)}, Rules(margin=0.5, min_support=5)).worse
    assert [(c.subject, c.new) for c in worse] == [("b", 0.0)]


def test_live_accuracy_counts_unsure_right_answers_as_misses() -> None:
    sure = scores(("a", "a", 10), confidence=0.9)
    unsure = scores(("a", "a", 10), confidence=THRESHOLD - 0.01)
    assert (sure.accuracy, unsure.accuracy) == (1.0, 1.0)
    assert (sure.live_accuracy, unsure.live_accuracy) == (1.0, 0.0)
    assert unsure.fallback_rate == 1.0
    verdict = judge({"cv": (sure, unsure)}, Rules())
    assert [c.metric for c in verdict.worse] == ["live_accuracy"]


def test_per_intent_scores_are_precision_recall_and_f1() -> None:
    rows = [Prediction("a", "a", 1.0)] * 3 + [Prediction("a", "b", 1.0), Prediction("b", "a", 1.0)]
    result = score(rows, 0.5)
    a = result.per_intent["a"]
    assert (a.support, a.precision, a.recall) == (4, 0.75, 0.75)
    assert a.f1 == pytest.approx(0.75)
    assert result.per_intent["b"].f1 == 0.0
    assert result.accuracy == 0.6


def test_changes_list_overall_then_every_intent() -> None:
    found = changes("cv", balanced(), balanced({"complaint": 2}))
    assert [c.subject for c in found][:2] == [OVERALL, OVERALL]
    assert {c.subject for c in found[2:]} == {"order_status", "return_item", "complaint", "other"}


def test_the_report_marks_what_refused_the_candidate() -> None:
    old, new = balanced(), balanced({"complaint": 5, "order_status": 1})
    verdict = judge({"cv": (old, new)}, Rules())
    text = "\n".join(report_lines({"cv": (old, new)}, verdict))
    complaint = next(line for line in text.splitlines() if line.strip().startswith("complaint"))
    assert "WORSE" in complaint and "-0.143" in complaint
    assert "gate: REFUSED" in text
    assert "cv: complaint F1 1.000 -> 0.857" in text

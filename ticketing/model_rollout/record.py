"""The evaluation of a candidate, saved beside it (`<model>.evaluation.json`) so that
`activate` can apply the gate later (with its own margin) without evaluating again."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ticketing.model_rollout.evaluate import Scores


@dataclass(frozen=True)
class Evaluation:
    """`candidate` compared with `baseline` (absolute paths); `evaluations`: name -> (old, new)."""

    candidate: str
    baseline: str
    created_at: str
    evaluations: dict[str, tuple[Scores, Scores]]
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate,
            "baseline": self.baseline,
            "created_at": self.created_at,
            "evaluations": {
                name: {"old": old.to_dict(), "new": new.to_dict()}
                for name, (old, new) in self.evaluations.items()
            },
            "details": self.details,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evaluation:
        return cls(
            candidate=data["candidate"],
            baseline=data["baseline"],
            created_at=data["created_at"],
            evaluations={
                name: (Scores.from_dict(pair["old"]), Scores.from_dict(pair["new"]))
                for name, pair in data["evaluations"].items()
            },
            details=data.get("details", {}),
        )


def evaluation_path(model: Path) -> Path:
    return model.with_name(model.name.removesuffix(".tar.gz") + ".evaluation.json")


def save(evaluation: Evaluation, model: Path) -> Path:
    path = evaluation_path(model)
    path.write_text(json.dumps(evaluation.to_dict(), indent=2) + "\n", encoding="utf-8")
    return path


def load(model: Path) -> Evaluation | None:
    """The saved evaluation of `model`, or None when it was never evaluated (or unreadable)."""
    path = evaluation_path(model)
    try:
        return Evaluation.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None

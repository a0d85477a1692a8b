"""What can go wrong in a rollout, each with a code and the next thing to do."""

from __future__ import annotations


class RolloutError(Exception):
    """A failure the command reports as `error: <message>` and `next: <hint>` (exit code 2)."""

    def __init__(self, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint

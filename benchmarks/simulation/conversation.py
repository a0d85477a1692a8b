"""One scenario end to end: pick its order, talk to the assistant through the hub's REST channel
(as an integration with the channel key, like the dialogue tests) until the customer is done,
then judge what the database says."""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
from sqlalchemy import select

from benchmarks.simulation import outcomes, repeats
from benchmarks.simulation.customer import Customer
from benchmarks.simulation.personas import Persona, Target, persona_for, target_of
from benchmarks.simulation.queries import Casting
from benchmarks.simulation.scenarios import SCENARIOS, Scenario
from tests.hub.helpers import CHANNEL_KEY, rest_id
from ticketing.db import Database
from ticketing.feedback.models import CsatRating
from ticketing.feedback.nps_models import NpsAnswer

MAX_TURNS = 30
REQUEST_SECONDS = 180.0
LIMITED_WAIT_SECONDS = 120.0  # 429s (the hub's per-address limit) are waited out this long


class HubChat:
    """One customer writing to the hub's `POST /webhooks/rest/webhook`."""

    def __init__(self, backend_url: str, sender: str) -> None:
        self.url = f"{backend_url}/webhooks/rest/webhook"
        self.sender = sender
        self.conversation_id = rest_id(sender)
        self.transcript: list[str] = []

    def say(self, text: str) -> list[dict[str, Any]]:
        self.transcript.append(f"> {text}")
        waited = 0.0
        while True:
            response = httpx.post(
                self.url,
                json={"sender": self.sender, "message": text},
                headers=CHANNEL_KEY,
                timeout=REQUEST_SECONDS,
            )
            if response.status_code != 429 or waited >= LIMITED_WAIT_SECONDS:
                break
            pause = float(response.headers.get("Retry-After") or 5)
            time.sleep(pause)
            waited += pause
        response.raise_for_status()
        replies: list[dict[str, Any]] = response.json()
        for reply in replies:
            buttons = [str(b.get("title")) for b in reply.get("buttons") or []]
            shown = f" [{' | '.join(buttons)}]" if buttons else ""
            self.transcript.append(f"< {reply.get('text', '')}{shown}")
        if not replies:
            self.transcript.append("< (nothing)")
        return replies

    def said(self) -> str:
        return " ".join(line[2:] for line in self.transcript if line.startswith("< ")).lower()


@dataclass
class Result:
    name: str
    flow: str
    goals: list[str]
    real_opening: dict[str, Any] | None
    passed: bool
    reason: str | None
    turns: int
    order: str | None
    order_query: str | None
    seconds: float
    notes: list[str] = field(default_factory=list)
    survey: dict[str, Any] = field(default_factory=dict)
    transcript: list[str] = field(default_factory=list)
    repeats: list[str] = field(default_factory=list)  # `repeats.in_transcript`: one answer per fact

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        if self.passed:
            data.pop("transcript")
        return data

    def report(self) -> str:
        head = f"{self.name}: {'PASS' if self.passed else 'FAIL'} ({self.reason or 'ok'})"
        return "\n".join([head, *self.notes, *self.repeats, *self.transcript])


def _persona(
    database: Database, scenario: Scenario, casting: Casting
) -> tuple[Persona | None, Target | None]:
    with database.session() as session:
        order = casting.order(session, scenario.name)
        if order is None:
            return None, None
        persona = persona_for(order)
    return persona, target_of(scenario.want, persona)


def casting_for(database: Database) -> Casting:
    """The orders of every scenario in the catalogue (see `Casting`)."""
    return Casting(database, [(s.name, s.order) for s in SCENARIOS])


def simulate(
    scenario: Scenario, *, backend_url: str, database: Database, seed: int, casting: Casting
) -> Result:
    """Run `scenario` against the assistant behind `backend_url` (whose database is
    `database`); `casting` says which order is the customer's."""
    started = time.monotonic()
    rng = random.Random(f"{seed}:{scenario.name}")
    persona, target = _persona(database, scenario, casting)
    chat = HubChat(backend_url, f"sim-{scenario.name}-{uuid.uuid4().hex[:8]}".replace("_", "-"))
    with database.session() as session:
        before = outcomes.snapshot(session, persona, chat.conversation_id)
    customer = Customer(scenario, persona, target, rng)
    message: str | None = customer.first_message()
    turns = 0
    error: str | None = None
    while message is not None and turns < MAX_TURNS:
        turns += 1
        try:
            replies = chat.say(message)
        except httpx.HTTPError as failure:
            error = f"the hub did not answer: {type(failure).__name__}: {failure}"
            break
        message = customer.reply(replies)
    with database.session() as session:
        now = outcomes.after(session, persona, chat.conversation_id, before, chat.said())
        now.told = customer.told
        rating = session.scalar(
            select(CsatRating).where(CsatRating.conversation_id == chat.conversation_id)
        )
        nps = session.scalar(
            select(NpsAnswer).where(NpsAnswer.conversation_id == chat.conversation_id)
        )
        survey = {
            "rating": rating.score if rating else None,
            "nps": nps.score if nps else None,
            "nps_asked": customer.nps_asked,
        }
    reason = error or customer.failure
    if reason is None and message is not None:
        reason = f"no end after {MAX_TURNS} turns"
    if reason is None:
        reason = outcomes.judge(scenario, persona, target, before, now)
    return Result(
        name=scenario.name,
        flow=scenario.flow,
        goals=list(scenario.goals),
        real_opening=scenario.real.describe() if scenario.real else None,
        passed=reason is None,
        reason=reason,
        turns=turns,
        order=persona.order_number if persona else None,
        order_query=scenario.order.description if scenario.order else None,
        seconds=round(time.monotonic() - started, 1),
        notes=customer.notes,
        survey=survey,
        transcript=chat.transcript,
        repeats=repeats.in_transcript(chat.transcript),
    )

"""The scripted customer: reads the bot's last message (text and buttons), recognises what it
asks, and answers from the persona's facts in one of several wordings. What it can't place it
answers as a confused customer would; the second time, the scenario fails."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from benchmarks.simulation import wordings as w
from benchmarks.simulation.goals import (
    GOALS,
    INSIST,
    INTENT_WORDS,
    PERSON_OFFER,
    REFUSAL,
    Goal,
)
from benchmarks.simulation.personas import Persona, Target
from benchmarks.simulation.recognise import Question, recognise
from benchmarks.simulation.scenarios import Scenario

MAX_CONFUSED = 2
MAX_SAME_QUESTION = 4  # asked this many times in a row (answered 3 times): the customer gives up
HANDED_OVER = (
    "passed this conversation to a colleague",
    "colleague already has this conversation",
    "colleague is already looking after",
    "passing you to a colleague",
    "pass you to a colleague.",
    "i'll get a colleague",
    "let me get a colleague",
)
GOODBYE = ("have a great day", "write any time")
BOT_DOWN = "i'm having trouble answering right now"  # the hub's words when Rasa fails


@dataclass
class GoalState:
    goal: Goal
    done: bool = False
    stated: bool = False
    restated: int = 0
    insisted: bool = False
    corrected: int = 0


@dataclass
class Customer:
    scenario: Scenario
    persona: Persona | None
    target: Target | None
    rng: random.Random
    goals: list[GoalState] = field(default_factory=list)
    current: int = 0
    confused: int = 0
    failure: str | None = None  # set when the simulator could not go on
    handed_off: bool = False
    finished: bool = False  # said it needs nothing more
    last_question: str = ""
    same_question: int = 0
    notes: list[str] = field(default_factory=list)
    rating: int = 5
    nps: int = 9
    nps_asked: bool = False
    address_attempts: int = 0
    told: set[str] = field(default_factory=set)  # details given: reason, condition
    last_text: str = ""
    changes: list[str] = field(default_factory=list)  # what a turned-down offer should change

    def __post_init__(self) -> None:
        self.goals = [GoalState(GOALS[kind]) for kind in self.scenario.goals]
        self.rating = self.rng.choice((4, 5, 5, 3))
        self.nps = self.rng.choice((7, 8, 9, 10, 6))

    # wording
    def pick(self, options: tuple[str, ...] | list[str], **fields: Any) -> str:
        return self.rng.choice(list(options)).format(**{**self.fields(), **fields})

    def fields(self) -> dict[str, Any]:
        p, want = self.persona, self.scenario.want
        line = self.target.lines[0] if self.target and self.target.lines else None
        return {
            "number": p.order_number if p else "",
            "email": p.email if p else "",
            "phone": (p.phone or p.email) if p else "",
            "contact": (p.phone if self.scenario.contact == "phone" and p.phone else p.email)
            if p
            else "",
            "short": line.short.lower() if line else "order",
            "wish": want.wish or "another size",
            "wish_kind": "colour" if want.wish and "black" in want.wish else "size",
            "question": self.rng.choice(want.questions) if want.questions else "",
        }

    @property
    def goal(self) -> GoalState:
        return self.goals[min(self.current, len(self.goals) - 1)]

    def request(self, state: GoalState | None = None) -> str:
        state = state or self.goal
        state.stated = True
        goal = state.goal
        options = goal.requests
        if state is self.goals[-1] and self.scenario.want.requests:
            options = self.scenario.want.requests
        if self.target and self.target.whole_order and goal.whole_order:
            options = goal.whole_order
        if "{short}" in "".join(options) and not (self.target and self.target.lines):
            options = tuple(o for o in options if "{short}" not in o) or options
        said = self.pick(options)
        if not said and self.scenario.real is not None:
            said = self.scenario.real.text()  # a real opening's question, asked again
        return said

    def first_message(self) -> str:
        if self.scenario.real is not None:
            self.goal.stated = self.scenario.real.intent != "out_of_scope"
            return self.scenario.real.text()
        if self.scenario.first is not None:
            self.goal.stated = self.scenario.flow != "out_of_scope_first"
            return self.scenario.first
        return self.request()

    # answering
    def reply(self, replies: list[dict[str, Any]]) -> str | None:
        """The customer's next message, or None when the conversation is over."""
        texts = [str(r["text"]) for r in replies if r.get("text")]
        said = " ".join(texts).lower()
        self._notice(said)
        if not replies:  # the hub is silent: a person has the conversation
            self.handed_off = True
            return None
        if any(marker in said for marker in HANDED_OVER):
            self.handed_off = True
            if BOT_DOWN in said:
                self.notes.append("the hub found the bot failing and passed it to a person")
            return None
        last = replies[-1]
        if any(goodbye in str(last.get("text") or "").lower() for goodbye in GOODBYE):
            return None
        question = recognise(str(last.get("text") or ""), list(last.get("buttons") or []))
        self.last_text = question.text.lower()
        self.same_question = self.same_question + 1 if question.kind == self.last_question else 1
        self.last_question = question.kind
        if self.same_question >= MAX_SAME_QUESTION and question.kind not in ("statement",):
            self.notes.append(f"asked {question.kind!r} {self.same_question} times: gave up")
            self.goal.done = True
            self.same_question = 0
            return self.pick(w.GIVE_UP)
        answer = self.pick_button(question) if self.same_question >= 2 else None
        answer = answer or self.answer(question)
        if answer is None:
            self.confused += 1
            if self.confused >= MAX_CONFUSED:
                self.failure = f"the simulator did not understand the bot: {question.text!r}"
                return None
            return self.pick(w.CONFUSED)
        return answer

    def _notice(self, said: str) -> None:
        """What the bot's words tell the customer about the current request."""
        state = self.goal
        goal = state.goal
        if goal.refused and mentions(said, REFUSAL):
            state.done = True
        if goal.markers and mentions(said, goal.markers):
            if goal.kind != "order_status" or (self.persona and self.persona.order_number in said):
                state.done = True
        want = self.scenario.want
        if goal.kind in ("policy", "delivery_options") and want.expect:
            if all(mentions(said, (word.lower(),)) for word in want.expect):
                state.done = True

    def answer(self, q: Question) -> str | None:
        p, want = self.persona, self.scenario.want
        handlers = {
            "nps": self.answer_nps,
            "rating": lambda: self.pick(
                w.RATING, score=self.rating, word=w.RATING_WORDS[self.rating]
            ),
            "comment": lambda: self.pick(w.COMMENT),
            "choice": lambda: self.choose(q),
            "anything_else": self.anything_else,
            "yes_no": lambda: self.yes_or_no(q),
            "yes_no_topic": lambda: self.about_goal(q),
            "both": lambda: self.pick(w.BOTH) if p else w.NO_ORDER,
            "order_number": lambda: self.pick(w.ORDER_NUMBER) if p else w.NO_ORDER,
            "contact": lambda: self.contact(),
            "address": self.address,
            "item": lambda: self.item(q),
            "change": self.change,
            "quantity": self.quantity,
            "reason": lambda: self.tell("reason", w.REASON[want.reason]),
            "condition": lambda: self.tell("condition", w.CONDITION[want.condition]),
            "resolution": self.resolution,
            "wish": lambda: want.wish or "the same, just another size",
            "complaint_topic": lambda: self.pick(
                w.COMPLAINT_TOPIC.get(want.category, ("something else",))
            ),
            "complaint_text": lambda: want.complaint,
            "help": self.help,
            "statement": self.statement,
        }
        handler = handlers.get(q.kind)
        return handler() if handler else None

    def pick_button(self, q: Question) -> str | None:
        """Asked the same again, a customer takes the bot's own option for their answer."""
        want = self.scenario.want
        kind = "exchange" if self.goal.goal.kind == "exchange" else want.resolution
        canonical = {
            "reason": w.REASON_BUTTON.get(want.reason, ""),
            "condition": want.condition.replace("_", " "),
            "resolution": kind.replace("_", " "),
        }.get(q.kind)
        if not canonical:
            return None
        if q.kind in ("reason", "condition"):
            self.told.add(q.kind)
        for button in q.buttons:
            if str(button.get("title", "")).lower() == canonical.lower():
                return str(button.get("payload") or button.get("title"))
        return canonical

    def tell(self, detail: str, options: tuple[str, ...]) -> str:
        self.told.add(detail)
        return self.pick(options)

    def answer_nps(self) -> str:
        self.nps_asked = True
        return self.pick(w.NPS, score=self.nps)

    def address(self) -> str | None:
        address = self.scenario.want.address
        if address is None:
            return None
        self.address_attempts += 1
        return address.written(self.full_name(), self.address_attempts - 1)

    def full_name(self) -> str:
        return self.persona.full_name if self.persona else "Alex Doe"

    def contact(self) -> str | None:
        p = self.persona
        if p is None:
            return None
        if self.scenario.contact == "phone" and p.phone:
            return self.pick(w.PHONE)
        return self.pick(w.EMAIL)

    def change(self) -> str:
        """ "What should I change: which item, or how many?" after a turned-down offer."""
        if not self.changes:
            return self.pick(w.GIVE_UP)
        return ", ".join(dict.fromkeys(self.changes))

    def item(self, q: Question | None = None) -> str | None:
        t = self.target
        if t is None or not t.lines:
            return None
        if t.whole_order:
            return self.pick(w.ALL_ITEMS)
        line = t.lines[0]
        options = [f"the {line.short.lower()}", line.name, line.short]
        if line.detail and not line.detail[0].isdigit():
            options.append(f"the {line.detail} {line.short.lower()}")
        said = self.rng.choice(options)
        units = t.quantities[line.item_id]
        if q is not None and "how many" in q.text.lower() and line.quantity > 1:
            if units < line.quantity:  # "one of the zip hoodie"
                return f"{w.NUMBER_WORDS.get(units, str(units))} of the {line.short.lower()}"
            return f"{said}, {'both' if units == 2 else f'all {units}'} of them"
        return said

    def quantity(self) -> str | None:
        t = self.target
        if t is None or not t.lines:
            return None
        units = t.quantities[t.lines[0].item_id]
        return self.pick(w.QUANTITY.get(units, (str(units),)))

    def resolution(self) -> str:
        kind = "exchange" if self.goal.goal.kind == "exchange" else self.scenario.want.resolution
        return self.pick(w.RESOLUTION[kind])

    def next_goal(self) -> str | None:
        """Move on to the next request, if any; else None."""
        if self.current + 1 < len(self.goals):
            self.current += 1
            self.same_question = 0
            return self.request()
        return None

    def anything_else(self) -> str:
        state = self.goal
        if state.goal.refused and state.done and not state.insisted:
            return self.insist()
        if state.done or state.restated >= 1:
            if not state.done:
                self.notes.append(f"{state.goal.kind}: not done, the customer moved on")
            return self.next_goal() or self.finish()
        state.restated += 1
        request = self.precise_request() if state.corrected else self.request()
        return self.pick(w.STILL_NEED, request=request)

    def precise_request(self) -> str:
        """After turning down a wrong offer: the request with exactly what is wanted."""
        t, kind = self.target, self.goal.goal.kind
        if t is None or not t.lines or t.whole_order:
            return self.request()
        line = t.lines[0]
        units = t.quantities[line.item_id]
        what = f"the {line.short.lower()}"
        if units < line.quantity:
            what = f"just {w.NUMBER_WORDS.get(units, str(units))} of the {line.short.lower()}"
        if kind == "exchange":
            return f"I want to exchange {what} for {self.scenario.want.wish or 'another size'}"
        how = w.RESOLUTION[self.scenario.want.resolution][0]
        return f"I want to return {what}, nothing else, and get {how}"

    def finish(self) -> str:
        self.finished = True
        return self.pick(w.THATS_ALL)

    def insist(self) -> str:
        self.goal.insisted = True
        return self.pick(INSIST[self.goal.goal.kind])

    def help(self) -> str:
        """The bot offers its menu (a greeting, a fallback, out of scope): say what is wanted."""
        state = self.goal
        if self.finished:
            return self.pick(w.THANKS_BYE)
        if state.stated:
            state.restated += 1
            if state.restated > 2:
                self.notes.append("the bot kept offering its menu: gave up")
                return self.finish()
        return self.request()

    def statement(self) -> str:
        """The bot told something and asked nothing."""
        state = self.goal
        if state.goal.refused and state.done and not state.insisted:
            return self.insist()
        if state.done or self.finished:
            following = self.next_goal()
            if following and self.persona and "tell me your order number" in self.last_text:
                return self.pick(w.ORDER_NUMBER)  # "... and I'll start a return": it's wanted
            return following or self.pick(w.THANKS_BYE)
        state.restated += 1
        if state.restated > 2:
            self.notes.append(f"{state.goal.kind}: not done, the customer gave up")
            self.finished = True
            return self.pick(w.THANKS_BYE)
        return self.request()

    def yes_or_no(self, q: Question) -> str:
        text = q.text.lower()
        state = self.goal
        wanted = not state.goal.refused and any(p in text for p in state.goal.accept)
        if not wanted and any(phrase in text for phrase in PERSON_OFFER):
            wants_person = self.scenario.want.person or state.goal.kind == "handoff"
            if wants_person or state.goal.refused:
                return self.pick(w.YES)
            return self.pick(w.NO)
        if not wanted:
            return self.pick(w.NO)
        correction = self.correction(text)
        if correction:
            return correction
        state.done = True
        return self.pick(w.YES)

    def correction(self, text: str) -> str | None:
        """A confirmation that does not match what the customer wants gets a 'no, ...'."""
        t, state = self.target, self.goal
        if t is None or state.goal.kind not in ("return", "exchange") or "return" not in text:
            return None
        problems, changes = [], []
        for line in self.persona.lines if self.persona else []:
            found = re.search(rf"(\d+) × {re.escape(line.name.lower())}", text)
            wanted = t.quantities.get(line.item_id)
            short = line.short.lower()
            if found and wanted is None:
                problems.append(f"not the {short}")
                changes.append(f"only the {t.lines[0].short.lower()}")
            elif found and wanted is not None and int(found.group(1)) != wanted:
                problems.append(f"only {wanted} of the {short}")
                changes.append(f"just {w.NUMBER_WORDS.get(wanted, str(wanted))}")
            elif not found and wanted is not None and line.name.lower() not in text:
                problems.append(f"I meant the {short}")
                changes.append(f"the {short}")
        want = "exchange" if state.goal.kind == "exchange" else self.scenario.want.resolution
        words = {"refund": "a refund", "exchange": "an exchange", "store_credit": "store credit"}
        if f"for {words[want]}" not in text:
            problems.append(f"I want {words[want]}")
            changes.append(f"{words[want]} please")
        self.changes = changes
        if not problems:
            return None
        if state.corrected >= 2:
            self.notes.append(f"declined a confirmation again: {q_short(text)}")
            return self.pick(w.NO)
        state.corrected += 1
        self.notes.append(f"declined a confirmation: {q_short(text)} ({'; '.join(problems)})")
        return "No: " + ", ".join(problems) + "."

    def about_goal(self, q: Question) -> str:
        """ "Did you mean ...?" answered yes or no: is it the current request?"""
        if self.mentions_goal(q.text.lower()):
            return self.pick(w.YES)
        return "no, " + self.request()

    def mentions_goal(self, text: str) -> bool:
        goal = self.goal.goal
        return any(word in text for intent in goal.intents for word in INTENT_WORDS[intent])

    def choose(self, q: Question) -> str | None:
        """A menu of buttons ("did you mean ...?"): the one for the current request."""
        goal = self.goal.goal
        for button in q.buttons:
            payload = str(button.get("payload", "")).lstrip("/").split("{")[0]
            if payload in goal.intents:
                return str(button.get("payload"))
        for button in q.buttons:
            if self.mentions_goal(str(button.get("title", "")).lower()):
                return str(button.get("payload"))
        if self.goal.stated:
            return self.request()
        return None


def mentions(text: str, phrases: tuple[str, ...]) -> bool:
    """One of `phrases` as whole words ("rma" is not in "confirmation")."""
    return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text) for p in phrases)


def q_short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."

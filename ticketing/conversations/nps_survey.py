"""The NPS question in the hub: "how likely are you to recommend us?" from 0 to 10.

It is asked once the rating exchange is finished: after the rating's comment (Telegram, REST),
right after the widget's stars (score and optional comment come together, so a skipped comment
is simply empty), or, when the bot resolved the conversation, after the bot's feedback form
stored its rating. A customer who never answers the comment question is not asked. The policy
(`nps`) switches it on and sets the cooldown: a customer (their customer record when the
conversation is linked to one, else the channel identity) is asked at most once per
`cooldown_days`, and a conversation at most once per resolution.

The answer is a button (`/nps{"score":7}`) or a short typed message (at most 100 characters)
with one score in it, in digits or words: "7", "8/10", "9 i guess", "I'd say eight out of ten".
Numbers that are something else do not count: order and ticket numbers, emails, phone numbers,
dates, times, prices, quantities ("3 days"), "24/7". A score outside 0-10, two different
numbers ("6 or 7") or a broken button payload gets the question again and stores nothing. A
message that declines ("no thanks", "skip", "rather not") closes the question with a short
reply from the hub and goes no further. Anything else (a question, a new request, a long
message) skips the question (it still counts for the cooldown) and the message goes on as it
would have: a resolved conversation reopens to the bot.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.conversations import store
from ticketing.conversations.hub_core import (
    NPS_ALREADY_ANSWERED,
    NPS_CLOSED,
    NPS_DECLINED,
    NPS_INVALID,
    NPS_THANKS,
    HubCore,
    Inbound,
)
from ticketing.conversations.models import Conversation, ConversationEvent, Owner
from ticketing.conversations.schemas import MessageView
from ticketing.feedback import nps_service
from ticketing.policy import service as policy_service
from ticketing.policy.schemas import NpsPolicy

BUTTON_PREFIX = "/nps"
MAX_ANSWER_CHARS = 100  # a longer message is something else, never an answer
_BUTTON_NUMBER = re.compile(r"^\s*([0-9]{1,3})\s*$")
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_WORD = "(?:" + "|".join(_WORDS) + ")"
_NUMBER = rf"(?:[0-9]+|{_WORD})"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_UNIT = (
    r"(?:more|other|last|times?|days?|nights?|hours?|hrs?|minutes?|mins?|seconds?|secs?|moments?"
    r"|weeks?|months?|years?|things?|questions?|issues?|problems?|items?|orders?|parcels?"
    r"|packages?|products?|pieces?|pcs|box(?:es)?|pairs?|kg|kilos?|grams?|km|miles?|cm|mm"
    r"|people|persons?|emails?|calls?|messages?)\b"
)
_MONEY = r"(?:[$€£%]|(?:euros?|eur|dollars?|usd|bucks|pounds?|gbp|cents?|percent)\b)"
_REFERENCE = (
    r"(?:#|\b(?:order|ticket|invoice|tracking|parcel|package|number|nr|id|ref|reference|case"
    r"|code|item|size|room|page|step|version|option)\b\.?|\bno\.)"
)
# Numbers that are something else, blanked in this order before the scores are looked for;
# a score's own scale ("8/10", "eight out of ten") is cut down to the score.
_NOT_SCORES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        (r"\S+@\S+|\b(?:https?://|www\.)\S+", " "),  # an email, a link
        (r"[0-9]+(?:\s*[-/.]\s*[0-9]+){2,}", " "),  # a date: 12/03/2024, 2024-03-12
        (r"\+?\(?[0-9](?:[\s().-]*[0-9]){6,}", " "),  # a phone number: seven digits or more
        (r"\b[0-9]+\s*(?::\s*[0-9]+|[ap]\.?m\b\.?|o'?clock\b)", " "),  # a time
        (rf"\b{_MONTH}\s*[0-9]+|\b[0-9]+\s*{_MONTH}", " "),  # a date with its month's name
        (rf"\b({_NUMBER})\s*(?:/|\bout\s+of\b|\bof\b)\s*(?:10|ten)\b", r" \1 "),  # a scale
        (r"[0-9]{2,}\s*/\s*[0-9]+|[0-9]+\s*/\s*[0-9]{2,}", " "),  # 24/7, 12/3 ("7/8": two)
        (rf"[$€£]\s*[0-9]+|[0-9]+(?:[.,][0-9]+)?\s*{_MONEY}", " "),  # a price, a percentage
        (rf"{_REFERENCE}\s*#?\s*[0-9]+", " "),  # an order, a ticket...
        (rf"\b{_NUMBER}\s+{_UNIT}", " "),  # a quantity: 3 days, one more thing
        (rf"\b(?:that|this|the|no|any|every|each|which|other|another)\s+{_WORD}\b", " "),
        (r"\bone\s+of\b", " "),
    )
)
_CANDIDATE = re.compile(rf"(?<![\w.,])-?[0-9]+(?:[.,][0-9]+)?(?!\w)|\b{_WORD}\b", re.IGNORECASE)
# A question or a new request: whatever numbers it has are not a score.
_REQUEST = re.compile(
    r"\b(?:where|when|what|why|which|who|whose|how(?!\s+about))\b|^\W*(?:can|could|will"
    r"|would\s+you|is|are|do|does|did|please|help|cancel|change|track|i\s+need|i\s+want)(?![\w'])",
    re.IGNORECASE,
)
_POLITE = r"(?:ok(?:ay)?|sorry|thanks?|thank\s+you|thx|bye|please)"
_DECLINES = (
    r"(?:no|nope|nah|no\s+comment|no\s+way|not\s+now|not\s+really|not\s+interested"
    r"|(?:i'?ll\s+)?pass|skip(?:\s+(?:it|this|that))?|(?:maybe\s+)?later"
    r"|(?:i(?:'?d|\s+would)?\s+)?(?:rather|prefer)\s+not(?:\s+to)?(?:\s+(?:say|answer))?"
    r"|(?:i\s+)?(?:don'?t|do\s+not)\s+(?:want\s+to|wanna)(?:\s+(?:say|answer))?)"
)
_DECLINE = re.compile(rf"(?:{_POLITE}\s+)*{_DECLINES}(?:\s+(?:{_DECLINES}|{_POLITE}))*")


def nps_payload(score: int) -> str:
    return BUTTON_PREFIX + json.dumps({"score": score}, separators=(",", ":"))


def nps_request_payload() -> dict[str, Any]:
    """The question's 11 buttons, 0 to 10 (channels without buttons take a typed number)."""
    buttons = [{"title": str(n), "payload": nps_payload(n)} for n in range(11)]
    return {"buttons": buttons, "custom": {"type": "nps", "min": 0, "max": 10}}


@dataclass(frozen=True)
class NpsReading:
    """A message meant as a reply to the question. `score` is the answer; None with `declined`
    when the customer would rather not answer, None without it when the message is to be asked
    again (a number outside 0-10, two different numbers, a broken button payload)."""

    score: int | None
    declined: bool = False


def _button_score(rest: str) -> int | None:
    if len(rest) > MAX_ANSWER_CHARS:
        return None
    number = _BUTTON_NUMBER.match(rest)
    if number:
        value: Any = int(number.group(1))
    else:
        try:
            data = json.loads(rest)
        except (ValueError, RecursionError):
            return None
        value = data.get("score") if isinstance(data, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10:
        return value
    return None


def is_button_press(text: str | None, payload: str | None) -> bool:
    return any(c and c.strip().startswith(BUTTON_PREFIX) for c in (payload, text))


def _plain(text: str) -> str:
    """Lower case words and numbers, single spaces: no punctuation or emoji."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(re.sub(r"[^a-z0-9']+", " ", text).split())


def _number_value(token: str) -> float:
    word = token.lower()
    return float(_WORDS.index(word)) if word in _WORDS else float(token.replace(",", "."))


def _numbers(text: str) -> set[float]:
    """The different numbers in a message that could be scores (of any size up to 999)."""
    for pattern, replacement in _NOT_SCORES:
        text = pattern.sub(replacement, text)
    values = {_number_value(m.group()) for m in _CANDIDATE.finditer(text)}
    return {value for value in values if abs(value) < 1000}  # longer ones are references


def _typed_answer(text: str) -> NpsReading | None:
    """The score in a short typed message; None when it has none or is a question."""
    if _REQUEST.search(text):
        return None
    numbers = _numbers(text)
    if not numbers:
        return None
    if len(numbers) > 1:
        return NpsReading(None)
    value = numbers.pop()
    return NpsReading(int(value) if value.is_integer() and 0 <= value <= 10 else None)


def read_answer(text: str | None, payload: str | None) -> NpsReading | None:
    """The answer in a message: a button payload (or its text typed), a decline, or a short
    typed message with a score; None when the message is something else (another button's
    payload, a question, a long message, no number)."""
    for candidate in (payload, text):
        if candidate and candidate.strip().startswith(BUTTON_PREFIX):
            return NpsReading(_button_score(candidate.strip()[len(BUTTON_PREFIX) :]))
    if payload or not text or len(text.strip()) > MAX_ANSWER_CHARS:
        return None
    if _DECLINE.fullmatch(_plain(text)):
        return NpsReading(None, declined=True)
    return _typed_answer(text)


def rating_stored_since(db: Session, conversation: Conversation, since: datetime) -> bool:
    """Whether a rating of the conversation was stored at or after `since` (the bot's feedback
    form stores it through the API while the hub waits for the bot's answer)."""
    query = select(ConversationEvent.id).where(
        ConversationEvent.conversation_id == conversation.id,
        ConversationEvent.kind == "csat_submitted",
        ConversationEvent.at >= since,
    )
    return db.scalar(query.limit(1)) is not None


class NpsSurvey(HubCore):
    """The hub's NPS steps; each runs inside the caller's transaction."""

    def _nps_due(self, db: Session, conversation: Conversation, now: datetime) -> NpsPolicy | None:
        """The policy's NPS settings when the question is to be asked now, else None."""
        policy = policy_service.get_current(db_session=db, policy_file=self.policy_file).policy
        due = nps_service.due(db_session=db, conversation=conversation, policy=policy.nps, now=now)
        return policy.nps.model_copy(update={"question": policy.nps_question()}) if due else None

    def _ask_nps(
        self,
        db: Session,
        conversation: Conversation,
        policy: NpsPolicy,
        now: datetime,
        reply_to_id: int | None,
        *,
        actor: str,
    ) -> MessageView:
        nps_service.ask(db_session=db, conversation=conversation, now=now, actor=actor)
        payload = nps_request_payload()
        return self._say(db, conversation, policy.question, now, reply_to_id, payload=payload)

    def _ask_nps_if_due(
        self,
        db: Session,
        conversation: Conversation,
        now: datetime,
        reply_to_id: int | None,
        *,
        actor: str,
    ) -> list[MessageView]:
        policy = self._nps_due(db, conversation, now)
        if policy is None:
            return []
        return [self._ask_nps(db, conversation, policy, now, reply_to_id, actor=actor)]

    def _nps_answer(
        self,
        db: Session,
        conversation: Conversation,
        incoming_id: int,
        inbound: Inbound,
        text: str | None,
        now: datetime,
    ) -> list[MessageView] | None:
        """The reply to a message while the question waits: thanks for a score, the question
        again for a bad one, a short goodbye for a decline (the question is skipped); None when
        the message is not an answer (the question is skipped and the message goes on as usual)."""
        reading = read_answer(text, inbound.payload)
        if reading is None or reading.declined:
            nps_service.skip(db_session=db, conversation=conversation, now=now)
        if reading is None:
            return None
        if reading.declined:
            return [self._say(db, conversation, NPS_DECLINED, now, incoming_id)]
        if reading.score is None:
            payload = nps_request_payload()
            return [self._say(db, conversation, NPS_INVALID, now, incoming_id, payload=payload)]
        nps_service.save_answer(
            db_session=db, conversation=conversation, score=reading.score, now=now
        )
        return [self._say(db, conversation, NPS_THANKS, now, incoming_id)]

    def _nps_late_press(self, incoming: MessageView) -> list[MessageView]:
        """An NPS button pressed when no question waits (twice, or after writing something
        else): nothing is stored and the conversation stays as it is."""
        now = self.clock()
        with self.database.session(write=True) as db:
            conversation = store.get_or_raise(db, incoming.conversation_id)
            answered = nps_service.last_asking_answered(
                db_session=db, conversation_id=conversation.id
            )
            text = NPS_ALREADY_ANSWERED if answered else NPS_CLOSED
            return [self._say(db, conversation, text, now, incoming.id)]

    def _nps_after_bot_feedback(
        self,
        db: Session,
        conversation: Conversation,
        now: datetime,
        reply_to_id: int,
        since: datetime,
    ) -> list[MessageView]:
        """The question after the bot's own feedback form stored a rating during this turn."""
        if conversation.owner != Owner.BOT or conversation.resolved_at is None:
            return []
        if conversation.nps_asked_at is not None or not rating_stored_since(
            db, conversation, since
        ):
            return []
        return self._ask_nps_if_due(db, conversation, now, reply_to_id, actor="bot")

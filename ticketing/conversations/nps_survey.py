"""The NPS question in the hub: "how likely are you to recommend us?" from 0 to 10.

It is asked once the rating exchange is finished: after the rating's comment (Telegram, REST),
right after the widget's stars (score and optional comment come together, so a skipped comment
is simply empty), or, when the bot resolved the conversation, after the bot's feedback form
stored its rating. A customer who never answers the comment question is not asked. The policy
(`nps`) switches it on and sets the cooldown: a customer (their customer record when the
conversation is linked to one, else the channel identity) is asked at most once per
`cooldown_days`, and a conversation at most once per resolution.

The answer is a button (`/nps{"score":7}`) or a plain number ("7", "7/10"). A number outside
0-10 or a broken button payload gets the question again and stores nothing. Anything else skips
the question (it still counts for the cooldown) and the message goes on as it would have: a
resolved conversation reopens to the bot.
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
_BUTTON_NUMBER = re.compile(r"^\s*([0-9]{1,3})\s*$")
_TYPED_NUMBER = re.compile(
    r"^\s*([-+]?[0-9]+(?:[.,][0-9]+)?)\s*(?:/\s*10|out of (?:10|ten))?\s*[.!]*\s*$", re.IGNORECASE
)


def nps_payload(score: int) -> str:
    return BUTTON_PREFIX + json.dumps({"score": score}, separators=(",", ":"))


def nps_request_payload() -> dict[str, Any]:
    """The question's 11 buttons, 0 to 10 (channels without buttons take a typed number)."""
    buttons = [{"title": str(n), "payload": nps_payload(n)} for n in range(11)]
    return {"buttons": buttons, "custom": {"type": "nps", "min": 0, "max": 10}}


@dataclass(frozen=True)
class NpsReading:
    """A message meant as an answer; `score` is None when it is not a whole number 0-10."""

    score: int | None


def _button_score(rest: str) -> int | None:
    number = _BUTTON_NUMBER.match(rest)
    if number:
        value: Any = int(number.group(1))
    else:
        try:
            data = json.loads(rest)
        except ValueError:
            return None
        value = data.get("score") if isinstance(data, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10:
        return value
    return None


def is_button_press(text: str | None, payload: str | None) -> bool:
    return any(c and c.strip().startswith(BUTTON_PREFIX) for c in (payload, text))


def read_answer(text: str | None, payload: str | None) -> NpsReading | None:
    """The answer in a message: a button payload (or its text typed), or a typed number;
    None when the message is something else."""
    for candidate in (payload, text):
        if candidate and candidate.strip().startswith(BUTTON_PREFIX):
            return NpsReading(_button_score(candidate.strip()[len(BUTTON_PREFIX) :]))
    typed = _TYPED_NUMBER.match(text or "")
    if typed is None:
        return None
    number = typed.group(1)
    in_range = number.isascii() and number.isdigit() and 0 <= int(number) <= 10
    return NpsReading(int(number) if in_range else None)


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
        """The reply to a message while the question waits; None when the message is not an
        answer (the question is skipped and the message goes on as usual)."""
        reading = read_answer(text, inbound.payload)
        if reading is None:
            nps_service.skip(db_session=db, conversation=conversation, now=now)
            return None
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
